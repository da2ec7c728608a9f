#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/token.h"

namespace gridserve::gateway {

enum class UserStatus { kUnspecified, kActive, kLocked, kDisabled };

absl::string_view UserStatusName(UserStatus status);  // "ACTIVE", as stored
std::optional<UserStatus> UserStatusFromName(absl::string_view name);

// An account of a person (gateway schema, table users).
struct User {
  std::string id;  // UUID; the subject of its tokens is "users/<id>"
  std::string login_name;
  std::string display_name;
  std::string phone;  // "" or a mainland mobile number
  UserStatus status = UserStatus::kActive;
  std::string org_code;  // the organisation the account belongs to
  std::vector<RoleBinding> bindings;
  int failed_login_count = 0;
  std::optional<absl::Time> lock_expire_time;  // set while LOCKED
  absl::Time create_time;
  absl::Time update_time;
};

// What UpdateUser may change; unset fields stay.
struct UserUpdate {
  std::optional<std::string> display_name;
  std::optional<std::string> phone;
  std::optional<UserStatus> status;  // ACTIVE clears a lock; DISABLED also ends all sessions
};

// A stored refresh token (only its SHA-256 is stored).
struct RefreshTokenRecord {
  int64_t id = 0;
  std::string user_id;
  absl::Time expire_time;
  bool revoked = false;
  bool replaced = false;  // revoked by Refresh (a successor exists), not by Logout
};

// Storage of accounts, role bindings and refresh tokens. NOT_FOUND when the
// user or token does not exist; ALREADY_EXISTS for a taken login name.
class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Creates `user` with its bindings. With a request_id already used for the
  // same login name, answers that user (idempotent retry).
  virtual absl::StatusOr<User> CreateUser(const User& user, const std::string& password_hash,
                                          const std::string& request_id, absl::Time deadline) = 0;
  virtual absl::StatusOr<User> GetUser(const std::string& id, absl::Time deadline) = 0;
  // The user and its password hash, by login name.
  virtual absl::StatusOr<std::pair<User, std::string>> FindCredentials(const std::string& login_name,
                                                                       absl::Time deadline) = 0;
  // Users whose org_code starts with `org_prefix`, by login name after
  // `after_login_name`, at most `limit`.
  virtual absl::StatusOr<std::vector<User>> ListUsers(const std::string& org_prefix,
                                                      const std::string& after_login_name, int limit,
                                                      absl::Time deadline) = 0;
  virtual absl::StatusOr<bool> AnyUserExists(absl::Time deadline) = 0;
  virtual absl::StatusOr<User> UpdateUser(const std::string& id, const UserUpdate& update, absl::Time deadline) = 0;
  // Replaces the password hash and revokes every refresh token of the user.
  virtual absl::Status SetPasswordHash(const std::string& id, const std::string& password_hash,
                                       absl::Time deadline) = 0;
  // Adding a binding the user already has changes nothing.
  virtual absl::StatusOr<User> AddBinding(const std::string& id, const RoleBinding& binding, absl::Time deadline) = 0;
  // NOT_FOUND when the user does not hold the binding.
  virtual absl::StatusOr<User> RemoveBinding(const std::string& id, const RoleBinding& binding,
                                             absl::Time deadline) = 0;

  // Counts one failed login; the `max_failures`-th in a row locks the account
  // until now + lock_for (and starts the count again). Returns the user after.
  virtual absl::StatusOr<User> RecordLoginFailure(const std::string& id, int max_failures, absl::Time now,
                                                  absl::Duration lock_for, absl::Time deadline) = 0;
  // Resets the failure count and clears an expired lock.
  virtual absl::Status RecordLoginSuccess(const std::string& id, absl::Time now, absl::Time deadline) = 0;

  virtual absl::Status AddRefreshToken(const std::string& user_id, const std::string& token_sha256,
                                       absl::Time expire_time, absl::Time deadline) = 0;
  virtual absl::StatusOr<RefreshTokenRecord> FindRefreshToken(const std::string& token_sha256, absl::Time deadline) = 0;
  // Atomically revokes `old_sha256` and stores its successor; false when the
  // old token had already been revoked (a concurrent use of the same token).
  virtual absl::StatusOr<bool> RotateRefreshToken(const std::string& old_sha256, const std::string& new_sha256,
                                                  absl::Time new_expire_time, absl::Time deadline) = 0;
  // Revokes one token of `user_id`; nothing happens when it is unknown,
  // already revoked or someone else's.
  virtual absl::Status RevokeRefreshToken(const std::string& token_sha256, const std::string& user_id,
                                          absl::Time deadline) = 0;
  // Revokes every refresh token of the user; returns how many were active.
  virtual absl::StatusOr<int> RevokeAllRefreshTokens(const std::string& user_id, absl::Time deadline) = 0;
};

}  // namespace gridserve::gateway
