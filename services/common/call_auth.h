#pragma once

#include "absl/strings/string_view.h"
#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/token.h"
#include "grpcpp/server_context.h"

namespace gridserve {

// Metadata keys GridServe reads and passes on.
inline constexpr char kAuthorizationHeader[] = "authorization";
inline constexpr char kRequestIdHeader[] = "x-request-id";
inline constexpr char kTraceparentHeader[] = "traceparent";

// The caller, from "authorization: Bearer <token>"; UNAUTHENTICATED when the
// token is missing, malformed, tampered or expired.
absl::StatusOr<Principal> AuthenticateCall(const grpc::ServerContextBase& context,
                                           const TokenCodec& codec);

// PERMISSION_DENIED unless `code` (the value of request field `field`) lies in
// the caller's org scope.
absl::Status RequireScope(const Principal& caller, absl::string_view code, absl::string_view field);

// Like RequireScope, but also allows the organisations above the caller's
// scope (its town, its district): for data that is not personal, such as the
// organisation tree and town policies, which a village works under.
absl::Status RequireScopeOrAncestor(const Principal& caller, absl::string_view code, absl::string_view field);

// PERMISSION_DENIED unless the caller holds one of `roles`; `action` says what
// was attempted, for the message.
absl::Status RequireAnyRole(const Principal& caller, std::initializer_list<absl::string_view> roles,
                            absl::string_view action);

// The deadline for work done for this call: the client's deadline, capped at
// now + `max_wait` so a call without a deadline cannot hold resources forever.
absl::Time CallDeadline(const grpc::ServerContextBase& context, absl::Duration max_wait = absl::Seconds(30));

// Value of one metadata key sent by the client ("" when absent).
std::string ClientMetadata(const grpc::ServerContextBase& context, absl::string_view key);

}  // namespace gridserve
