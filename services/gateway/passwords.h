#pragma once

#include "common/sha256.h"

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gridserve::gateway {

// argon2id work factors (libsodium crypto_pwhash).
struct PasswordCost {
  unsigned long long opslimit;
  size_t memlimit;
  // libsodium's INTERACTIVE limits (2 passes, 64 MiB): what the gateway uses.
  static PasswordCost Interactive();
  // The smallest limits libsodium accepts, for tests that hash many passwords.
  static PasswordCost Minimal();
};

// Hashes and checks passwords with argon2id (crypto_pwhash_str: the result
// carries salt and limits, so a hash stays verifiable if the cost changes).
class PasswordHasher {
 public:
  static constexpr size_t kMinLength = 10;
  static constexpr size_t kMaxLength = 256;

  // Initialises libsodium and prepares the dummy hash.
  static absl::StatusOr<PasswordHasher> Create(PasswordCost cost);

  absl::StatusOr<std::string> Hash(absl::string_view password) const;
  bool Verify(absl::string_view hash, absl::string_view password) const;
  // Spends the time of one Verify, for a login name that does not exist, so
  // the answer time does not tell whether an account exists.
  void VerifyDummy(absl::string_view password) const;

 private:
  PasswordHasher(PasswordCost cost, std::string dummy_hash) : cost_(cost), dummy_hash_(std::move(dummy_hash)) {}
  PasswordCost cost_;
  std::string dummy_hash_;
};

// Why `password` is not acceptable as a new password ("" when it is).
std::string NewPasswordProblem(absl::string_view password);

// A new random refresh token ("rt1." + 43 base64url characters, 256 bits).
std::string NewRefreshToken();

}  // namespace gridserve::gateway
