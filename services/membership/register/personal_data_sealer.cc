#include "membership/register/personal_data_sealer.h"

#include <sodium.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "membership/register/member_validation.h"

namespace gridserve::membership {
namespace {

// crypto_kdf context (exactly 8 bytes) and subkey ids: one key file, two
// independent keys.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "gsmember";
constexpr uint64_t kBoxSubkeyId = 1;
constexpr uint64_t kHashSubkeyId = 2;

static_assert(PersonalDataSealer::kKeyBytes == crypto_kdf_KEYBYTES);
static_assert(crypto_secretbox_KEYBYTES == 32 && crypto_generichash_KEYBYTES == 32);

absl::Status KeyFileError(const std::string& detail) {
  return absl::InvalidArgumentError(absl::StrCat("--", kPiiKeyFileFlag, ": ", detail));
}

}  // namespace

void DefinePiiKeyFlag(Flags& flags) {
  flags.Define(kPiiKeyFileFlag, "",
               "file holding the key that encrypts national ids and keys person identities: 64 hex characters "
               "(32 random bytes, e.g. `openssl rand -hex 32`); required");
}

absl::StatusOr<PersonalDataSealer> PersonalDataSealer::FromFlags(const Flags& flags) {
  std::string path = flags.Get(kPiiKeyFileFlag);
  if (path.empty()) return KeyFileError("is required (a file with 64 hex characters, e.g. from `openssl rand -hex 32`)");
  return FromKeyFile(path);
}

absl::StatusOr<PersonalDataSealer> PersonalDataSealer::FromKeyFile(const std::string& path) {
  std::optional<std::string> text = ReadFile(path);
  if (!text) return KeyFileError(absl::StrCat("cannot read ", path));
  absl::string_view hex = absl::StripAsciiWhitespace(*text);
  if (hex.size() != 2 * kKeyBytes ||
      !std::all_of(hex.begin(), hex.end(), [](char c) { return absl::ascii_isxdigit(c); })) {
    return KeyFileError(absl::StrCat(path, " must hold exactly 64 hex characters (32 bytes), e.g. from `openssl rand -hex 32`"));
  }
  return Create(absl::HexStringToBytes(hex));
}

absl::StatusOr<PersonalDataSealer> PersonalDataSealer::Create(absl::string_view key) {
  if (key.size() != kKeyBytes) return KeyFileError(absl::StrCat("the key must be ", kKeyBytes, " bytes"));
  if (sodium_init() < 0) return absl::InternalError("libsodium could not be initialised");
  std::string box_key(crypto_secretbox_KEYBYTES, '\0');
  std::string hash_key(crypto_generichash_KEYBYTES, '\0');
  const auto* master = reinterpret_cast<const unsigned char*>(key.data());
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(box_key.data()), box_key.size(), kBoxSubkeyId,
                             kKdfContext, master);
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(hash_key.data()), hash_key.size(), kHashSubkeyId,
                             kKdfContext, master);
  return PersonalDataSealer(std::move(box_key), std::move(hash_key));
}

std::string PersonalDataSealer::Seal(absl::string_view plaintext) const {
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce, reinterpret_cast<const unsigned char*>(box_key_.data()));
  return sealed;
}

absl::StatusOr<std::string> PersonalDataSealer::Open(absl::string_view sealed) const {
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return absl::DataLossError("sealed personal data is too short");
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  size_t cipher_size = sealed.size() - crypto_secretbox_NONCEBYTES;
  std::string plaintext(cipher_size - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plaintext.data()),
                                 nonce + crypto_secretbox_NONCEBYTES, cipher_size, nonce,
                                 reinterpret_cast<const unsigned char*>(box_key_.data())) != 0) {
    return absl::DataLossError("sealed personal data does not open with this key (wrong --pii_key_file?)");
  }
  return plaintext;
}

std::string PersonalDataSealer::PersonKey(const Member& member) const {
  std::string input = member.national_id.empty()
                          ? absl::StrCat("name:", member.full_name, "\n", FormatBirthMonth(member.birth_month))
                          : absl::StrCat("id:", member.national_id);
  unsigned char hash[crypto_generichash_BYTES];
  crypto_generichash(hash, sizeof(hash), reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                     reinterpret_cast<const unsigned char*>(hash_key_.data()), hash_key_.size());
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(hash), sizeof(hash)));
}

SealedIdentity PersonalDataSealer::SealIdentity(const Member& member) const {
  SealedIdentity identity{.person_key = PersonKey(member)};
  if (!member.national_id.empty()) {
    identity.national_id_sealed = Seal(member.national_id);
    identity.national_id_last4 = member.national_id.substr(member.national_id.size() - std::min<size_t>(4, member.national_id.size()));
  }
  return identity;
}

}  // namespace gridserve::membership
