#include "gateway/auth_service.h"

#include "common/call_auth.h"
#include "common/errors.h"

namespace gridserve::gateway {

void ToProto(const Principal& principal, v1::Principal* proto) {
  proto->set_subject(principal.subject);
  proto->mutable_expire_time()->set_seconds(principal.expires_at);
  for (const RoleBinding& binding : principal.bindings) {
    v1::Role role;
    if (!v1::Role_Parse("ROLE_" + binding.role, &role)) continue;
    v1::RoleBinding* proto_binding = proto->add_bindings();
    proto_binding->set_role(role);
    proto_binding->set_org_scope(binding.org_scope);
  }
}

grpc::Status AuthService::WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                                 v1::WhoAmIResponse* response) {
  absl::StatusOr<Principal> caller = AuthenticateCall(*context, tokens_);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  ToProto(*caller, response->mutable_principal());
  return grpc::Status::OK;
}

}  // namespace gridserve::gateway
