#include "gateway/pg_account_store.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/permissions.h"
#include "pqxx/pqxx"

namespace gridserve::gateway {
namespace {

User FromRow(const pqxx::row& row) {
  User user;
  user.id = row["id"].as<std::string>();
  user.login_name = row["login_name"].as<std::string>();
  user.display_name = row["display_name"].as<std::string>();
  user.phone = row["phone"].as<std::string>();
  user.status = UserStatusFromName(row["status"].as<std::string>()).value_or(UserStatus::kUnspecified);
  user.org_code = row["org_code"].as<std::string>();
  user.failed_login_count = row["failed_login_count"].as<int>();
  if (int64_t lock = row["lock_expire_time_us"].as<int64_t>(); lock != 0)
    user.lock_expire_time = absl::FromUnixMicros(lock);
  user.create_time = absl::FromUnixMicros(row["create_time_us"].as<int64_t>());
  user.update_time = absl::FromUnixMicros(row["update_time_us"].as<int64_t>());
  return user;
}

// Fills in the role bindings of `users`.
void LoadBindings(PgTransaction& txn, std::vector<User*> users) {
  if (users.empty()) return;
  std::vector<std::string> ids;
  std::map<std::string, User*> by_id;
  for (User* user : users) {
    ids.push_back(user->id);
    by_id[user->id] = user;
  }
  for (const pqxx::row& row : txn.exec_prepared("list_role_bindings", "{" + absl::StrJoin(ids, ",") + "}")) {
    by_id.at(row["user_id"].as<std::string>())
        ->bindings.push_back({row["role"].as<std::string>(), row["org_scope"].as<std::string>()});
  }
  // Most powerful role first, then by scope: a stable order for tokens and responses.
  for (User* user : users) {
    std::sort(user->bindings.begin(), user->bindings.end(), [](const RoleBinding& a, const RoleBinding& b) {
      return std::make_pair(RoleRank(a.role), a.org_scope) < std::make_pair(RoleRank(b.role), b.org_scope);
    });
  }
}

absl::StatusOr<User> ReadUser(PgTransaction& txn, const std::string& id) {
  pqxx::result rows = txn.exec_prepared("get_user", id);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("user ", id, " does not exist; find user ids with ListUsers"));
  }
  User user = FromRow(rows[0]);
  LoadBindings(txn, {&user});
  return user;
}

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }

}  // namespace

absl::string_view UserStatusName(UserStatus status) {
  switch (status) {
    case UserStatus::kActive:
      return "ACTIVE";
    case UserStatus::kLocked:
      return "LOCKED";
    case UserStatus::kDisabled:
      return "DISABLED";
    case UserStatus::kUnspecified:
      return "";
  }
  return "";
}

std::optional<UserStatus> UserStatusFromName(absl::string_view name) {
  for (UserStatus status : {UserStatus::kActive, UserStatus::kLocked, UserStatus::kDisabled}) {
    if (UserStatusName(status) == name) return status;
  }
  return std::nullopt;
}

absl::StatusOr<User> PgAccountStore::CreateUser(const User& user, const std::string& password_hash,
                                                const std::string& request_id, absl::Time deadline) {
  auto earlier = [&](PgTransaction& txn) -> absl::StatusOr<User> {
    pqxx::result rows = txn.exec_prepared("get_user_by_request_id", request_id);
    if (rows.empty()) return absl::NotFoundError("");
    User found = FromRow(rows[0]);
    if (found.login_name != user.login_name) {
      return absl::AlreadyExistsError(absl::StrCat("request_id ", request_id, " was already used to create user ",
                                                   found.login_name, "; use a new request_id for a new user"));
    }
    LoadBindings(txn, {&found});
    return found;
  };
  absl::StatusOr<User> created = pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<User> {
    if (!request_id.empty()) {
      absl::StatusOr<User> found = earlier(txn);
      if (found.status().code() != absl::StatusCode::kNotFound) return found;
    }
    if (!txn.exec_prepared("get_user_credentials", user.login_name).empty()) return absl::AlreadyExistsError("");
    User inserted = FromRow(txn.exec_prepared("insert_user", user.login_name, user.display_name, user.phone,
                                              password_hash, user.org_code, request_id)[0]);
    for (const RoleBinding& binding : user.bindings) {
      txn.exec_prepared("insert_role_binding", inserted.id, binding.role, binding.org_scope);
    }
    LoadBindings(txn, {&inserted});
    return inserted;
  });
  if (created.status().code() != absl::StatusCode::kAlreadyExists) return created;
  if (!request_id.empty()) {
    // A retry that raced the first call gets what the first call created.
    absl::StatusOr<User> first = pool_.Transact(deadline, earlier);
    if (first.status().code() != absl::StatusCode::kNotFound) return first;
  }
  return absl::AlreadyExistsError(absl::StrCat("login name ", user.login_name,
                                               " is already taken; choose another one, e.g. ", user.login_name, "2"));
}

absl::StatusOr<User> PgAccountStore::GetUser(const std::string& id, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) { return ReadUser(txn, id); });
}

absl::StatusOr<std::pair<User, std::string>> PgAccountStore::FindCredentials(const std::string& login_name,
                                                                             absl::Time deadline) {
  using Credentials = std::pair<User, std::string>;
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Credentials> {
    pqxx::result rows = txn.exec_prepared("get_user_credentials", login_name);
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("no user named ", login_name));
    Credentials credentials{FromRow(rows[0]), rows[0]["password_hash"].as<std::string>()};
    LoadBindings(txn, {&credentials.first});
    return credentials;
  });
}

