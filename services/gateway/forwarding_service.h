#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/peers.h"
#include "common/token.h"
#include "grpcpp/generic/async_generic_service.h"

namespace gridserve::gateway {

// The backend that serves a full method name: "/gridserve.<backend>.v1.<Service>/<Method>"
// -> "<backend>". UNIMPLEMENTED for any other method.
absl::StatusOr<std::string> BackendOf(const std::string& method);

// Forwards every gridserve.<backend>.v1.* call, unary or streaming, to its
// backend as raw bytes: one generic path, no per-RPC code. The caller's token
// is verified first; the deadline, metadata (with the x-request-id and
// traceparent that the call-log interceptor adds when missing) and
// cancellation are passed on. A backend
// that cannot be reached yields UNAVAILABLE naming it.
class ForwardingService final : public grpc::CallbackGenericService {
 public:
  ForwardingService(PeerChannels& backends, const TokenCodec& tokens) : backends_(backends), tokens_(tokens) {}

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override;

 private:
  PeerChannels& backends_;
  const TokenCodec& tokens_;
};

}  // namespace gridserve::gateway
