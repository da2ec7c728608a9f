#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/errors.h"
#include "common/permissions.h"
#include "common/token.h"
#include "gateway/passwords.h"
#include "gateway/user.h"

namespace gridserve::gateway {

// "users/<id>", the subject of a user's tokens, and back ("" if not a user).
std::string SubjectOfUser(absl::string_view user_id);
std::string UserIdOfSubject(absl::string_view subject);

// True for a mainland mobile number: 1[3-9] and nine more digits.
bool IsMobilePhone(absl::string_view phone);

// Field violations of a new account (login name, display name, phone,
// org_code, password) with fields named "<prefix>login_name" etc.
std::vector<FieldViolation> ValidateNewUser(const User& user, absl::string_view initial_password,
                                            absl::string_view prefix);

// Whether `caller` may grant (or revoke) `binding`: the role is known, and
// some binding of the caller grants ACCOUNT_WRITE over a scope covering
// binding.org_scope with a role that does not rank below the granted one
// (equal is allowed: a TOWN_ADMIN may make another TOWN_ADMIN of its town).
// INVALID_ARGUMENT for an unknown role or bad scope, else PERMISSION_DENIED.
absl::Status CheckGrant(const Principal& caller, const RoleBinding& binding, absl::string_view field);

// `user` as `caller` may see it: the phone is masked (138****8000) unless
// the caller may read personal data of the user's organisation.
User MaskedFor(const Principal& caller, User user);

struct UserPage {
  std::vector<User> users;
  std::string next_page_token;
};

// The rules of AccountService: validation, object-level permission checks
// over the user's organisation, grant rules, masking, pagination. Storage is
// behind AccountStore.
class Accounts {
 public:

  Accounts(AccountStore& store, const PasswordHasher& passwords) : store_(store), passwords_(passwords) {}

  // Creates a user with `user.bindings` (each checked like GrantRole).
  absl::StatusOr<User> Create(const Principal& caller, User user, const std::string& initial_password,
                              const std::string& request_id, absl::Time deadline);
  absl::StatusOr<User> Get(const Principal& caller, const std::string& user_id, absl::Time deadline);
  absl::StatusOr<UserPage> List(const Principal& caller, const std::string& org_code, int page_size,
                                const std::string& page_token, absl::Time deadline);
  // `paths` names what changes: display_name, phone, status (ACTIVE or DISABLED).
  absl::StatusOr<User> Update(const Principal& caller, const User& user, const std::vector<std::string>& paths,
                              absl::Time deadline);
  // A user for itself (current_password required), or an administrator with
  // ACCOUNT_WRITE over the user's organisation. Ends the user's sessions.
  absl::Status SetPassword(const Principal& caller, const std::string& user_id, const std::string& current_password,
                           const std::string& new_password, absl::Time deadline);
  absl::StatusOr<User> GrantRole(const Principal& caller, const std::string& user_id, const RoleBinding& binding,
                                 absl::Time deadline);
  absl::StatusOr<User> RevokeRole(const Principal& caller, const std::string& user_id, const RoleBinding& binding,
                                  absl::Time deadline);

  // At start-up: when no account exists yet, creates `login_name` as
  // DISTRICT_ADMIN over `scope` (idempotent; request_id "bootstrap-admin").
  // Returns whether it created the account.
  absl::StatusOr<bool> BootstrapAdmin(const std::string& login_name, const std::string& password,
                                      const std::string& scope, absl::Time deadline);

 private:
  // The user, after checking `permission` over its organisation.
  absl::StatusOr<User> GetChecked(const Principal& caller, const std::string& user_id, Permission permission,
                                  absl::Time deadline);

  AccountStore& store_;
  const PasswordHasher& passwords_;
};

}  // namespace gridserve::gateway