absl::StatusOr<std::vector<User>> PgAccountStore::ListUsers(const std::string& org_prefix,
                                                            const std::string& after_login_name, int limit,
                                                            absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<User>> {
    std::vector<User> users;
    for (const pqxx::row& row : txn.exec_prepared("list_users", org_prefix, after_login_name, limit)) {
      users.push_back(FromRow(row));
    }
    std::vector<User*> pointers;
    for (User& user : users) pointers.push_back(&user);
    LoadBindings(txn, pointers);
    return users;
  });
}

absl::StatusOr<bool> PgAccountStore::AnyUserExists(absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<bool> {
    return txn.exec_prepared("any_user_exists")[0]["any_user"].as<bool>();
  });
}

absl::StatusOr<User> PgAccountStore::UpdateUser(const std::string& id, const UserUpdate& update, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<User> {
    std::string status = update.status.has_value() ? std::string(UserStatusName(*update.status)) : "";
    pqxx::result rows = txn.exec_prepared("update_user", id, update.display_name.value_or(""), update.phone.has_value(),
                                          update.phone.value_or(""), status);
    if (rows.empty())
      return absl::NotFoundError(absl::StrCat("user ", id, " does not exist; find user ids with ListUsers"));
    if (update.status == UserStatus::kDisabled) txn.exec_prepared("revoke_user_refresh_tokens", id);
    User user = FromRow(rows[0]);
    LoadBindings(txn, {&user});
    return user;
  });
}

absl::Status PgAccountStore::SetPasswordHash(const std::string& id, const std::string& password_hash,
                                             absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::Status {
    if (txn.exec_prepared("update_user_password_hash", id, password_hash).empty()) {
      return absl::NotFoundError(absl::StrCat("user ", id, " does not exist; find user ids with ListUsers"));
    }
    txn.exec_prepared("revoke_user_refresh_tokens", id);
    return absl::OkStatus();
  });
}

absl::StatusOr<User> PgAccountStore::AddBinding(const std::string& id, const RoleBinding& binding,
                                                absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<User> {
    absl::StatusOr<User> user = ReadUser(txn, id);
    if (!user.ok()) return user;
    txn.exec_prepared("insert_role_binding", id, binding.role, binding.org_scope);
    return ReadUser(txn, id);
  });
}

absl::StatusOr<User> PgAccountStore::RemoveBinding(const std::string& id, const RoleBinding& binding,
                                                   absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<User> {
    absl::StatusOr<User> user = ReadUser(txn, id);
    if (!user.ok()) return user;
    if (txn.exec_prepared("delete_role_binding", id, binding.role, binding.org_scope).empty()) {
      return absl::NotFoundError(absl::StrCat("user ", user->login_name, " does not hold ", binding.role, " over ",
                                              binding.org_scope, "; GetUser lists its bindings"));
    }
    return ReadUser(txn, id);
  });
}

absl::StatusOr<User> PgAccountStore::RecordLoginFailure(const std::string& id, int max_failures, absl::Time now,
                                                        absl::Duration lock_for, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<User> {
    txn.exec_prepared("record_login_failure", id, max_failures, Micros(now + lock_for), Micros(now));
    return ReadUser(txn, id);
  });
}

absl::Status PgAccountStore::RecordLoginSuccess(const std::string& id, absl::Time now, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::Status {
    txn.exec_prepared("record_login_success", id, Micros(now));
    return absl::OkStatus();
  });
}

absl::Status PgAccountStore::AddRefreshToken(const std::string& user_id, const std::string& token_sha256,
                                             absl::Time expire_time, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::Status {
    txn.exec_prepared("insert_refresh_token", user_id, token_sha256, Micros(expire_time));
    return absl::OkStatus();
  });
}

absl::StatusOr<RefreshTokenRecord> PgAccountStore::FindRefreshToken(const std::string& token_sha256,
                                                                    absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<RefreshTokenRecord> {
    pqxx::result rows = txn.exec_prepared("get_refresh_token", token_sha256);
    if (rows.empty()) return absl::NotFoundError("no such refresh token");
    return RefreshTokenRecord{.id = rows[0]["id"].as<int64_t>(),
                              .user_id = rows[0]["user_id"].as<std::string>(),
                              .expire_time = absl::FromUnixMicros(rows[0]["expire_time_us"].as<int64_t>()),
                              .revoked = rows[0]["revoked"].as<bool>(),
                              .replaced = rows[0]["replaced"].as<bool>()};
  });
}

absl::StatusOr<bool> PgAccountStore::RotateRefreshToken(const std::string& old_sha256, const std::string& new_sha256,
                                                        absl::Time new_expire_time, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<bool> {
    return !txn.exec_prepared("rotate_refresh_token", old_sha256, new_sha256, Micros(new_expire_time)).empty();
  });
}

absl::Status PgAccountStore::RevokeRefreshToken(const std::string& token_sha256, const std::string& user_id,
                                                absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::Status {
    txn.exec_prepared("revoke_refresh_token", token_sha256, user_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<int> PgAccountStore::RevokeAllRefreshTokens(const std::string& user_id, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<int> {
    return static_cast<int>(txn.exec_prepared("revoke_user_refresh_tokens", user_id).size());
  });
}

}  // namespace gridserve::gateway
