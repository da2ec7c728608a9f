#include "gateway/sessions.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gateway/accounts.h"
#include "gateway/pg_account_store.h"
#include "gateway_sql.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "tests/support/pg_test_schema.h"

namespace gridserve::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kVillage[] = "500114101201";
constexpr char kPassword[] = "correct horse battery";

// Login, lockout and refresh-token rotation against a real PostgreSQL, with a
// clock the test moves (lock expiry, token expiry) instead of sleeping.
class SessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = gridserve::testing::MakeTestSchema("gateway", sql::Migrations(), sql::Queries());
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = std::move(schema).value();
    auto hasher = PasswordHasher::Create(PasswordCost::Minimal());
    ASSERT_TRUE(hasher.ok()) << hasher.status();
    passwords_ = std::make_unique<PasswordHasher>(*std::move(hasher));
    auto tokens = TokenCodec::Create({std::string(64, 'k')});
    ASSERT_TRUE(tokens.ok());
    tokens_ = std::make_unique<TokenCodec>(*std::move(tokens));
    store_ = std::make_unique<PgAccountStore>(*schema_.pool);
    sessions_ = std::make_unique<Sessions>(*store_, *passwords_, *tokens_, SessionSettings{}, [this] { return now_; });
    auto hash = passwords_->Hash(kPassword);
    ASSERT_TRUE(hash.ok());
    auto user = store_->CreateUser({.login_name = "zhang.san",
                                    .display_name = "张三",
                                    .org_code = kVillage,
                                    .bindings = {{"MEMBER", kVillage}, {"GRID_LEADER", kVillage}}},
                                   *hash, "", Deadline());
    ASSERT_TRUE(user.ok()) << user.status();
    user_ = *user;
  }

  static absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  absl::StatusOr<IssuedSession> Login(const std::string& password, const std::string& name = "zhang.san") {
    return sessions_->Login(name, password, Deadline());
  }

  User Reload() { return store_->GetUser(user_.id, Deadline()).value_or(User{}); }

  int64_t ActiveRefreshTokens() {
    int64_t count = -1;
    absl::Status status = schema_.pool->Transact(Deadline(), [&](PgTransaction& txn) {
      count = txn.exec1("SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL")[0].as<int64_t>();
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return count;
  }

  gridserve::testing::TestSchema schema_;
  std::unique_ptr<PasswordHasher> passwords_;
  std::unique_ptr<TokenCodec> tokens_;
  std::unique_ptr<PgAccountStore> store_;
  std::unique_ptr<Sessions> sessions_;
  absl::Time now_ = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));  // what timestamptz holds
  User user_;
};

TEST_F(SessionsTest, LoginIssuesAccessTokenWithTheUsersBindings) {
  auto session = Login(kPassword);
  ASSERT_TRUE(session.ok()) << session.status();
  auto principal = tokens_->Verify(session->access_token, now_);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "users/" + user_.id);
  EXPECT_THAT(principal->bindings, ElementsAre(RoleBinding{"GRID_LEADER", kVillage}, RoleBinding{"MEMBER", kVillage}));
  EXPECT_EQ(principal->expires_at, absl::ToUnixSeconds(now_ + absl::Minutes(15)));
  EXPECT_EQ(session->refresh_token_expire_time, now_ + absl::Hours(24 * 7));
  EXPECT_THAT(session->refresh_token, ::testing::StartsWith("rt1."));
  EXPECT_EQ(ActiveRefreshTokens(), 1);
  // The token is stored only as its SHA-256.
  int64_t plain = -1;
  ASSERT_TRUE(schema_.pool
                  ->Transact(Deadline(),
                        [&](PgTransaction& txn) {
                          plain =
                              txn.exec_params1(
                                     "SELECT count(*) FROM refresh_tokens WHERE token_sha256 = $1 OR token_sha256 = $2",
                                     session->refresh_token, Sha256Hex(session->refresh_token))[0]
                                  .as<int64_t>();
                          return absl::OkStatus();
                        })
                  .ok());
  EXPECT_EQ(plain, 1);
}

