#pragma once

#include "common/call_auth.h"
#include "common/token.h"
#include "gateway/sessions.h"
#include "gridserve/gateway/v1/auth.grpc.pb.h"

namespace gridserve::gateway {

// The principal as the API shows it.
void ToProto(const Principal& principal, v1::Principal* proto);

// gridserve.gateway.v1.AuthService, answered by the gateway itself.
class AuthService final : public v1::AuthService::Service {
 public:
  AuthService(Sessions& sessions, const TokenCodec& tokens) : sessions_(sessions), authorize_(tokens, v1::AuthService::service_full_name()) {}

  grpc::Status Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                     v1::LoginResponse* response) override;
  grpc::Status Refresh(grpc::ServerContext* context, const v1::RefreshRequest* request,
                       v1::RefreshResponse* response) override;
  grpc::Status Logout(grpc::ServerContext* context, const v1::LogoutRequest* request,
                      v1::LogoutResponse* response) override;
  grpc::Status WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override;

 private:
  Sessions& sessions_;
  const MethodAuthorizer authorize_;
};

}  // namespace gridserve::gateway
