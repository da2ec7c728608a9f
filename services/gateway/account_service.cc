#include "gateway/account_service.h"

#include "common/call_auth.h"
#include "common/errors.h"
#include "google/protobuf/util/time_util.h"

namespace gridserve::gateway {
namespace {

using google::protobuf::util::TimeUtil;

v1::UserStatus ToProto(UserStatus status) {
  switch (status) {
    case UserStatus::kActive:
      return v1::USER_STATUS_ACTIVE;
    case UserStatus::kLocked:
      return v1::USER_STATUS_LOCKED;
    case UserStatus::kDisabled:
      return v1::USER_STATUS_DISABLED;
    case UserStatus::kUnspecified:
      return v1::USER_STATUS_UNSPECIFIED;
  }
  return v1::USER_STATUS_UNSPECIFIED;
}

UserStatus FromProto(v1::UserStatus status) {
  switch (status) {
    case v1::USER_STATUS_ACTIVE:
      return UserStatus::kActive;
    case v1::USER_STATUS_LOCKED:
      return UserStatus::kLocked;
    case v1::USER_STATUS_DISABLED:
      return UserStatus::kDisabled;
    default:
      return UserStatus::kUnspecified;
  }
}

google::protobuf::Timestamp Timestamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

// Runs `body` for the authorized caller of `method` and maps its status to the wire.
template <typename Body>
grpc::Status AsCaller(grpc::ServerContext* context, const MethodAuthorizer& authorize, absl::string_view method,
                      Body body) {
  absl::StatusOr<AuthorizedCall> call = authorize(*context, method);
  if (!call.ok()) return ToGrpcStatus(call.status());
  return ToGrpcStatus(body(call->caller, call->deadline));
}

}  // namespace

void ToProto(const User& user, v1::User* proto) {
  proto->set_user_id(user.id);
  proto->set_login_name(user.login_name);
  proto->set_display_name(user.display_name);
  proto->set_phone(user.phone);
  proto->set_status(ToProto(user.status));
  proto->set_org_code(user.org_code);
  for (const RoleBinding& binding : user.bindings) {
    v1::RoleBinding* proto_binding = proto->add_bindings();
    v1::Role role;
    if (v1::Role_Parse("ROLE_" + binding.role, &role)) proto_binding->set_role(role);
    proto_binding->set_org_scope(binding.org_scope);
  }
  if (user.lock_expire_time.has_value()) *proto->mutable_lock_expire_time() = Timestamp(*user.lock_expire_time);
  *proto->mutable_create_time() = Timestamp(user.create_time);
  *proto->mutable_update_time() = Timestamp(user.update_time);
}

RoleBinding FromProto(const v1::RoleBinding& proto) {
  std::string role;
  if (proto.role() != v1::ROLE_UNSPECIFIED && v1::Role_IsValid(proto.role())) {
    role = v1::Role_Name(proto.role()).substr(5);  // without "ROLE_"
  }
  return {role, proto.org_scope()};
}

grpc::Status AccountService::CreateUser(grpc::ServerContext* context, const v1::CreateUserRequest* request,
                                        v1::CreateUserResponse* response) {
  return AsCaller(context, authorize_, "CreateUser", [&](const Principal& caller, absl::Time deadline) -> absl::Status {
    const v1::User& proto = request->user();
    User user{.login_name = proto.login_name(),
              .display_name = proto.display_name(),
              .phone = proto.phone(),
              .org_code = proto.org_code()};
    for (const v1::RoleBinding& binding : proto.bindings()) user.bindings.push_back(FromProto(binding));
    absl::StatusOr<User> created =
        accounts_.Create(caller, std::move(user), request->initial_password(), request->request_id(), deadline);
    if (!created.ok()) return created.status();
    ToProto(*created, response->mutable_user());
    return absl::OkStatus();
  });
}

grpc::Status AccountService::GetUser(grpc::ServerContext* context, const v1::GetUserRequest* request,
                                     v1::GetUserResponse* response) {
  return AsCaller(context, authorize_, "GetUser", [&](const Principal& caller, absl::Time deadline) -> absl::Status {
    absl::StatusOr<User> user = accounts_.Get(caller, request->user_id(), deadline);
    if (!user.ok()) return user.status();
    ToProto(*user, response->mutable_user());
    return absl::OkStatus();
  });
}

grpc::Status AccountService::ListUsers(grpc::ServerContext* context, const v1::ListUsersRequest* request,
                                       v1::ListUsersResponse* response) {
  return AsCaller(context, authorize_, "ListUsers", [&](const Principal& caller, absl::Time deadline) -> absl::Status {
    absl::StatusOr<UserPage> page =
        accounts_.List(caller, request->org_code(), request->page_size(), request->page_token(), deadline);
    if (!page.ok()) return page.status();
    for (const User& user : page->users) ToProto(user, response->add_users());
    response->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status AccountService::UpdateUser(grpc::ServerContext* context, const v1::UpdateUserRequest* request,
                                        v1::UpdateUserResponse* response) {
  return AsCaller(context, authorize_, "UpdateUser", [&](const Principal& caller, absl::Time deadline) -> absl::Status {
    const v1::User& proto = request->user();
    User user{.id = proto.user_id(),
              .display_name = proto.display_name(),
              .phone = proto.phone(),
              .status = FromProto(proto.status())};
    std::vector<std::string> paths(request->update_mask().paths().begin(), request->update_mask().paths().end());
    absl::StatusOr<User> updated = accounts_.Update(caller, user, paths, deadline);
    if (!updated.ok()) return updated.status();
    ToProto(*updated, response->mutable_user());
    return absl::OkStatus();
  });
}

grpc::Status AccountService::SetPassword(grpc::ServerContext* context, const v1::SetPasswordRequest* request,
                                         v1::SetPasswordResponse* response) {
  return AsCaller(context, authorize_, "SetPassword", [&](const Principal& caller, absl::Time deadline) -> absl::Status {
    return accounts_.SetPassword(caller, request->user_id(), request->current_password(), request->new_password(),
                                 deadline);
  });
}

grpc::Status AccountService::GrantRole(grpc::ServerContext* context, const v1::GrantRoleRequest* request,
                                       v1::GrantRoleResponse* response) {
  return AsCaller(context, authorize_, "GrantRole", [&](const Principal& caller, absl::Time deadline) -> absl::Status {
    absl::StatusOr<User> user =
        accounts_.GrantRole(caller, request->user_id(), FromProto(request->binding()), deadline);
    if (!user.ok()) return user.status();
    ToProto(*user, response->mutable_user());
    return absl::OkStatus();
  });
}

grpc::Status AccountService::RevokeRole(grpc::ServerContext* context, const v1::RevokeRoleRequest* request,
                                        v1::RevokeRoleResponse* response) {
  return AsCaller(context, authorize_, "RevokeRole", [&](const Principal& caller, absl::Time deadline) -> absl::Status {
    absl::StatusOr<User> user =
        accounts_.RevokeRole(caller, request->user_id(), FromProto(request->binding()), deadline);
    if (!user.ok()) return user.status();
    ToProto(*user, response->mutable_user());
    return absl::OkStatus();
  });
}

}  // namespace gridserve::gateway
