#pragma once

#include "common/token.h"
#include "gridserve/gateway/v1/auth.grpc.pb.h"

namespace gridserve::gateway {

// The principal as the API shows it.
void ToProto(const Principal& principal, v1::Principal* proto);

// gridserve.gateway.v1.AuthService, answered by the gateway itself.
class AuthService final : public v1::AuthService::Service {
 public:
  explicit AuthService(const TokenCodec& tokens) : tokens_(tokens) {}

  grpc::Status WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override;

 private:
  const TokenCodec& tokens_;
};

}  // namespace gridserve::gateway
