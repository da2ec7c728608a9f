#include "gateway/passwords.h"

#include <sodium.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace gridserve::gateway {

PasswordCost PasswordCost::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::Minimal() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

absl::StatusOr<PasswordHasher> PasswordHasher::Create(PasswordCost cost) {
  if (sodium_init() < 0) return absl::InternalError("libsodium could not be initialised");
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  PasswordHasher hasher(cost, "");
  absl::StatusOr<std::string> dummy =
      hasher.Hash(absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(random), sizeof random)));
  if (!dummy.ok()) return dummy.status();
  hasher.dummy_hash_ = *std::move(dummy);
  return hasher;
}

absl::StatusOr<std::string> PasswordHasher::Hash(absl::string_view password) const {
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), cost_.opslimit, cost_.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError("not enough memory to hash the password; try again shortly");
  }
  return std::string(hash);
}

bool PasswordHasher::Verify(absl::string_view hash, absl::string_view password) const {
  std::string terminated(hash);  // crypto_pwhash_str_verify reads a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::VerifyDummy(absl::string_view password) const { (void)Verify(dummy_hash_, password); }

std::string NewPasswordProblem(absl::string_view password) {
  if (password.size() < PasswordHasher::kMinLength) {
    return absl::StrCat("must be at least ", PasswordHasher::kMinLength,
                        " characters; a few unrelated words make a long password easy to remember");
  }
  if (password.size() > PasswordHasher::kMaxLength) {
    return absl::StrCat("must be at most ", PasswordHasher::kMaxLength, " bytes");
  }
  return "";
}

std::string NewRefreshToken() {
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  std::string encoded;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(random), sizeof random), &encoded);
  return "rt1." + encoded;
}

}  // namespace gridserve::gateway
