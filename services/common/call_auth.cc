#include "common/call_auth.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gridserve {

std::string ClientMetadata(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

namespace {

// The client's deadline, capped at now + `max_wait`, so a call without a
// deadline cannot hold resources forever.
absl::Time CallDeadline(const grpc::ServerContextBase& context, absl::Duration max_wait) {
  return std::min(absl::FromChrono(context.deadline()), absl::Now() + max_wait);
}

}  // namespace

absl::StatusOr<AuthorizedCall> AuthorizeCall(const grpc::ServerContextBase& context, const TokenCodec& codec,
                                             absl::string_view method) {
  const MethodRule* rule = FindMethodRule(method);
  if (rule == nullptr) {
    return absl::UnimplementedError(absl::StrCat(method, " declares no access rule, so it is not served"));
  }
  AuthorizedCall call{.deadline = CallDeadline(context, rule->timeout), .rule = rule};
  if (rule->permission == Permission::kPublic) return call;
  absl::StatusOr<Principal> caller = AuthenticateCall(context, codec);
  if (!caller.ok()) return caller.status();
  if (absl::Status allowed = RequirePermission(*caller, rule->permission, method); !allowed.ok()) return allowed;
  call.caller = *std::move(caller);
  return call;
}

MethodAuthorizer::MethodAuthorizer(const TokenCodec& codec, absl::string_view service)
    : codec_(codec), prefix_(absl::StrCat("/", service, "/")) {}

absl::StatusOr<AuthorizedCall> MethodAuthorizer::operator()(const grpc::ServerContextBase& context,
                                                            absl::string_view method) const {
  return AuthorizeCall(context, codec_, absl::StrCat(prefix_, method));
}

}  // namespace gridserve
