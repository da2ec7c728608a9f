#include "common/call_auth.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/division.h"

namespace gridserve {

std::string ClientMetadata(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

absl::Time CallDeadline(const grpc::ServerContextBase& context, absl::Duration max_wait) {
  return std::min(absl::FromChrono(context.deadline()), absl::Now() + max_wait);
}

absl::StatusOr<Principal> AuthenticateCall(const grpc::ServerContextBase& context,
                                           const TokenCodec& codec) {
  std::string header = ClientMetadata(context, kAuthorizationHeader);
  if (header.empty()) {
    return absl::UnauthenticatedError(
        "no credentials: send metadata 'authorization: Bearer <token>' (tools/dev up prints a "
        "development token)");
  }
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWithIgnoreCase(header, kBearer)) {
    return absl::UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
  }
  return codec.Verify(absl::string_view(header).substr(kBearer.size()), absl::Now());
}

absl::Status RequireScope(const Principal& caller, absl::string_view code, absl::string_view field) {
  if (ScopeCovers(caller.org_scope, code)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      field, " ", code, " is outside your org scope ", caller.org_scope,
      "; act on organisations under your scope or ask an administrator of that organisation"));
}

absl::Status RequireScopeOrAncestor(const Principal& caller, absl::string_view code, absl::string_view field) {
  if (ScopeCovers(code, caller.org_scope)) return absl::OkStatus();
  return RequireScope(caller, code, field);
}

absl::Status RequireAnyRole(const Principal& caller, std::initializer_list<absl::string_view> roles,
                            absl::string_view action) {
  for (absl::string_view role : roles) {
    if (caller.HasRole(role)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(action, " needs one of the roles ",
                                                  absl::StrJoin(roles, ", "), "; you have ",
                                                  absl::StrJoin(caller.roles, ", ")));
}

}  // namespace gridserve
