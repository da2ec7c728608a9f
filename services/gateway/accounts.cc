#include "gateway/accounts.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/division.h"
#include "common/utf8.h"
#include "common/paging.h"
#include "common/permissions.h"
#include "common/pii.h"
#include "common/status_macros.h"

namespace gridserve::gateway {
namespace {

constexpr char kUserPrefix[] = "users/";
constexpr size_t kMaxDisplayNameChars = 50;

bool IsLoginName(absl::string_view name) {
  return name.size() >= 3 && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-';
         });
}

// A canonical UUID (what users.id holds), so a malformed id is a client error, not a database one.
bool IsUserId(absl::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? id[i] != '-' : !absl::ascii_isxdigit(static_cast<unsigned char>(id[i]))) return false;
  }
  return true;
}

absl::Status CheckUserId(absl::string_view id, absl::string_view field) {
  if (IsUserId(id)) return absl::OkStatus();
  return InvalidField(
      std::string(field),
      "must be a user id such as 3f2c1e9a-7b1d-4c55-9a0e-2d4f6b8c1a20 (the user_id of GetUser/ListUsers)");
}

void AddDisplayNameViolation(const std::string& display_name, const std::string& field,
                             std::vector<FieldViolation>& violations) {
  std::string name(absl::StripAsciiWhitespace(display_name));
  if (name.empty()) {
    violations.push_back({field, "is required, e.g. 张三"});
  } else if (CodePoints(name) > kMaxDisplayNameChars) {
    violations.push_back({field, absl::StrCat("must be at most ", kMaxDisplayNameChars, " characters")});
  } else if (std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    violations.push_back({field, "must not contain control characters"});
  }
}

void AddPhoneViolation(const std::string& phone, const std::string& field, std::vector<FieldViolation>& violations) {
  if (!phone.empty() && !IsMobilePhone(phone)) {
    violations.push_back({field,
                          "must be a mainland mobile number of 11 digits starting 13-19, e.g. 13812348000 "
                          "(no spaces or +86), or empty"});
  }
}

std::string BindingName(const RoleBinding& binding) { return absl::StrCat(binding.role, "@", binding.org_scope); }

}  // namespace

std::string SubjectOfUser(absl::string_view user_id) { return absl::StrCat(kUserPrefix, user_id); }

std::string UserIdOfSubject(absl::string_view subject) {
  if (!absl::ConsumePrefix(&subject, kUserPrefix) || !IsUserId(subject)) return "";
  return std::string(subject);
}

bool IsMobilePhone(absl::string_view phone) {
  return phone.size() == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9' &&
         std::all_of(phone.begin(), phone.end(), [](unsigned char c) { return absl::ascii_isdigit(c); });
}

std::vector<FieldViolation> ValidateNewUser(const User& user, absl::string_view initial_password,
                                            absl::string_view prefix) {
  std::vector<FieldViolation> violations;
  auto field = [&](absl::string_view name) { return absl::StrCat(prefix, name); };
  if (!IsLoginName(user.login_name)) {
    violations.push_back(
        {field("login_name"), "must be 3-32 characters of letters, digits, '.', '_' and '-', e.g. zhang.san"});
  }
  AddDisplayNameViolation(user.display_name, field("display_name"), violations);
  AddPhoneViolation(user.phone, field("phone"), violations);
  if (!IsDivisionCode(user.org_code)) {
    violations.push_back(
        {field("org_code"), "must be the 12-digit division code of the account's organisation, e.g. 500114101201"});
  }
  if (std::string problem = NewPasswordProblem(initial_password); !problem.empty()) {
    violations.push_back({"initial_password", problem});
  }
  return violations;
}

absl::Status CheckGrant(const Principal& caller, const RoleBinding& binding, absl::string_view field) {
  std::vector<FieldViolation> violations;
  if (!IsKnownRole(binding.role)) {
    violations.push_back(
        {absl::StrCat(field, ".role"), absl::StrCat("must be one of ", absl::StrJoin(AllRoles(), ", "))});
  }
  if (!IsDivisionCode(binding.org_scope)) {
    violations.push_back({absl::StrCat(field, ".org_scope"),
                          "must be the 12-digit division code the role applies to, e.g. 500114101000"});
  } else if (std::string problem = BindingScopeProblem(binding.role, binding.org_scope);
             IsKnownRole(binding.role) && !problem.empty()) {
    violations.push_back({absl::StrCat(field, ".org_scope"), problem});
  }
  if (!violations.empty()) return InvalidArgument(violations);
  bool in_scope = false;
  for (const RoleBinding& held : caller.bindings) {
    if (!RoleGrants(held.role, Permission::kAccountWrite) || !IsDivisionCode(held.org_scope) ||
        !ScopeCovers(held.org_scope, binding.org_scope)) {
      continue;
    }
    in_scope = true;
    if (RoleRank(held.role) <= RoleRank(binding.role)) return absl::OkStatus();
  }
  std::vector<std::string> held;
  for (const RoleBinding& binding : caller.bindings) held.push_back(BindingName(binding));
  std::string roles = held.empty() ? "no roles" : absl::StrJoin(held, ", ");
  if (in_scope) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot grant or revoke ", BindingName(binding), ": ", binding.role, " ranks above every role you hold over ",
        binding.org_scope, " (you hold ", roles, "); ask an administrator holding ", binding.role, " or higher there"));
  }
  return absl::PermissionDeniedError(absl::StrCat("cannot grant or revoke ", BindingName(binding),
                                                  ": no role of yours grants ACCOUNT_WRITE over ", binding.org_scope,
                                                  " (you hold ", roles, "); grant roles only inside your own scope"));
}

