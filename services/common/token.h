#pragma once

#include "absl/strings/string_view.h"
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gridserve {

// One role held over one org subtree, e.g. TOWN_ADMIN over 500114101000.
struct RoleBinding {
  std::string role;       // e.g. "DISTRICT_ADMIN", "TOWN_ADMIN" (gridserve.gateway.v1.Role without ROLE_)
  std::string org_scope;  // 12-digit division code
  bool operator==(const RoleBinding&) const = default;
};

// The verified caller: who, and which roles over which org subtrees.
struct Principal {
  std::string subject;
  std::vector<RoleBinding> bindings;
  int64_t expires_at = 0;  // Unix seconds

  bool HasRole(absl::string_view role) const;
};

// Signs and verifies caller tokens: "v1.<base64url JSON claims>.<base64url
// HMAC-SHA256>", claims {"sub", "bindings": [{"role", "scope"}], "exp"}. The gateway issues them; every backend verifies them itself
// with the shared key. Several keys may be configured: the first signs, all
// verify, so a key can be rotated without a flag day.
class TokenCodec {
 public:
  // Keys shorter than 32 bytes are refused.
  static absl::StatusOr<TokenCodec> Create(std::vector<std::string> keys);
  // Reads keys from a file, one per line (blank lines ignored).
  static absl::StatusOr<TokenCodec> FromKeyFile(const std::string& path);

  std::string Sign(const Principal& principal) const;
  // UNAUTHENTICATED for a malformed, tampered or expired token. A token that
  // verified before is answered from a bounded cache (exact text match; its
  // expiry is checked on every call), because a client sends the same token
  // on every call and each call is verified at the gateway and the backend.
  absl::StatusOr<Principal> Verify(absl::string_view token, absl::Time now) const;

 private:
  class VerifiedTokens;
  explicit TokenCodec(std::vector<std::string> keys);
  absl::StatusOr<Principal> VerifySignatureAndClaims(absl::string_view token, absl::Time now) const;

  std::vector<std::string> keys_;
  std::shared_ptr<VerifiedTokens> verified_;  // shared by copies: they hold the same keys
};

}  // namespace gridserve
