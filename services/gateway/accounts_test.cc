#include "gateway/accounts.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kDistrict[] = "500114000000";
constexpr char kTown[] = "500114101000";  // 邻鄂镇
constexpr char kOtherTown[] = "500114102000";
constexpr char kVillage[] = "500114101201";  // 演示一村

Principal Holding(std::vector<RoleBinding> bindings) {
  return {.subject = "users/3f2c1e9a-7b1d-4c55-9a0e-2d4f6b8c1a20", .bindings = std::move(bindings)};
}

std::vector<std::string> FieldsOf(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : violations) fields.push_back(violation.field);
  return fields;
}

User ValidUser() {
  return {.login_name = "zhang.san", .display_name = "张三", .phone = "13812348000", .org_code = kVillage};
}

TEST(SubjectTest, UserSubjectsRoundTrip) {
  EXPECT_EQ(SubjectOfUser("3f2c1e9a-7b1d-4c55-9a0e-2d4f6b8c1a20"), "users/3f2c1e9a-7b1d-4c55-9a0e-2d4f6b8c1a20");
  EXPECT_EQ(UserIdOfSubject("users/3f2c1e9a-7b1d-4c55-9a0e-2d4f6b8c1a20"), "3f2c1e9a-7b1d-4c55-9a0e-2d4f6b8c1a20");
  EXPECT_EQ(UserIdOfSubject("dev-admin"), "");
  EXPECT_EQ(UserIdOfSubject("clients/district-platform"), "");
  EXPECT_EQ(UserIdOfSubject("users/12; DROP TABLE users"), "");
}

TEST(IsMobilePhoneTest, MainlandMobileOnly) {
  EXPECT_TRUE(IsMobilePhone("13812348000"));
  EXPECT_TRUE(IsMobilePhone("19912348000"));
  EXPECT_FALSE(IsMobilePhone("12812348000"));   // 12x is not a mobile prefix
  EXPECT_FALSE(IsMobilePhone("1381234800"));    // 10 digits
  EXPECT_FALSE(IsMobilePhone("138123480001"));  // 12 digits
  EXPECT_FALSE(IsMobilePhone("+8613812348000"));
  EXPECT_FALSE(IsMobilePhone("138 1234 8000"));
  EXPECT_FALSE(IsMobilePhone("023-79223456"));
}

TEST(ValidateNewUserTest, AcceptsAValidUser) {
  EXPECT_THAT(ValidateNewUser(ValidUser(), "correct horse battery", "user."), IsEmpty());
  User no_phone = ValidUser();
  no_phone.phone = "";
  EXPECT_THAT(ValidateNewUser(no_phone, "correct horse battery", "user."), IsEmpty());
}

TEST(ValidateNewUserTest, NamesEveryBadField) {
  User user{.login_name = "zs", .display_name = "  ", .phone = "12345", .org_code = "5001"};
  EXPECT_THAT(FieldsOf(ValidateNewUser(user, "short", "user.")),
              ::testing::ElementsAre("user.login_name", "user.display_name", "user.phone", "user.org_code",
                                     "initial_password"));
}

TEST(ValidateNewUserTest, LoginNameCharactersAndLength) {
  for (const char* bad : {"张三", "has space", "semi;colon", "a", "abcdefghijklmnopqrstuvwxyz0123456"}) {
    User user = ValidUser();
    user.login_name = bad;
    EXPECT_THAT(FieldsOf(ValidateNewUser(user, "correct horse battery", "")), ::testing::ElementsAre("login_name"))
        << bad;
  }
  for (const char* good : {"abc", "zhang.san", "wang_wu-2", "abcdefghijklmnopqrstuvwxyz012345"}) {
    User user = ValidUser();
    user.login_name = good;
    EXPECT_THAT(ValidateNewUser(user, "correct horse battery", ""), IsEmpty()) << good;
  }
}

TEST(ValidateNewUserTest, PasswordsNeedTenCharacters) {
  EXPECT_THAT(FieldsOf(ValidateNewUser(ValidUser(), "123456789", "")), ::testing::ElementsAre("initial_password"));
  EXPECT_THAT(ValidateNewUser(ValidUser(), "1234567890", ""), IsEmpty());
  EXPECT_THAT(FieldsOf(ValidateNewUser(ValidUser(), std::string(257, 'x'), "")),
              ::testing::ElementsAre("initial_password"));
}

// Issue 3 item 1: an admin can only grant roles inside its own scope and never above its own role.
TEST(CheckGrantTest, InsideScopeAtOrBelowOwnRank) {
  Principal town_admin = Holding({{"TOWN_ADMIN", kTown}});
  EXPECT_TRUE(CheckGrant(town_admin, {"VILLAGE_SECRETARY", kVillage}, "binding").ok());
  EXPECT_TRUE(CheckGrant(town_admin, {"MEMBER", kVillage}, "binding").ok());
  EXPECT_TRUE(CheckGrant(town_admin, {"AUDITOR", kTown}, "binding").ok());
  // Equal rank is allowed: a town admin may appoint a colleague for its town.
  EXPECT_TRUE(CheckGrant(town_admin, {"TOWN_ADMIN", kTown}, "binding").ok());
}

