#pragma once

#include "common/call_auth.h"
#include "common/token.h"
#include "gateway/accounts.h"
#include "gridserve/gateway/v1/account.grpc.pb.h"

namespace gridserve::gateway {

void ToProto(const User& user, v1::User* proto);
// A binding from the API ("" role for ROLE_UNSPECIFIED or an unknown value).
RoleBinding FromProto(const v1::RoleBinding& proto);

// gridserve.gateway.v1.AccountService: the gRPC face of Accounts.
class AccountService final : public v1::AccountService::Service {
 public:
  AccountService(Accounts& accounts, const TokenCodec& tokens) : accounts_(accounts), authorize_(tokens, v1::AccountService::service_full_name()) {}

  grpc::Status CreateUser(grpc::ServerContext* context, const v1::CreateUserRequest* request,
                          v1::CreateUserResponse* response) override;
  grpc::Status GetUser(grpc::ServerContext* context, const v1::GetUserRequest* request,
                       v1::GetUserResponse* response) override;
  grpc::Status ListUsers(grpc::ServerContext* context, const v1::ListUsersRequest* request,
                         v1::ListUsersResponse* response) override;
  grpc::Status UpdateUser(grpc::ServerContext* context, const v1::UpdateUserRequest* request,
                          v1::UpdateUserResponse* response) override;
  grpc::Status SetPassword(grpc::ServerContext* context, const v1::SetPasswordRequest* request,
                           v1::SetPasswordResponse* response) override;
  grpc::Status GrantRole(grpc::ServerContext* context, const v1::GrantRoleRequest* request,
                         v1::GrantRoleResponse* response) override;
  grpc::Status RevokeRole(grpc::ServerContext* context, const v1::RevokeRoleRequest* request,
                          v1::RevokeRoleResponse* response) override;

 private:
  Accounts& accounts_;
  const MethodAuthorizer authorize_;
};

}  // namespace gridserve::gateway
