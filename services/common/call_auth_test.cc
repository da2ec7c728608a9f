#include "common/call_auth.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// The scope rules every service applies, tested once here: a service's own
// tests only prove that its handlers use them. Which codes a scope covers
// (ScopeCovers) is tested in division_test.cc. Codes: 黔江区 500114, its towns
// 邻鄂镇 101 and 石会镇 102, and village 201 of 邻鄂镇.
constexpr char kDistrict[] = "500114000000";
constexpr char kTown[] = "500114101000";
constexpr char kOtherTown[] = "500114102000";
constexpr char kVillage[] = "500114101201";

Principal Caller(std::string scope, std::vector<std::string> roles = {"TOWN_ADMIN"}) {
  return {.subject = "users/test", .roles = std::move(roles), .org_scope = std::move(scope)};
}

MATCHER(IsPermissionDenied, "is PERMISSION_DENIED") { return arg.code() == absl::StatusCode::kPermissionDenied; }

// --- RequireScope: the caller's own subtree --------------------------------------

TEST(RequireScopeTest, AllowsTheCallersSubtreeOnly) {
  EXPECT_TRUE(RequireScope(Caller(kTown), kTown, "code").ok());
  EXPECT_TRUE(RequireScope(Caller(kTown), kVillage, "code").ok());
  EXPECT_TRUE(RequireScope(Caller(kDistrict), kOtherTown, "code").ok());
  EXPECT_THAT(RequireScope(Caller(kTown), kOtherTown, "code"), IsPermissionDenied());
  EXPECT_THAT(RequireScope(Caller(kDistrict), "500115101000", "code"), IsPermissionDenied());
  // Unlike RequireScopeOrAncestor, nothing above the caller.
  EXPECT_THAT(RequireScope(Caller(kVillage), kTown, "code"), IsPermissionDenied());
  EXPECT_THAT(RequireScope(Caller(kTown), kDistrict, "code"), IsPermissionDenied());
}

TEST(RequireScopeTest, DeniesAnEmptyOrInvalidScope) {
  EXPECT_THAT(RequireScope(Caller(""), kTown, "code"), IsPermissionDenied());
  EXPECT_THAT(RequireScope(Caller("500114"), kTown, "code"), IsPermissionDenied());
}

TEST(RequireScopeTest, MessageNamesTheFieldTheCodeAndTheScope) {
  absl::Status status = RequireScope(Caller(kTown), kOtherTown, "parent_code");
  ASSERT_THAT(status, IsPermissionDenied());
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("parent_code 500114102000 is outside your org scope 500114101000"));
}

// --- RequireScopeOrAncestor: the subtree and the organisations above it ---------

TEST(RequireScopeOrAncestorTest, AllowsTheCallersOwnTown) {
  EXPECT_TRUE(RequireScopeOrAncestor(Caller(kTown), kTown, "town_code").ok());
}

TEST(RequireScopeOrAncestorTest, AllowsADistrictOverItsTowns) {
  Principal district_admin = Caller(kDistrict, {"DISTRICT_ADMIN"});
  EXPECT_TRUE(RequireScopeOrAncestor(district_admin, kTown, "town_code").ok());
  EXPECT_TRUE(RequireScopeOrAncestor(district_admin, kOtherTown, "town_code").ok());
  EXPECT_TRUE(RequireScopeOrAncestor(district_admin, kVillage, "code").ok());
}

// A village secretary or grid leader works under its town's plans.
TEST(RequireScopeOrAncestorTest, AllowsAVillageSecretaryToReadTheTownAndDistrictAbove) {
  Principal secretary = Caller(kVillage, {"BRANCH_SECRETARY"});
  EXPECT_TRUE(RequireScopeOrAncestor(secretary, kTown, "town_code").ok());
  EXPECT_TRUE(RequireScopeOrAncestor(secretary, kDistrict, "code").ok());
  EXPECT_TRUE(RequireScopeOrAncestor(secretary, kVillage, "code").ok());
}

