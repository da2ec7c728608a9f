// user create | get | list | update | set-password | grant | revoke.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "tools/gridctl/commands.h"
#include "tools/gridctl/output.h"

namespace gridserve::gridctl {
namespace {

void PrintUser(const v1::User& user, std::ostream& out) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"user id", user.user_id()},
      {"login name", user.login_name()},
      {"display name", user.display_name()},
      {"phone", user.phone().empty() ? "-" : user.phone()},
      {"status", StatusName(user.status())},
      {"organisation", user.org_code()},
      {"roles", BindingsText(user.bindings())},
  };
  if (user.has_lock_expire_time()) rows.push_back({"locked until", FormatTimestamp(user.lock_expire_time())});
  rows.push_back({"created", FormatTimestamp(user.create_time())});
  rows.push_back({"updated", FormatTimestamp(user.update_time())});
  out << KeyValues(rows);
}

absl::Status Print(Invocation& run, const v1::User& user) {
  if (run.line.global.json) {
    run.out << ToJson(user);
  } else {
    PrintUser(user, run.out);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::UserStatus> ParseStatus(const std::string& text) {
  v1::UserStatus status;
  std::string name = "USER_STATUS_" + absl::AsciiStrToUpper(text);
  if (!v1::UserStatus_Parse(name, &status) || status == v1::USER_STATUS_UNSPECIFIED) {
    return UsageError(absl::StrCat("--status must be active, locked or disabled (got \"", text, "\")"));
  }
  return status;
}

absl::StatusOr<v1::RoleBinding> BindingFlags(const CommandLine& line) {
  if (absl::Status s = RequireFlags(line, {"role", "scope"}); !s.ok()) return s;
  std::string name = absl::AsciiStrToUpper(*line.Flag("role"));
  v1::Role role;
  if (!v1::Role_Parse(absl::StrCat("ROLE_", absl::StripPrefix(name, "ROLE_")), &role) || role == v1::ROLE_UNSPECIFIED) {
    std::vector<std::string> roles;
    for (int i = 1; i <= v1::Role_MAX; ++i) {
      if (v1::Role_IsValid(i)) roles.push_back(RoleName(static_cast<v1::Role>(i)));
    }
    return UsageError(
        absl::StrCat("--role must be one of ", absl::StrJoin(roles, ", "), " (got \"", *line.Flag("role"), "\")"));
  }
  v1::RoleBinding binding;
  binding.set_role(role);
  binding.set_org_scope(*line.Flag("scope"));
  return binding;
}

absl::Status Create(Invocation& run) {
  if (absl::Status s = RequireFlags(run.line, {"display-name", "org"}); !s.ok()) return s;
  v1::CreateUserRequest request;
  v1::User* user = request.mutable_user();
  user->set_login_name(run.line.arguments[0]);
  user->set_display_name(*run.line.Flag("display-name"));
  user->set_org_code(*run.line.Flag("org"));
  user->set_phone(run.line.Flag("phone").value_or(""));
  request.set_request_id(run.line.Flag("request-id").value_or(NewRequestId()));
  absl::StatusOr<std::string> password =
      run.passwords.ReadNew(absl::StrCat("Initial password for ", user->login_name(), ": "));
  if (!password.ok()) return password.status();
  request.set_initial_password(*password);
  v1::CreateUserResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.accounts().CreateUser(context, request, &response);
  });
  if (!status.ok()) return status;
  return Print(run, response.user());
}

absl::Status Get(Invocation& run) {
  v1::GetUserRequest request;
  request.set_user_id(UserIdArgument(run.line.arguments[0]));
  v1::GetUserResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.accounts().GetUser(context, request, &response);
  });
  if (!status.ok()) return status;
  return Print(run, response.user());
}

absl::Status List(Invocation& run) {
  if (absl::Status s = RequireFlags(run.line, {"org"}); !s.ok()) return s;
  absl::StatusOr<int> page_size = IntFlag(run.line, "page-size", 0, 1, 1000);
  if (!page_size.ok()) return page_size.status();
  v1::ListUsersRequest request;
  request.set_org_code(run.line.Flag("org").value_or(""));
  request.set_page_size(*page_size);
  request.set_page_token(run.line.Flag("page-token").value_or(""));
  bool all = run.line.Has("all");
  v1::ListUsersResponse result;
  absl::Status listed = ListPages(
      run.gateway, request, all, result,
      [&](grpc::ClientContext* context, const v1::ListUsersRequest& page_request, v1::ListUsersResponse* page) {
        return run.gateway.accounts().ListUsers(context, page_request, page);
      },
      [](v1::ListUsersResponse& into, const v1::ListUsersResponse& page) { into.mutable_users()->MergeFrom(page.users()); });
  if (!listed.ok()) return listed;
  if (run.line.global.json) {
    run.out << ToJson(result);
    return absl::OkStatus();
  }
  Table table({"USER ID", "LOGIN NAME", "DISPLAY NAME", "PHONE", "STATUS", "ORGANISATION", "ROLES"});
  for (const v1::User& user : result.users()) {
    table.AddRow({user.user_id(), user.login_name(), user.display_name(), user.phone().empty() ? "-" : user.phone(),
                  StatusName(user.status()), user.org_code(), BindingsText(user.bindings())});
  }
  run.out << (table.empty() ? "No users.\n" : table.Render());
  if (!result.next_page_token().empty()) {
    run.out << "More users: repeat with --page-token=" << result.next_page_token() << ", or use --all.\n";
  }
  return absl::OkStatus();
}

