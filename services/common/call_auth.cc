#include "common/call_auth.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

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

}  // namespace gridserve
