#pragma once

#include "common/pg_pool.h"
#include "gateway/user.h"

namespace gridserve::gateway {

// AccountStore on the gateway schema (sql/migrations/0001_accounts.sql).
class PgAccountStore : public AccountStore {
 public:
  explicit PgAccountStore(PgPool& pool) : pool_(pool) {}

  absl::StatusOr<User> CreateUser(const User& user, const std::string& password_hash, const std::string& request_id,
                                  absl::Time deadline) override;
  absl::StatusOr<User> GetUser(const std::string& id, absl::Time deadline) override;
  absl::StatusOr<std::pair<User, std::string>> FindCredentials(const std::string& login_name,
                                                               absl::Time deadline) override;
  absl::StatusOr<std::vector<User>> ListUsers(const std::string& org_prefix, const std::string& after_login_name,
                                              int limit, absl::Time deadline) override;
  absl::StatusOr<bool> AnyUserExists(absl::Time deadline) override;
  absl::StatusOr<User> UpdateUser(const std::string& id, const UserUpdate& update, absl::Time deadline) override;
  absl::Status SetPasswordHash(const std::string& id, const std::string& password_hash, absl::Time deadline) override;
  absl::StatusOr<User> AddBinding(const std::string& id, const RoleBinding& binding, absl::Time deadline) override;
  absl::StatusOr<User> RemoveBinding(const std::string& id, const RoleBinding& binding, absl::Time deadline) override;
  absl::StatusOr<User> RecordLoginFailure(const std::string& id, int max_failures, absl::Time now,
                                          absl::Duration lock_for, absl::Time deadline) override;
  absl::Status RecordLoginSuccess(const std::string& id, absl::Time now, absl::Time deadline) override;
  absl::Status AddRefreshToken(const std::string& user_id, const std::string& token_sha256, absl::Time expire_time,
                               absl::Time deadline) override;
  absl::StatusOr<RefreshTokenRecord> FindRefreshToken(const std::string& token_sha256, absl::Time deadline) override;
  absl::StatusOr<bool> RotateRefreshToken(const std::string& old_sha256, const std::string& new_sha256,
                                          absl::Time new_expire_time, absl::Time deadline) override;
  absl::Status RevokeRefreshToken(const std::string& token_sha256, const std::string& user_id,
                                  absl::Time deadline) override;
  absl::StatusOr<int> RevokeAllRefreshTokens(const std::string& user_id, absl::Time deadline) override;

 private:
  PgPool& pool_;
};

}  // namespace gridserve::gateway
