#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/method_rules.h"
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

// A call its method's declared rule admits.
struct AuthorizedCall {
  Principal caller;  // empty for a public method
  // For the work done for the call: the client's deadline, capped at the
  // method's declared timeout.
  absl::Time deadline;
  const MethodRule* rule = nullptr;
};

// Checks a call of `method` ("/pkg.Service/Method") against the rule its proto
// declares (common/method_rules.h), at the function level: UNIMPLEMENTED when
// it declares none, UNAUTHENTICATED without valid credentials (unless it is
// public), PERMISSION_DENIED when no role of the caller grants its
// permission. Whether the caller's scope covers the data is the service's
// object-level check.
absl::StatusOr<AuthorizedCall> AuthorizeCall(const grpc::ServerContextBase& context, const TokenCodec& codec,
                                             absl::string_view method);

// AuthorizeCall for the methods of one service, by their short names:
//   MethodAuthorizer authorize_(tokens, v1::MemberService::service_full_name());
//   absl::StatusOr<AuthorizedCall> call = authorize_(*context, "GetMember");
class MethodAuthorizer {
 public:
  MethodAuthorizer(const TokenCodec& codec, absl::string_view service);
  absl::StatusOr<AuthorizedCall> operator()(const grpc::ServerContextBase& context, absl::string_view method) const;

 private:
  const TokenCodec& codec_;
  std::string prefix_;  // "/pkg.Service/"
};

// Value of one metadata key sent by the client ("" when absent).
std::string ClientMetadata(const grpc::ServerContextBase& context, absl::string_view key);

}  // namespace gridserve
