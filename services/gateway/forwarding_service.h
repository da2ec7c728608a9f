#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/peers.h"
#include "common/token.h"
#include "gateway/call_guard.h"
#include "gateway/client_certificates.h"
#include "gateway/rate_limiter.h"
#include "grpcpp/generic/async_generic_service.h"

namespace gridserve::gateway {

// The backend that serves a full method name: "/gridserve.<backend>.v1.<Service>/<Method>"
// -> "<backend>". UNIMPLEMENTED for any other method.
absl::StatusOr<std::string> BackendOf(const std::string& method);

// Forwards every gridserve.<backend>.v1.* call, unary or streaming, to its
// backend as raw bytes: no per-RPC code. Before forwarding: the method must
// declare its access rule in its proto (common/method_rules.h; else
// UNIMPLEMENTED), the caller's token must verify and grant the rule's
// permission; calls the rule audits pass `guard`. The deadline (capped at the
// rule's timeout), metadata (with the x-request-id and traceparent that the
// call-log interceptor adds when missing) and cancellation are passed on. A
// backend that cannot be reached yields UNAVAILABLE naming it. Unary calls
// take a short path (one callback-API unary call to the backend), streaming
// calls a message-by-message one.
//
// With `Admission`: the client address's rate limit is checked first (before
// any credential is looked at), the principal's once it is known; a call
// without a bearer token that came over TLS with a verified client
// certificate is made by the consuming system registered for that
// certificate, and is forwarded with a short-lived token signed for it
// (backends verify tokens themselves).
struct Admission {
  CallRateLimits* rate_limits = nullptr;                           // nullptr: no rate limits
  const ClientCertificateRegistry* client_certificates = nullptr;  // nullptr: client certificates not accepted
  absl::Duration client_token_ttl = absl::Minutes(5);
};

class ForwardingService final : public grpc::CallbackGenericService {
 public:
  using RuleLookup = const MethodRule* (*)(absl::string_view method);

  // `rules`: the declared method rules (tests pass their own).
  ForwardingService(PeerChannels& backends, const TokenCodec& tokens, CallGuard* guard, Admission admission = {},
                    RuleLookup rules = FindMethodRule)
      : backends_(backends), tokens_(tokens), guard_(guard), rules_(rules), admission_(admission) {}

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override;

 private:
  PeerChannels& backends_;
  const TokenCodec& tokens_;
  CallGuard* guard_;
  RuleLookup rules_;
  Admission admission_;

  // The caller: from the bearer token, or else from a registered client
  // certificate, in which case `forwarded_token` receives the token to send
  // to the backend in its name.
  absl::StatusOr<Principal> Authenticate(grpc::GenericCallbackServerContext& context, std::string* forwarded_token) const;
};

}  // namespace gridserve::gateway
