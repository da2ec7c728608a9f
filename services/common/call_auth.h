#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/token.h"
#include "grpcpp/server_context.h"

namespace gridserve {

// Metadata keys GridServe reads and passes on.
inline constexpr char kAuthorizationHeader[] = "authorization";
inline constexpr char kRequestIdHeader[] = "x-request-id";
inline constexpr char kTraceparentHeader[] = "traceparent";
// Set by the gateway to the client's address (a client-sent value is dropped).
inline constexpr char kClientAddressHeader[] = "x-gridserve-client-address";

// The caller, from "authorization: Bearer <token>"; UNAUTHENTICATED when the
// token is missing, malformed, tampered or expired.
absl::StatusOr<Principal> AuthenticateCall(const grpc::ServerContextBase& context,
                                           const TokenCodec& codec);

// The deadline for work done for this call: the client's deadline, capped at
// now + `max_wait` so a call without a deadline cannot hold resources forever.
absl::Time CallDeadline(const grpc::ServerContextBase& context, absl::Duration max_wait = absl::Seconds(30));

// Value of one metadata key sent by the client ("" when absent).
std::string ClientMetadata(const grpc::ServerContextBase& context, absl::string_view key);

}  // namespace gridserve