TEST(RequireScopeOrAncestorTest, DeniesAnotherTown) {
  Principal secretary = Caller(kVillage, {"BRANCH_SECRETARY"});
  EXPECT_THAT(RequireScopeOrAncestor(secretary, kOtherTown, "town_code"), IsPermissionDenied());
  EXPECT_THAT(RequireScopeOrAncestor(Caller(kTown), kOtherTown, "town_code"), IsPermissionDenied());
  EXPECT_THAT(RequireScopeOrAncestor(Caller(kTown), "500114102201", "code"), IsPermissionDenied());  // its village
  // A sibling is neither above nor below.
  EXPECT_THAT(RequireScopeOrAncestor(secretary, "500114101202", "code"), IsPermissionDenied());
}

TEST(RequireScopeOrAncestorTest, DeniesAnotherDistrict) {
  EXPECT_THAT(RequireScopeOrAncestor(Caller("500115000000", {"DISTRICT_ADMIN"}), kTown, "town_code"),
              IsPermissionDenied());
  EXPECT_THAT(RequireScopeOrAncestor(Caller(kTown), "500115000000", "code"), IsPermissionDenied());
  EXPECT_THAT(RequireScopeOrAncestor(Caller(kTown), "500115101000", "town_code"), IsPermissionDenied());
}

// Not even a malformed code that is a prefix of the caller's scope passes as
// an ancestor.
TEST(RequireScopeOrAncestorTest, DeniesAnEmptyOrInvalidScopeOrCode) {
  for (const std::string scope : {"", "500114", "50011410100x"}) {
    EXPECT_THAT(RequireScopeOrAncestor(Caller(scope), kTown, "town_code"), IsPermissionDenied()) << scope;
  }
  for (const std::string code : {"", "500114", "500114101", "5001141012011"}) {
    EXPECT_THAT(RequireScopeOrAncestor(Caller(kVillage), code, "code"), IsPermissionDenied()) << code;
  }
}

TEST(RequireScopeOrAncestorTest, MessageNamesTheFieldTheCodeAndTheScope) {
  absl::Status status = RequireScopeOrAncestor(Caller(kVillage, {"BRANCH_SECRETARY"}), kOtherTown, "town_code");
  ASSERT_THAT(status, IsPermissionDenied());
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("town_code 500114102000 is outside your org scope 500114101201"));
}

// --- RequireAnyRole --------------------------------------------------------------

TEST(RequireAnyRoleTest, AllowsAHolderOfAnyOfTheRoles) {
  Principal caller = Caller(kTown, {"GRID_LEADER", "TOWN_ADMIN"});
  EXPECT_TRUE(RequireAnyRole(caller, {"TOWN_ADMIN"}, "creating an organisation").ok());
  EXPECT_TRUE(RequireAnyRole(caller, {"DISTRICT_ADMIN", "TOWN_ADMIN"}, "creating an organisation").ok());
  EXPECT_TRUE(RequireAnyRole(caller, {"GRID_LEADER", "DISTRICT_ADMIN"}, "creating an organisation").ok());
}

TEST(RequireAnyRoleTest, DeniedMessageNamesTheActionTheRolesAndTheCallersRoles) {
  absl::Status status = RequireAnyRole(Caller(kTown, {"BRANCH_SECRETARY", "GRID_LEADER"}),
                                       {"DISTRICT_ADMIN", "TOWN_ADMIN"}, "creating an organisation");
  ASSERT_THAT(status, IsPermissionDenied());
  EXPECT_THAT(std::string(status.message()),
              AllOf(HasSubstr("creating an organisation"), HasSubstr("DISTRICT_ADMIN, TOWN_ADMIN"),
                    HasSubstr("BRANCH_SECRETARY, GRID_LEADER")));
}

// Roles are matched exactly: no prefixes, no case folding; no roles, no access.
TEST(RequireAnyRoleTest, DeniesOtherSpellingsAndNoRoles) {
  EXPECT_THAT(RequireAnyRole(Caller(kTown, {"town_admin"}), {"TOWN_ADMIN"}, "renaming"), IsPermissionDenied());
  EXPECT_THAT(RequireAnyRole(Caller(kTown, {"TOWN_ADMIN_X"}), {"TOWN_ADMIN"}, "renaming"), IsPermissionDenied());
  EXPECT_THAT(RequireAnyRole(Caller(kTown, {}), {"TOWN_ADMIN"}, "renaming"), IsPermissionDenied());
}

}  // namespace
}  // namespace gridserve