TEST_F(SessionsTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  auto wrong = Login("wrong password!");
  auto unknown = Login(kPassword, "nobody.here");
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
  EXPECT_THAT(wrong.status().message(), HasSubstr("login name or password is wrong"));
  EXPECT_EQ(Login("").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SessionsTest, FiveFailuresInARowLockForFifteenMinutes) {
  for (int i = 1; i <= 4; ++i) {
    EXPECT_EQ(Login("wrong password!").status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(Reload().failed_login_count, i);
    EXPECT_EQ(Reload().status, UserStatus::kActive);
  }
  EXPECT_EQ(Login("wrong password!").status().code(), absl::StatusCode::kUnauthenticated);
  User locked = Reload();
  EXPECT_EQ(locked.status, UserStatus::kLocked);
  ASSERT_TRUE(locked.lock_expire_time.has_value());
  EXPECT_EQ(*locked.lock_expire_time, now_ + absl::Minutes(15));

  // Even the right password is refused while locked, with the time it unlocks.
  auto refused = Login(kPassword);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(refused.status().message(), HasSubstr("locked"));
  EXPECT_THAT(refused.status().message(),
              HasSubstr(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *locked.lock_expire_time, absl::UTCTimeZone())));
  // Guesses during the lock neither count nor extend it.
  EXPECT_EQ(Login("wrong password!").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Reload().lock_expire_time, locked.lock_expire_time);

  now_ += absl::Minutes(15) + absl::Seconds(1);
  auto after = Login(kPassword);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(Reload().status, UserStatus::kActive);
  EXPECT_FALSE(Reload().lock_expire_time.has_value());
}

TEST_F(SessionsTest, SuccessResetsTheFailureCount) {
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(Login("wrong password!").ok());
  ASSERT_TRUE(Login(kPassword).ok());
  EXPECT_EQ(Reload().failed_login_count, 0);
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(Login("wrong password!").ok());
  EXPECT_EQ(Reload().status, UserStatus::kActive);  // 4 + 4 failures, never 5 in a row
}

TEST_F(SessionsTest, ConcurrentFailuresAreAllCounted) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([this] { (void)Login("wrong password!"); });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(Reload().failed_login_count, 4);
}

