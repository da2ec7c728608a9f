#include "common/token.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/ascii.h"
#include "absl/synchronization/mutex.h"
#include "common/division.h"
#include "nlohmann/json.hpp"
#include "common/files.h"

namespace gridserve {
namespace {

constexpr absl::string_view kVersion = "v1";
constexpr size_t kMinKeyBytes = 32;

std::string Hmac(const std::string& key, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &out_len);
  return std::string(reinterpret_cast<const char*>(out), out_len);
}

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(
      absl::StrCat("invalid token: ", why, "; log in again to get a new token"));
}

}  // namespace

// Tokens that verified, by their exact text. Bounded: when full it starts
// over, which costs one full verification per client.
class TokenCodec::VerifiedTokens {
 public:
  static constexpr size_t kCapacity = 4096;

  std::optional<Principal> Find(absl::string_view token) {
    absl::MutexLock lock(&mutex_);
    auto it = principals_.find(token);
    if (it == principals_.end()) return std::nullopt;
    return it->second;
  }
  void Add(absl::string_view token, const Principal& principal) {
    absl::MutexLock lock(&mutex_);
    if (principals_.size() >= kCapacity) principals_.clear();
    principals_.emplace(token, principal);
  }

 private:
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, Principal> principals_ ABSL_GUARDED_BY(mutex_);
};

TokenCodec::TokenCodec(std::vector<std::string> keys)
    : keys_(std::move(keys)), verified_(std::make_shared<VerifiedTokens>()) {}

bool Principal::HasRole(absl::string_view role) const {
  return std::any_of(bindings.begin(), bindings.end(), [&](const RoleBinding& b) { return b.role == role; });
}

absl::StatusOr<TokenCodec> TokenCodec::Create(std::vector<std::string> keys) {
  if (keys.empty()) return absl::InvalidArgumentError("no token signing key given");
  for (const std::string& key : keys) {
    if (key.size() < kMinKeyBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("token key too short: ", key.size(), " bytes, need at least ",
                       kMinKeyBytes));
    }
  }
  return TokenCodec(std::move(keys));
}

absl::StatusOr<TokenCodec> TokenCodec::FromKeyFile(const std::string& path) {
  std::optional<std::string> contents = ReadFile(path);
  if (!contents) return absl::NotFoundError(absl::StrCat("cannot read token key file ", path));
  std::vector<std::string> keys;
  for (absl::string_view line : absl::StrSplit(*contents, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty()) keys.emplace_back(line);
  }
  return Create(std::move(keys));
}

std::string TokenCodec::Sign(const Principal& principal) const {
  nlohmann::json bindings = nlohmann::json::array();
  for (const RoleBinding& binding : principal.bindings) {
    bindings.push_back({{"role", binding.role}, {"scope", binding.org_scope}});
  }
  nlohmann::json claims = {{"sub", principal.subject}, {"bindings", bindings}, {"exp", principal.expires_at}};
  std::string signed_part =
      absl::StrCat(kVersion, ".", absl::WebSafeBase64Escape(claims.dump()));
  return absl::StrCat(signed_part, ".", absl::WebSafeBase64Escape(Hmac(keys_.front(), signed_part)));
}

absl::StatusOr<Principal> TokenCodec::Verify(absl::string_view token, absl::Time now) const {
  if (std::optional<Principal> known = verified_->Find(token)) {
    if (absl::FromUnixSeconds(known->expires_at) <= now) return Unauthenticated("expired");
    return *std::move(known);
  }
  absl::StatusOr<Principal> principal = VerifySignatureAndClaims(token, now);
  if (principal.ok()) verified_->Add(token, *principal);
  return principal;
}

absl::StatusOr<Principal> TokenCodec::VerifySignatureAndClaims(absl::string_view token, absl::Time now) const {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0] != kVersion) return Unauthenticated("not a v1 token");
  // Compared as text: base64url has several spellings of the same bytes (the
  // unused low bits of the last character), and only the one the signer
  // wrote is accepted, so no altered token verifies.
  std::string signed_part = absl::StrCat(parts[0], ".", parts[1]);
  bool valid = false;
  for (const std::string& key : keys_) {
    std::string expected = absl::WebSafeBase64Escape(Hmac(key, signed_part));
    if (expected.size() == parts[2].size() &&
        CRYPTO_memcmp(expected.data(), parts[2].data(), expected.size()) == 0) {
      valid = true;
      break;
    }
  }
  if (!valid) return Unauthenticated("signature does not match");
  std::string payload;
  if (!absl::WebSafeBase64Unescape(parts[1], &payload)) {
    return Unauthenticated("bad claims encoding");
  }
  nlohmann::json claims = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object() || !claims["sub"].is_string() || !claims["bindings"].is_array() ||
      !claims["exp"].is_number_integer()) {
    return Unauthenticated("claims incomplete");
  }
  Principal principal;
  principal.subject = claims["sub"].get<std::string>();
  principal.expires_at = claims["exp"].get<int64_t>();
  for (const auto& binding : claims["bindings"]) {
    if (!binding.is_object() || !binding["role"].is_string() || !binding["scope"].is_string() ||
        !IsDivisionCode(binding["scope"].get<std::string>())) {
      return Unauthenticated("a role binding is not {role, 12-digit scope}");
    }
    principal.bindings.push_back({binding["role"].get<std::string>(), binding["scope"].get<std::string>()});
  }
  if (absl::FromUnixSeconds(principal.expires_at) <= now) return Unauthenticated("expired");
  return principal;
}

}  // namespace gridserve
