// AuthenticateCall on its own, so that the auth-cost benchmark
// (tools/bench/auth_bench) can link a build of the gateway and of membership
// in which it is replaced; production binaries always link this one.
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "common/call_auth.h"

namespace gridserve {

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
