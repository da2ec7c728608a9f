#pragma once

#include <memory>

#include "common/token.h"
#include "grpcpp/support/server_interceptor.h"

namespace gridserve {

// A server interceptor that writes one JSON log line per call: method, status
// code, latency, request id, caller subject and peer.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeCallLogInterceptorFactory(
    const TokenCodec* codec);

}  // namespace gridserve
