#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/flags.h"
#include "membership/shared/member.h"

namespace gridserve::membership {

// The flag naming the key file: 32 bytes written as 64 hex characters (one
// line; surrounding whitespace ignored), e.g. made by
// `openssl rand -hex 32 > pii.key`.
inline constexpr char kPiiKeyFileFlag[] = "pii_key_file";
void DefinePiiKeyFlag(Flags& flags);

// A member's identity as stored: what the register keeps instead of the
// national id in clear (issue 4: encrypted at rest, never returned unmasked).
struct SealedIdentity {
  // Keyed hash identifying the person (hex), for the one-active-record-per-
  // person-per-branch rule and for matching re-imported roster rows.
  std::string person_key;
  std::string national_id_sealed;  // nonce || secretbox ciphertext; "" when no id
  std::string national_id_last4;   // "" when no id
};

// Encrypts national ids and derives person keys from one secret key. Two
// subkeys are derived from it (libsodium crypto_kdf), so the encryption key
// and the hashing key are never the same bytes. Thread-safe (immutable).
class PersonalDataSealer {
 public:
  static constexpr size_t kKeyBytes = 32;

  // From the key file named by --pii_key_file; INVALID_ARGUMENT with one
  // line naming the flag when it is unset, unreadable or not 64 hex characters.
  static absl::StatusOr<PersonalDataSealer> FromFlags(const Flags& flags);
  static absl::StatusOr<PersonalDataSealer> FromKeyFile(const std::string& path);
  // `key` is 32 raw bytes.
  static absl::StatusOr<PersonalDataSealer> Create(absl::string_view key);

  // nonce || crypto_secretbox_easy(plaintext), with a fresh random nonce.
  std::string Seal(absl::string_view plaintext) const;
  // The plaintext of Seal's output; DATA_LOSS when it was not sealed with this key.
  absl::StatusOr<std::string> Open(absl::string_view sealed) const;

  // crypto_generichash keyed with the hashing subkey, as 64 hex characters:
  // of "id:" + the normalised national id when the member has one, else of
  // "name:" + full_name + '\n' + birth month ("YYYY-MM"). The member must be
  // normalised (NormalizeMember) so that the same person gives the same key.
  std::string PersonKey(const Member& member) const;

  // person_key, and the sealed id with its last four characters when
  // member.national_id is set.
  SealedIdentity SealIdentity(const Member& member) const;

 private:
  PersonalDataSealer(std::string box_key, std::string hash_key)
      : box_key_(std::move(box_key)), hash_key_(std::move(hash_key)) {}

  std::string box_key_;
  std::string hash_key_;
};

}  // namespace gridserve::membership
