#include "gateway/auth_service.h"

#include "common/call_auth.h"
#include "common/errors.h"
#include "google/protobuf/util/time_util.h"

namespace gridserve::gateway {
namespace {

void SessionToProto(const IssuedSession& issued, v1::Session* proto) {
  proto->set_access_token(issued.access_token);
  proto->mutable_access_token_expire_time()->set_seconds(issued.principal.expires_at);
  proto->set_refresh_token(issued.refresh_token);
  *proto->mutable_refresh_token_expire_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(issued.refresh_token_expire_time));
  ToProto(issued.principal, proto->mutable_principal());
}

}  // namespace

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

grpc::Status AuthService::Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                                v1::LoginResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "Login");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<IssuedSession> session = sessions_.Login(request->login_name(), request->password(), call->deadline);
  if (!session.ok()) return ToGrpcStatus(session.status());
  SessionToProto(*session, response->mutable_session());
  return grpc::Status::OK;
}

grpc::Status AuthService::Refresh(grpc::ServerContext* context, const v1::RefreshRequest* request,
                                  v1::RefreshResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "Refresh");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<IssuedSession> session = sessions_.Refresh(request->refresh_token(), call->deadline);
  if (!session.ok()) return ToGrpcStatus(session.status());
  SessionToProto(*session, response->mutable_session());
  return grpc::Status::OK;
}

grpc::Status AuthService::Logout(grpc::ServerContext* context, const v1::LogoutRequest* request,
                                 v1::LogoutResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "Logout");
  if (!call.ok()) return ToGrpcStatus(call.status());
  return ToGrpcStatus(sessions_.Logout(call->caller, request->refresh_token(), call->deadline));
}

grpc::Status AuthService::WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                                 v1::WhoAmIResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "WhoAmI");
  if (!call.ok()) return ToGrpcStatus(call.status());
  ToProto(call->caller, response->mutable_principal());
  return grpc::Status::OK;
}

}  // namespace gridserve::gateway