TEST(CheckGrantTest, NeverAboveOwnRole) {
  Principal secretary = Holding({{"VILLAGE_SECRETARY", kVillage}});
  EXPECT_TRUE(CheckGrant(secretary, {"GRID_LEADER", kVillage}, "binding").ok());
  EXPECT_TRUE(CheckGrant(secretary, {"RATER", kVillage}, "binding").ok());
  // SYSTEM_WRITER may be bound to a village, but ranks above a secretary.
  absl::Status status = CheckGrant(secretary, {"SYSTEM_WRITER", kVillage}, "binding");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("ranks above"));
  EXPECT_EQ(CheckGrant(secretary, {"SYSTEM_READER", kVillage}, "binding").code(), absl::StatusCode::kPermissionDenied);
}

TEST(CheckGrantTest, NeverOutsideOwnScope) {
  Principal town_admin = Holding({{"TOWN_ADMIN", kTown}});
  absl::Status other_town = CheckGrant(town_admin, {"MEMBER", "500114102201"}, "binding");
  EXPECT_EQ(other_town.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(other_town.message(), HasSubstr("no role of yours grants ACCOUNT_WRITE over 500114102201"));
  // The district above the town is outside the town's scope too.
  EXPECT_EQ(CheckGrant(town_admin, {"AUDITOR", kDistrict}, "binding").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckGrant(town_admin, {"TOWN_ADMIN", kOtherTown}, "binding").code(), absl::StatusCode::kPermissionDenied);
}

TEST(CheckGrantTest, RolesWithoutAccountWriteGrantNothing) {
  EXPECT_EQ(CheckGrant(Holding({{"AUDITOR", kDistrict}}), {"RATER", kVillage}, "binding").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckGrant(Holding({{"GRID_LEADER", kVillage}}), {"MEMBER", kVillage}, "binding").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckGrant(Holding({}), {"MEMBER", kVillage}, "binding").code(), absl::StatusCode::kPermissionDenied);
}

TEST(CheckGrantTest, TheRankComesFromABindingThatCoversTheScope) {
  // TOWN_ADMIN over another town does not lift a secretary's rank in its own village.
  Principal caller = Holding({{"VILLAGE_SECRETARY", kVillage}, {"TOWN_ADMIN", kOtherTown}});
  EXPECT_EQ(CheckGrant(caller, {"SYSTEM_WRITER", kVillage}, "binding").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(CheckGrant(caller, {"SYSTEM_WRITER", kOtherTown}, "binding").ok());
}

// A binding's scope must be of the level its role works at (a town admin over a
// town, a secretary over a village, never anyone over a province).
TEST(CheckGrantTest, ScopeLevelMustFitTheRole) {
  Principal admin = Holding({{"DISTRICT_ADMIN", kDistrict}});
  for (const RoleBinding& misfit : std::vector<RoleBinding>{{"TOWN_ADMIN", kVillage},
                                                            {"TOWN_ADMIN", kDistrict},
                                                            {"VILLAGE_SECRETARY", kTown},
                                                            {"MEMBER", kDistrict},
                                                            {"AUDITOR", kVillage},
                                                            {"DISTRICT_ADMIN", "500000000000"}}) {
    absl::Status status = CheckGrant(admin, misfit, "binding");
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << misfit.role << "@" << misfit.org_scope;
    EXPECT_THAT(FieldsOf(FieldViolationsOf(status)), ::testing::ElementsAre("binding.org_scope"));
  }
}

TEST(CheckGrantTest, UnknownRoleOrBadScopeIsInvalidArgument) {
  Principal admin = Holding({{"DISTRICT_ADMIN", kDistrict}});
  absl::Status unknown = CheckGrant(admin, {"", kVillage}, "binding");
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(FieldViolationsOf(unknown)), ::testing::ElementsAre("binding.role"));
  EXPECT_THAT(FieldsOf(FieldViolationsOf(CheckGrant(admin, {"SUPERUSER", "5001"}, "binding"))),
              ::testing::ElementsAre("binding.role", "binding.org_scope"));
}

// Issue 3 item 7: phone numbers are masked for callers without PII_READ over the user's organisation.
TEST(MaskedForTest, PhoneMaskedWithoutPiiRead) {
  User user = ValidUser();
  EXPECT_EQ(MaskedFor(Holding({{"TOWN_ADMIN", kTown}}), user).phone, "13812348000");
  EXPECT_EQ(MaskedFor(Holding({{"AUDITOR", kDistrict}}), user).phone, "138****8000");
  EXPECT_EQ(MaskedFor(Holding({{"TOWN_ADMIN", kOtherTown}}), user).phone, "138****8000");
  EXPECT_EQ(MaskedFor(Holding({{"AUDITOR", kDistrict}}), user).display_name,
            "张三");  // an account name is not a resident's
}

}  // namespace
}  // namespace gridserve::gateway