User MaskedFor(const Principal& caller, User user) {
  if (!MayReadPersonalData(caller, user.org_code)) user.phone = MaskPhone(user.phone);
  return user;
}

absl::StatusOr<User> Accounts::GetChecked(const Principal& caller, const std::string& user_id, Permission permission,
                                          absl::Time deadline) {
  RETURN_IF_ERROR(CheckUserId(user_id, "user_id"));
  ASSIGN_OR_RETURN(User user, store_.GetUser(user_id, deadline));
  RETURN_IF_ERROR(RequirePermissionAt(caller, permission, user.org_code, "the user's org_code"));
  return user;
}

absl::StatusOr<User> Accounts::Create(const Principal& caller, User user, const std::string& initial_password,
                                      const std::string& request_id, absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kAccountWrite, "creating an account"));
  std::vector<FieldViolation> violations = ValidateNewUser(user, initial_password, "user.");
  if (request_id.size() > 64) violations.push_back({"request_id", "must be at most 64 characters, e.g. a UUID"});
  if (!violations.empty()) return InvalidArgument(violations);
  RETURN_IF_ERROR(RequirePermissionAt(caller, Permission::kAccountWrite, user.org_code, "user.org_code"));
  for (size_t i = 0; i < user.bindings.size(); ++i) {
    RETURN_IF_ERROR(CheckGrant(caller, user.bindings[i], absl::StrCat("user.bindings[", i, "]")));
  }
  user.display_name = std::string(absl::StripAsciiWhitespace(user.display_name));
  user.status = UserStatus::kActive;
  ASSIGN_OR_RETURN(std::string hash, passwords_.Hash(initial_password));
  ASSIGN_OR_RETURN(User created, store_.CreateUser(user, hash, request_id, deadline));
  return MaskedFor(caller, std::move(created));
}

absl::StatusOr<User> Accounts::Get(const Principal& caller, const std::string& user_id, absl::Time deadline) {
  ASSIGN_OR_RETURN(User user, GetChecked(caller, user_id, Permission::kAccountRead, deadline));
  return MaskedFor(caller, std::move(user));
}

absl::StatusOr<UserPage> Accounts::List(const Principal& caller, const std::string& org_code, int page_size,
                                        const std::string& page_token, absl::Time deadline) {
  std::vector<FieldViolation> violations;
  if (!IsDivisionCode(org_code)) {
    violations.push_back(
        {"org_code", "is required: the 12-digit division code whose accounts to list, e.g. 500114101000"});
  }
  CheckPageSize(page_size, violations);
  if (!violations.empty()) return InvalidArgument(violations);
  RETURN_IF_ERROR(RequirePermissionAt(caller, Permission::kAccountRead, org_code, "org_code"));
  std::string after;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(after, DecodePageToken(page_token, org_code, IsLoginName, "org_code"));
  }
  int limit = PageLimit(page_size);
  ASSIGN_OR_RETURN(std::vector<User> rows,
                   store_.ListUsers(std::string(SignificantPrefix(org_code)), after, limit + 1, deadline));
  UserPage page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.next_page_token = EncodePageToken(org_code, rows.back().login_name);
  }
  for (User& user : rows) page.users.push_back(MaskedFor(caller, std::move(user)));
  return page;
}

