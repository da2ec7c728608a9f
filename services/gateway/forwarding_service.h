#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/peers.h"
#include "common/token.h"
#include "gateway/call_guard.h"
#include "gateway/client_certificates.h"
#include "gateway/rate_limiter.h"
#include "gateway/work_queue.h"
#include "grpcpp/generic/async_generic_service.h"

namespace gridserve::gateway {

// The backend that serves a full method name: "/gridserve.<backend>.v1.<Service>/<Method>"
// -> "<backend>". UNIMPLEMENTED for any other method.
absl::StatusOr<std::string> BackendOf(const std::string& method);

// Forwards every gridserve.<backend>.v1.* call, unary or streaming, to its
// backend as raw bytes: one generic path, no per-RPC code. Before forwarding:
// the method must be in the permission table (common/permissions.h), the
// caller's token must verify and grant the method's permission; calls that
// the table marks as audited pass `guard` (off gRPC's threads, on `queue`).
// The deadline, metadata (with the x-request-id and traceparent that the
// call-log interceptor adds when missing) and cancellation are passed on. A
// backend that cannot be reached yields UNAVAILABLE naming it.
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

  // `rules`: the permission table (tests pass their own).
  ForwardingService(PeerChannels& backends, const TokenCodec& tokens, CallGuard* guard, WorkQueue* queue,
                    Admission admission = {}, RuleLookup rules = FindMethodRule)
      : backends_(backends), tokens_(tokens), guard_(guard), queue_(queue), rules_(rules), admission_(admission) {}

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override;

 private:
  PeerChannels& backends_;
  const TokenCodec& tokens_;
  CallGuard* guard_;
  WorkQueue* queue_;
  RuleLookup rules_;
  Admission admission_;

  // The caller: from the bearer token, or else from a registered client
  // certificate, in which case `forwarded_token` receives the token to send
  // to the backend in its name.
  absl::StatusOr<Principal> Authenticate(grpc::GenericCallbackServerContext& context, std::string* forwarded_token) const;
};

}  // namespace gridserve::gateway