absl::Status Update(Invocation& run) {
  v1::UpdateUserRequest request;
  v1::User* user = request.mutable_user();
  user->set_user_id(UserIdArgument(run.line.arguments[0]));
  if (auto name = run.line.Flag("display-name")) {
    user->set_display_name(*name);
    request.mutable_update_mask()->add_paths("display_name");
  }
  if (auto phone = run.line.Flag("phone")) {
    user->set_phone(*phone);
    request.mutable_update_mask()->add_paths("phone");
  }
  if (auto text = run.line.Flag("status")) {
    absl::StatusOr<v1::UserStatus> status = ParseStatus(*text);
    if (!status.ok()) return status.status();
    user->set_status(*status);
    request.mutable_update_mask()->add_paths("status");
  }
  if (request.update_mask().paths().empty()) {
    return UsageError("nothing to update: give --display-name, --phone or --status");
  }
  v1::UpdateUserResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.accounts().UpdateUser(context, request, &response);
  });
  if (!status.ok()) return status;
  return Print(run, response.user());
}

absl::Status SetPassword(Invocation& run) {
  v1::SetPasswordRequest request;
  request.set_user_id(UserIdArgument(run.line.arguments[0]));
  if (run.line.Has("current")) {
    absl::StatusOr<std::string> current = run.passwords.Read("Current password: ");
    if (!current.ok()) return current.status();
    request.set_current_password(*current);
  }
  absl::StatusOr<std::string> password = run.passwords.ReadNew("New password: ");
  if (!password.ok()) return password.status();
  request.set_new_password(*password);
  v1::SetPasswordResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.accounts().SetPassword(context, request, &response);
  });
  if (!status.ok()) return status;
  if (run.line.global.json) {
    run.out << ToJson(response);
  } else {
    run.out << "Password of users/" << request.user_id() << " changed.\n";
  }
  return absl::OkStatus();
}

absl::Status Grant(Invocation& run) {
  absl::StatusOr<v1::RoleBinding> binding = BindingFlags(run.line);
  if (!binding.ok()) return binding.status();
  v1::GrantRoleRequest request;
  request.set_user_id(UserIdArgument(run.line.arguments[0]));
  *request.mutable_binding() = *binding;
  v1::GrantRoleResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.accounts().GrantRole(context, request, &response);
  });
  if (!status.ok()) return status;
  return Print(run, response.user());
}

absl::Status Revoke(Invocation& run) {
  absl::StatusOr<v1::RoleBinding> binding = BindingFlags(run.line);
  if (!binding.ok()) return binding.status();
  v1::RevokeRoleRequest request;
  request.set_user_id(UserIdArgument(run.line.arguments[0]));
  *request.mutable_binding() = *binding;
  v1::RevokeRoleResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.accounts().RevokeRole(context, request, &response);
  });
  if (!status.ok()) return status;
  return Print(run, response.user());
}

const FlagSpec kPasswordStdin{"password-stdin", "", "read passwords from standard input, one per line"};
const FlagSpec kRole{"role", "ROLE",
                     "DISTRICT_ADMIN, TOWN_ADMIN, VILLAGE_SECRETARY, GRID_LEADER, MEMBER, RATER, "
                     "AUDITOR, SYSTEM_READER or SYSTEM_WRITER"};
const FlagSpec kScope{"scope", "CODE", "12-digit division code the role applies to (and below)"};

}  // namespace

std::string UserIdArgument(const std::string& argument) { return std::string(absl::StripPrefix(argument, "users/")); }

void AddUserCommands(CommandSet& commands) {
  commands.Add({.path = "user create",
                .arguments = "LOGIN_NAME",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {{"display-name", "NAME", "name shown to people (required)"},
                          {"org", "CODE", "12-digit division code the account belongs to (required)"},
                          {"phone", "PHONE", "mainland mobile number"},
                          {"request-id", "ID",
                           "idempotency key: repeating a create with it changes nothing "
                           "(default: a new random id)"},
                          kPasswordStdin},
                .summary = "Create a user account (asks for the initial password twice)."},
               Create);
  commands.Add({.path = "user get",
                .arguments = "USER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .summary = "Show one user account."},
               Get);
  commands.Add({.path = "user list",
                .flags = {{"org", "CODE", "accounts of this organisation and below (required)"},
                          {"page-size", "N", "accounts per page (1-1000; default: the server's)"},
                          {"page-token", "TOKEN", "continue from a previous page"},
                          {"all", "", "follow next_page_token and print every page"}},
                .summary = "List user accounts by login name."},
               List);
  commands.Add({.path = "user update",
                .arguments = "USER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {{"display-name", "NAME", "new display name"},
                          {"phone", "PHONE", "new phone number (empty to clear)"},
                          {"status", "STATUS", "active, locked or disabled"}},
                .summary = "Change the display name, phone or status of an account (only the flags given)."},
               Update);
  commands.Add(
      {.path = "user set-password",
       .arguments = "USER_ID",
       .min_arguments = 1,
       .max_arguments = 1,
       .flags = {{"current", "", "ask for the current password first (needed for your own account)"}, kPasswordStdin},
       .summary = "Set a new password (asks twice; with --password-stdin: current line first, then new)."},
      SetPassword);
  commands.Add({.path = "user grant",
                .arguments = "USER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {kRole, kScope},
                .summary = "Grant a role over an organisation subtree."},
               Grant);
  commands.Add({.path = "user revoke",
                .arguments = "USER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {kRole, kScope},
                .summary = "Revoke a role binding."},
               Revoke);
}

}  // namespace gridserve::gridctl
