#include "gateway/auth_service.h"

#include "common/call_auth.h"
#include "common/errors.h"

namespace gridserve::gateway {

grpc::Status AuthService::WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                                 v1::WhoAmIResponse* response) {
  absl::StatusOr<Principal> caller = AuthenticateCall(*context, tokens_);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  v1::Principal* principal = response->mutable_principal();
  principal->set_subject(caller->subject);
  principal->set_org_scope(caller->org_scope);
  principal->set_expires_at(caller->expires_at);
  for (const std::string& role : caller->roles) {
    v1::Role value;
    if (v1::Role_Parse("ROLE_" + role, &value)) principal->add_roles(value);
  }
  return grpc::Status::OK;
}

}  // namespace gridserve::gateway
