#include "gateway/pg_account_store.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gateway/accounts.h"
#include "gateway_sql.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "tests/support/pg_test_schema.h"

namespace gridserve::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr char kDistrict[] = "500114000000";
constexpr char kTown[] = "500114101000";
constexpr char kVillage[] = "500114101201";
constexpr char kOtherVillage[] = "500114102201";  // in another town
constexpr char kPassword[] = "correct horse battery";

Principal Holding(std::vector<RoleBinding> bindings, std::string subject = "dev-admin") {
  return {.subject = std::move(subject), .bindings = std::move(bindings)};
}

std::vector<std::string> LoginNamesOf(const std::vector<User>& users) {
  std::vector<std::string> names;
  for (const User& user : users) names.push_back(user.login_name);
  return names;
}

// The accounts store and its rules on a fresh gateway schema of a real PostgreSQL.
class AccountsPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = gridserve::testing::MakeTestSchema("gateway", sql::Migrations(), sql::Queries());
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = std::move(schema).value();
    auto hasher = PasswordHasher::Create(PasswordCost::Minimal());
    ASSERT_TRUE(hasher.ok()) << hasher.status();
    passwords_ = std::make_unique<PasswordHasher>(*std::move(hasher));
    store_ = std::make_unique<PgAccountStore>(*schema_.pool);
    accounts_ = std::make_unique<Accounts>(*store_, *passwords_);
  }

  static absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  User Create(const std::string& login_name, const std::string& org_code, std::vector<RoleBinding> bindings = {},
              const std::string& request_id = "") {
    User user{.login_name = login_name,
              .display_name = "张三",
              .phone = "13812348000",
              .org_code = org_code,
              .bindings = std::move(bindings)};
    auto created = accounts_->Create(district_admin_, user, kPassword, request_id, Deadline());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(User{});
  }

  int64_t Count(const std::string& sql) {
    int64_t count = -1;
    absl::Status status = schema_.pool->Transact(Deadline(), [&](PgTransaction& txn) {
      count = txn.exec1(sql)[0].as<int64_t>();
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return count;
  }

  gridserve::testing::TestSchema schema_;
  std::unique_ptr<PasswordHasher> passwords_;
  std::unique_ptr<PgAccountStore> store_;
  std::unique_ptr<Accounts> accounts_;
  Principal district_admin_ = Holding({{"DISTRICT_ADMIN", kDistrict}});
};

TEST_F(AccountsPgTest, CreatesUserWithBindingsAndArgon2idHash) {
  User user = Create("zhang.san", kVillage, {{"VILLAGE_SECRETARY", kVillage}, {"MEMBER", kVillage}});
  EXPECT_EQ(user.id.size(), 36u);
  EXPECT_EQ(user.login_name, "zhang.san");
  EXPECT_EQ(user.status, UserStatus::kActive);
  EXPECT_EQ(user.org_code, kVillage);
  EXPECT_EQ(user.phone, "13812348000");  // the district admin holds PII_READ
  EXPECT_THAT(user.bindings, ElementsAre(RoleBinding{"VILLAGE_SECRETARY", kVillage}, RoleBinding{"MEMBER", kVillage}));
  auto credentials = store_->FindCredentials("zhang.san", Deadline());
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_THAT(credentials->second, ::testing::StartsWith("$argon2id$"));
  EXPECT_TRUE(passwords_->Verify(credentials->second, kPassword));
  EXPECT_EQ(Count("SELECT count(*) FROM users WHERE password_hash LIKE '%correct horse%'"), 0);
}

TEST_F(AccountsPgTest, CreateIsIdempotentOnRequestId) {
  User first = Create("li.si", kVillage, {}, "req-1");
  User again = Create("li.si", kVillage, {}, "req-1");
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(Count("SELECT count(*) FROM users"), 1);
  User other{.login_name = "wang.wu", .display_name = "王五", .org_code = kVillage};
  auto reused = accounts_->Create(district_admin_, other, kPassword, "req-1", Deadline());
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(reused.status().message(), HasSubstr("request_id req-1 was already used"));
}

TEST_F(AccountsPgTest, LoginNamesAreUnique) {
  Create("li.si", kVillage);
  User twin{.login_name = "li.si", .display_name = "李四", .org_code = kVillage};
  auto taken = accounts_->Create(district_admin_, twin, kPassword, "", Deadline());
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(taken.status().message(), HasSubstr("login name li.si is already taken"));
}

TEST_F(AccountsPgTest, ObjectLevelChecksUseTheUsersOrganisation) {
  User inside = Create("inside", kVillage);
  User outside = Create("outside", kOtherVillage);
  Principal town_admin = Holding({{"TOWN_ADMIN", kTown}});
  EXPECT_TRUE(accounts_->Get(town_admin, inside.id, Deadline()).ok());
  EXPECT_EQ(accounts_->Get(town_admin, outside.id, Deadline()).status().code(), absl::StatusCode::kPermissionDenied);
  User create_outside{.login_name = "new.one", .display_name = "新人", .org_code = kOtherVillage};
  EXPECT_EQ(accounts_->Create(town_admin, create_outside, kPassword, "", Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(accounts_->Update(town_admin, {.id = outside.id, .display_name = "改名"}, {"display_name"}, Deadline())
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(accounts_->Get(town_admin, "not-a-uuid", Deadline()).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(accounts_->Get(town_admin, "3f2c1e9a-7b1d-4c55-9a0e-2d4f6b8c1a20", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(AccountsPgTest, PhoneIsMaskedForCallersWithoutPiiRead) {
  User user = Create("zhang.san", kVillage);
  auto as_auditor = accounts_->Get(Holding({{"AUDITOR", kDistrict}}), user.id, Deadline());
  ASSERT_TRUE(as_auditor.ok()) << as_auditor.status();
  EXPECT_EQ(as_auditor->phone, "138****8000");
  auto listed = accounts_->List(Holding({{"AUDITOR", kDistrict}}), kDistrict, 10, "", Deadline());
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->users.size(), 1u);
  EXPECT_EQ(listed->users[0].phone, "138****8000");
  EXPECT_EQ(accounts_->Get(Holding({{"VILLAGE_SECRETARY", kVillage}}), user.id, Deadline())->phone, "13812348000");
}

TEST_F(AccountsPgTest, ListsUsersUnderAnOrganisationByLoginNamePaginated) {
  for (const char* name : {"carol", "alice", "erin", "bob", "dave"}) Create(name, kVillage);
  Create("frank", kOtherVillage);
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    auto page = accounts_->List(district_admin_, kTown, 2, token, Deadline());
    ASSERT_TRUE(page.ok()) << page.status();
    for (const std::string& name : LoginNamesOf(page->users)) seen.push_back(name);
    token = page->next_page_token;
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_THAT(seen, ElementsAre("alice", "bob", "carol", "dave", "erin"));
  EXPECT_EQ(pages, 3);
  auto all = accounts_->List(district_admin_, kDistrict, 0, "", Deadline());
  EXPECT_THAT(LoginNamesOf(all->users), ElementsAre("alice", "bob", "carol", "dave", "erin", "frank"));
  // A token of another listing is refused.
  auto first = accounts_->List(district_admin_, kTown, 2, "", Deadline());
  EXPECT_EQ(accounts_->List(district_admin_, kDistrict, 2, first->next_page_token, Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A town admin cannot list the district.
  EXPECT_EQ(accounts_->List(Holding({{"TOWN_ADMIN", kTown}}), kDistrict, 0, "", Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(AccountsPgTest, GrantAndRevokeRoles) {
  User user = Create("zhao.liu", kVillage);
  Principal town_admin = Holding({{"TOWN_ADMIN", kTown}});
  auto granted = accounts_->GrantRole(town_admin, user.id, {"GRID_LEADER", kVillage}, Deadline());
  ASSERT_TRUE(granted.ok()) << granted.status();
  EXPECT_THAT(granted->bindings, ElementsAre(RoleBinding{"GRID_LEADER", kVillage}));
  // Granting again changes nothing.
  EXPECT_THAT(accounts_->GrantRole(town_admin, user.id, {"GRID_LEADER", kVillage}, Deadline())->bindings,
              ElementsAre(RoleBinding{"GRID_LEADER", kVillage}));
  EXPECT_EQ(Count("SELECT count(*) FROM role_bindings"), 1);
  // Above the granter's role, outside its scope, or at a level the role does not
  // work at: refused, nothing stored.
  EXPECT_EQ(accounts_->GrantRole(Holding({{"VILLAGE_SECRETARY", kVillage}}), user.id, {"SYSTEM_WRITER", kVillage},
                                 Deadline())
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(accounts_->GrantRole(town_admin, user.id, {"DISTRICT_ADMIN", kTown}, Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(accounts_->GrantRole(town_admin, user.id, {"MEMBER", kOtherVillage}, Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("SELECT count(*) FROM role_bindings"), 1);
  // Creating with bindings follows the same rule.
  User with_binding{.login_name = "promoted",
                    .display_name = "升级",
                    .org_code = kVillage,
                    .bindings = {{"DISTRICT_ADMIN", kDistrict}}};
  EXPECT_EQ(accounts_->Create(town_admin, with_binding, kPassword, "", Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);

  auto revoked = accounts_->RevokeRole(town_admin, user.id, {"GRID_LEADER", kVillage}, Deadline());
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_TRUE(revoked->bindings.empty());
  auto missing = accounts_->RevokeRole(town_admin, user.id, {"GRID_LEADER", kVillage}, Deadline());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("does not hold GRID_LEADER over 500114101201"));
}

TEST_F(AccountsPgTest, UpdateChangesOnlyTheNamedFields) {
  User user = Create("qian.qi", kVillage);
  auto updated = accounts_->Update(district_admin_, {.id = user.id, .display_name = " 钱七 ", .phone = "13900001111"},
                                   {"display_name", "phone"}, Deadline());
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name, "钱七");
  EXPECT_EQ(updated->phone, "13900001111");
  EXPECT_GT(updated->update_time, user.update_time);
  auto bad = accounts_->Update(district_admin_, {.id = user.id, .phone = "12345", .org_code = kDistrict},
                               {"phone", "org_code"}, Deadline());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(bad.status()).size(), 2u);
  auto lock =
      accounts_->Update(district_admin_, {.id = user.id, .status = UserStatus::kLocked}, {"status"}, Deadline());
  EXPECT_EQ(lock.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AccountsPgTest, DisablingEndsSessionsAndSelfDisableIsRefused) {
  User user = Create("sun.ba", kVillage, {{"MEMBER", kVillage}});
  ASSERT_TRUE(store_->AddRefreshToken(user.id, std::string(64, 'a'), absl::Now() + absl::Hours(1), Deadline()).ok());
  auto disabled =
      accounts_->Update(district_admin_, {.id = user.id, .status = UserStatus::kDisabled}, {"status"}, Deadline());
  ASSERT_TRUE(disabled.ok()) << disabled.status();
  EXPECT_EQ(disabled->status, UserStatus::kDisabled);
  EXPECT_EQ(Count("SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL"), 0);

  User admin = Create("admin.two", kDistrict, {{"DISTRICT_ADMIN", kDistrict}});
  Principal as_admin = Holding({{"DISTRICT_ADMIN", kDistrict}}, SubjectOfUser(admin.id));
  EXPECT_EQ(accounts_->Update(as_admin, {.id = admin.id, .status = UserStatus::kDisabled}, {"status"}, Deadline())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(AccountsPgTest, SetPasswordSelfNeedsCurrentPasswordAdminDoesNot) {
  User user = Create("zhou.jiu", kVillage, {{"MEMBER", kVillage}});
  Principal self = Holding({{"MEMBER", kVillage}}, SubjectOfUser(user.id));
  EXPECT_EQ(accounts_->SetPassword(self, user.id, "", "a brand new password", Deadline()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(accounts_->SetPassword(self, user.id, "wrong password!", "a brand new password", Deadline()).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(accounts_->SetPassword(self, user.id, kPassword, "short", Deadline()).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->AddRefreshToken(user.id, std::string(64, 'b'), absl::Now() + absl::Hours(1), Deadline()).ok());
  ASSERT_TRUE(accounts_->SetPassword(self, user.id, kPassword, "a brand new password", Deadline()).ok());
  auto credentials = store_->FindCredentials("zhou.jiu", Deadline());
  EXPECT_TRUE(passwords_->Verify(credentials->second, "a brand new password"));
  EXPECT_EQ(Count("SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL"), 0);  // sessions ended

  // Another member cannot; an administrator over the village can without the current password.
  Principal other_member = Holding({{"MEMBER", kVillage}}, "users/3f2c1e9a-7b1d-4c55-9a0e-2d4f6b8c1a20");
  EXPECT_EQ(accounts_->SetPassword(other_member, user.id, "", "another new password", Deadline()).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      accounts_
          ->SetPassword(Holding({{"VILLAGE_SECRETARY", kVillage}}), user.id, "", "another new password", Deadline())
          .ok());
}

TEST_F(AccountsPgTest, BootstrapCreatesTheFirstAdministratorOnce) {
  auto created = accounts_->BootstrapAdmin("admin", "bootstrap password", kDistrict, Deadline());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(*created);
  auto again = accounts_->BootstrapAdmin("admin", "bootstrap password", kDistrict, Deadline());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(*again);
  auto admin = store_->FindCredentials("admin", Deadline());
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_THAT(admin->first.bindings, ElementsAre(RoleBinding{"DISTRICT_ADMIN", kDistrict}));
  EXPECT_EQ(Count("SELECT count(*) FROM users"), 1);
}

TEST_F(AccountsPgTest, DatabaseRefusesWhatTheRulesWouldRefuse) {
  // Defence in depth: the schema's checks hold even if code skipped validation.
  for (const char* sql : {
           "INSERT INTO users (login_name, display_name, password_hash, org_code) VALUES ('x y', 'n', '$argon2id$x', "
           "'500114000000')",
           "INSERT INTO users (login_name, display_name, password_hash, org_code) VALUES ('plain', 'n', 'secret', "
           "'500114000000')",
           "INSERT INTO users (login_name, display_name, phone, password_hash, org_code) VALUES ('phone', 'n', '123', "
           "'$argon2id$x', '500114000000')",
           "INSERT INTO users (login_name, display_name, password_hash, org_code, status) VALUES ('locked', 'n', "
           "'$argon2id$x', '500114000000', 'LOCKED')",
       }) {
    EXPECT_FALSE(schema_.Execute(sql).ok()) << sql;
  }
}

}  // namespace
}  // namespace gridserve::gateway
