#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/peers.h"
#include "common/token.h"
#include "gateway/call_guard.h"
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
class ForwardingService final : public grpc::CallbackGenericService {
 public:
  using RuleLookup = const MethodRule* (*)(absl::string_view method);

  // `rules`: the permission table (tests pass their own).
  ForwardingService(PeerChannels& backends, const TokenCodec& tokens, CallGuard* guard, WorkQueue* queue,
                    RuleLookup rules = FindMethodRule)
      : backends_(backends), tokens_(tokens), guard_(guard), queue_(queue), rules_(rules) {}

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override;

 private:
  PeerChannels& backends_;
  const TokenCodec& tokens_;
  CallGuard* guard_;
  WorkQueue* queue_;
  RuleLookup rules_;
};

}  // namespace gridserve::gateway