TEST_F(SessionsTest, DisabledAccountIsToldSoOnlyWithTheRightPassword) {
  ASSERT_TRUE(store_->UpdateUser(user_.id, {.status = UserStatus::kDisabled}, Deadline()).ok());
  auto right = Login(kPassword);
  EXPECT_EQ(right.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(right.status().message(), HasSubstr("disabled"));
  EXPECT_EQ(Login("wrong password!").status().message(), sessions_->BadCredentialsMessage());
}

TEST_F(SessionsTest, RefreshRotatesAndTheOldTokenStopsWorking) {
  auto login = Login(kPassword);
  ASSERT_TRUE(login.ok()) << login.status();
  now_ += absl::Minutes(10);
  auto refreshed = sessions_->Refresh(login->refresh_token, Deadline());
  ASSERT_TRUE(refreshed.ok()) << refreshed.status();
  EXPECT_NE(refreshed->refresh_token, login->refresh_token);
  EXPECT_EQ(refreshed->principal.expires_at, absl::ToUnixSeconds(now_ + absl::Minutes(15)));
  EXPECT_TRUE(tokens_->Verify(refreshed->access_token, now_).ok());
  EXPECT_EQ(ActiveRefreshTokens(), 1);
  int64_t replaced = -1;
  ASSERT_TRUE(schema_.pool
                  ->Transact(Deadline(),
                        [&](PgTransaction& txn) {
                          replaced = txn.exec_params1(
                                            "SELECT count(*) FROM refresh_tokens old JOIN refresh_tokens successor "
                                            "ON old.replaced_by = successor.id WHERE old.token_sha256 = $1 AND "
                                            "successor.token_sha256 = $2",
                                            Sha256Hex(login->refresh_token), Sha256Hex(refreshed->refresh_token))[0]
                                         .as<int64_t>();
                          return absl::OkStatus();
                        })
                  .ok());
  EXPECT_EQ(replaced, 1);
  // The successor works once more.
  auto again = sessions_->Refresh(refreshed->refresh_token, Deadline());
  ASSERT_TRUE(again.ok()) << again.status();
}

TEST_F(SessionsTest, ReusingARotatedTokenEndsEverySessionOfTheUser) {
  auto phone = Login(kPassword);
  auto laptop = Login(kPassword);
  ASSERT_TRUE(phone.ok() && laptop.ok());
  auto rotated = sessions_->Refresh(phone->refresh_token, Deadline());
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_EQ(ActiveRefreshTokens(), 2);

  auto stolen = sessions_->Refresh(phone->refresh_token, Deadline());
  EXPECT_EQ(stolen.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(stolen.status().message(), HasSubstr("already used"));
  EXPECT_EQ(ActiveRefreshTokens(), 0);
  EXPECT_EQ(sessions_->Refresh(rotated->refresh_token, Deadline()).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(sessions_->Refresh(laptop->refresh_token, Deadline()).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(SessionsTest, ConcurrentRefreshesOfOneTokenSucceedAtMostOnce) {
  auto login = Login(kPassword);
  ASSERT_TRUE(login.ok());
  std::vector<absl::StatusOr<IssuedSession>> results(4, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { results[i] = sessions_->Refresh(login->refresh_token, Deadline()); });
  }
  for (std::thread& thread : threads) thread.join();
  int succeeded = 0;
  for (const auto& result : results) {
    if (result.ok()) {
      ++succeeded;
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kUnauthenticated) << result.status();
    }
  }
  EXPECT_LE(succeeded, 1);
  EXPECT_EQ(ActiveRefreshTokens(), 0);  // the reuse ended the session, including the winner's new token
}

TEST_F(SessionsTest, ExpiredUnknownAndLoggedOutTokensAreRefused) {
  auto login = Login(kPassword);
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(sessions_->Refresh("rt1.made-up", Deadline()).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(sessions_->Refresh("", Deadline()).status().code(), absl::StatusCode::kInvalidArgument);

  Principal caller{.subject = SubjectOfUser(user_.id), .bindings = {{"MEMBER", kVillage}}};
  ASSERT_TRUE(sessions_->Logout(caller, login->refresh_token, Deadline()).ok());
  ASSERT_TRUE(sessions_->Logout(caller, login->refresh_token, Deadline()).ok());  // idempotent
  auto logged_out = sessions_->Refresh(login->refresh_token, Deadline());
  EXPECT_EQ(logged_out.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(logged_out.status().message(), HasSubstr("logout"));

  auto second = Login(kPassword);
  ASSERT_TRUE(second.ok());
  // Someone else's logout does not revoke this token.
  Principal other{.subject = "users/3f2c1e9a-7b1d-4c55-9a0e-2d4f6b8c1a20", .bindings = {{"MEMBER", kVillage}}};
  ASSERT_TRUE(sessions_->Logout(other, second->refresh_token, Deadline()).ok());
  EXPECT_EQ(ActiveRefreshTokens(), 1);
  now_ += absl::Hours(24 * 7) + absl::Seconds(1);
  auto expired = sessions_->Refresh(second->refresh_token, Deadline());
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(expired.status().message(), HasSubstr("expired"));
}

TEST_F(SessionsTest, RefreshCarriesTheCurrentBindingsAndStopsForDisabledAccounts) {
  auto login = Login(kPassword);
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(store_->RemoveBinding(user_.id, {"GRID_LEADER", kVillage}, Deadline()).ok());
  auto refreshed = sessions_->Refresh(login->refresh_token, Deadline());
  ASSERT_TRUE(refreshed.ok()) << refreshed.status();
  EXPECT_THAT(refreshed->principal.bindings, ElementsAre(RoleBinding{"MEMBER", kVillage}));

  ASSERT_TRUE(store_->UpdateUser(user_.id, {.status = UserStatus::kDisabled}, Deadline()).ok());
  auto disabled = sessions_->Refresh(refreshed->refresh_token, Deadline());
  EXPECT_EQ(disabled.status().code(), absl::StatusCode::kUnauthenticated);  // revoked when disabled
  EXPECT_EQ(ActiveRefreshTokens(), 0);
}

}  // namespace
}  // namespace gridserve::gateway