absl::StatusOr<User> Accounts::Update(const Principal& caller, const User& user, const std::vector<std::string>& paths,
                                      absl::Time deadline) {
  RETURN_IF_ERROR(CheckUserId(user.id, "user.user_id"));
  std::vector<FieldViolation> violations;
  UserUpdate update;
  if (paths.empty()) violations.push_back({"update_mask", "is required: name display_name, phone and/or status"});
  for (const std::string& path : paths) {
    if (path == "display_name") {
      AddDisplayNameViolation(user.display_name, "user.display_name", violations);
      update.display_name = std::string(absl::StripAsciiWhitespace(user.display_name));
    } else if (path == "phone") {
      AddPhoneViolation(user.phone, "user.phone", violations);
      update.phone = user.phone;
    } else if (path == "status") {
      if (user.status != UserStatus::kActive && user.status != UserStatus::kDisabled) {
        violations.push_back({"user.status",
                              "must be USER_STATUS_ACTIVE (also lifts a lock) or USER_STATUS_DISABLED; "
                              "LOCKED is set only by failed logins"});
      }
      update.status = user.status;
    } else {
      violations.push_back({"update_mask", absl::StrCat("field '", path,
                                                        "' cannot be changed here; UpdateUser changes "
                                                        "display_name, phone and status (roles: GrantRole/RevokeRole, "
                                                        "password: SetPassword)")});
    }
  }
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(User current, GetChecked(caller, user.id, Permission::kAccountWrite, deadline));
  if (update.status == UserStatus::kDisabled && caller.subject == SubjectOfUser(current.id)) {
    return absl::FailedPreconditionError("you cannot disable your own account; ask another administrator");
  }
  ASSIGN_OR_RETURN(User updated, store_.UpdateUser(current.id, update, deadline));
  return MaskedFor(caller, std::move(updated));
}

absl::Status Accounts::SetPassword(const Principal& caller, const std::string& user_id,
                                   const std::string& current_password, const std::string& new_password,
                                   absl::Time deadline) {
  RETURN_IF_ERROR(CheckUserId(user_id, "user_id"));
  if (std::string problem = NewPasswordProblem(new_password); !problem.empty()) {
    return InvalidField("new_password", problem);
  }
  bool self = caller.subject == SubjectOfUser(user_id);
  User user;
  if (self) {
    // Even an administrator proves it is itself, so a stolen access token
    // alone cannot take over the account.
    if (current_password.empty()) {
      return InvalidField("current_password", "is required to change your own password");
    }
    ASSIGN_OR_RETURN(user, store_.GetUser(user_id, deadline));
    ASSIGN_OR_RETURN(auto credentials, store_.FindCredentials(user.login_name, deadline));
    if (!passwords_.Verify(credentials.second, current_password)) {
      return absl::PermissionDeniedError("current_password is wrong; enter the password you log in with");
    }
  } else {
    ASSIGN_OR_RETURN(user, GetChecked(caller, user_id, Permission::kAccountWrite, deadline));
  }
  ASSIGN_OR_RETURN(std::string hash, passwords_.Hash(new_password));
  return store_.SetPasswordHash(user.id, hash, deadline);
}

absl::StatusOr<User> Accounts::GrantRole(const Principal& caller, const std::string& user_id,
                                         const RoleBinding& binding, absl::Time deadline) {
  RETURN_IF_ERROR(CheckUserId(user_id, "user_id"));
  RETURN_IF_ERROR(CheckGrant(caller, binding, "binding"));
  ASSIGN_OR_RETURN(User user, GetChecked(caller, user_id, Permission::kAccountWrite, deadline));
  ASSIGN_OR_RETURN(User updated, store_.AddBinding(user.id, binding, deadline));
  return MaskedFor(caller, std::move(updated));
}

absl::StatusOr<User> Accounts::RevokeRole(const Principal& caller, const std::string& user_id,
                                          const RoleBinding& binding, absl::Time deadline) {
  RETURN_IF_ERROR(CheckUserId(user_id, "user_id"));
  RETURN_IF_ERROR(CheckGrant(caller, binding, "binding"));
  ASSIGN_OR_RETURN(User user, GetChecked(caller, user_id, Permission::kAccountWrite, deadline));
  ASSIGN_OR_RETURN(User updated, store_.RemoveBinding(user.id, binding, deadline));
  return MaskedFor(caller, std::move(updated));
}

absl::StatusOr<bool> Accounts::BootstrapAdmin(const std::string& login_name, const std::string& password,
                                              const std::string& scope, absl::Time deadline) {
  ASSIGN_OR_RETURN(bool any, store_.AnyUserExists(deadline));
  if (any) return false;
  User admin{.login_name = login_name,
             .display_name = "Bootstrap administrator",
             .org_code = scope,
             .bindings = {{"DISTRICT_ADMIN", scope}}};
  std::vector<FieldViolation> violations = ValidateNewUser(admin, password, "bootstrap_admin_");
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(std::string hash, passwords_.Hash(password));
  absl::StatusOr<User> created = store_.CreateUser(admin, hash, "bootstrap-admin", deadline);
  if (!created.ok()) return created.status();
  return true;
}

}  // namespace gridserve::gateway
