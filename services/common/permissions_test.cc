#include "common/permissions.h"

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

Principal Caller(const std::string& scope, std::vector<std::string> roles = {"TOWN_ADMIN"}) {
  Principal principal{.subject = "users/test"};
  for (std::string& role : roles) principal.bindings.push_back({std::move(role), scope});
  return principal;
}

MATCHER(IsPermissionDenied, "is PERMISSION_DENIED") { return arg.code() == absl::StatusCode::kPermissionDenied; }

// --- RequirePermissionAt: the subtree of a binding that grants the permission --------------------------------------

TEST(RequirePermissionAtTest, AllowsTheCallersSubtreeOnly) {
  EXPECT_TRUE(RequirePermissionAt(Caller(kTown), Permission::kOrgRead, kTown, "code").ok());
  EXPECT_TRUE(RequirePermissionAt(Caller(kTown), Permission::kOrgRead, kVillage, "code").ok());
  EXPECT_TRUE(RequirePermissionAt(Caller(kDistrict), Permission::kOrgRead, kOtherTown, "code").ok());
  EXPECT_THAT(RequirePermissionAt(Caller(kTown), Permission::kOrgRead, kOtherTown, "code"), IsPermissionDenied());
  EXPECT_THAT(RequirePermissionAt(Caller(kDistrict), Permission::kOrgRead, "500115101000", "code"), IsPermissionDenied());
  // Unlike RequirePermissionAtOrAbove, nothing above the caller.
  EXPECT_THAT(RequirePermissionAt(Caller(kVillage), Permission::kOrgRead, kTown, "code"), IsPermissionDenied());
  EXPECT_THAT(RequirePermissionAt(Caller(kTown), Permission::kOrgRead, kDistrict, "code"), IsPermissionDenied());
}

TEST(RequirePermissionAtTest, DeniesAnEmptyOrInvalidScope) {
  EXPECT_THAT(RequirePermissionAt(Caller(""), Permission::kOrgRead, kTown, "code"), IsPermissionDenied());
  EXPECT_THAT(RequirePermissionAt(Caller("500114"), Permission::kOrgRead, kTown, "code"), IsPermissionDenied());
}

TEST(RequirePermissionAtTest, MessageNamesTheFieldTheCodeAndTheScope) {
  absl::Status status = RequirePermissionAt(Caller(kTown), Permission::kOrgRead, kOtherTown, "parent_code");
  ASSERT_THAT(status, IsPermissionDenied());
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("ORG_READ over parent_code 500114102000 (you hold TOWN_ADMIN@500114101000)"));
}

// --- RequirePermissionAtOrAbove: the subtree and the organisations above it ---------

TEST(RequirePermissionAtOrAboveTest, AllowsTheCallersOwnTown) {
  EXPECT_TRUE(RequirePermissionAtOrAbove(Caller(kTown), Permission::kOrgRead, kTown, "town_code").ok());
}

TEST(RequirePermissionAtOrAboveTest, AllowsADistrictOverItsTowns) {
  Principal district_admin = Caller(kDistrict, {"DISTRICT_ADMIN"});
  EXPECT_TRUE(RequirePermissionAtOrAbove(district_admin, Permission::kOrgRead, kTown, "town_code").ok());
  EXPECT_TRUE(RequirePermissionAtOrAbove(district_admin, Permission::kOrgRead, kOtherTown, "town_code").ok());
  EXPECT_TRUE(RequirePermissionAtOrAbove(district_admin, Permission::kOrgRead, kVillage, "code").ok());
}

// A village secretary or grid leader works under its town's plans.
TEST(RequirePermissionAtOrAboveTest, AllowsAVillageSecretaryToReadTheTownAndDistrictAbove) {
  Principal secretary = Caller(kVillage, {"VILLAGE_SECRETARY"});
  EXPECT_TRUE(RequirePermissionAtOrAbove(secretary, Permission::kOrgRead, kTown, "town_code").ok());
  EXPECT_TRUE(RequirePermissionAtOrAbove(secretary, Permission::kOrgRead, kDistrict, "code").ok());
  EXPECT_TRUE(RequirePermissionAtOrAbove(secretary, Permission::kOrgRead, kVillage, "code").ok());
}

TEST(RequirePermissionAtOrAboveTest, DeniesAnotherTown) {
  Principal secretary = Caller(kVillage, {"VILLAGE_SECRETARY"});
  EXPECT_THAT(RequirePermissionAtOrAbove(secretary, Permission::kOrgRead, kOtherTown, "town_code"), IsPermissionDenied());
  EXPECT_THAT(RequirePermissionAtOrAbove(Caller(kTown), Permission::kOrgRead, kOtherTown, "town_code"), IsPermissionDenied());
  EXPECT_THAT(RequirePermissionAtOrAbove(Caller(kTown), Permission::kOrgRead, "500114102201", "code"), IsPermissionDenied());  // its village
  // A sibling is neither above nor below.
  EXPECT_THAT(RequirePermissionAtOrAbove(secretary, Permission::kOrgRead, "500114101202", "code"), IsPermissionDenied());
}

TEST(RequirePermissionAtOrAboveTest, DeniesAnotherDistrict) {
  EXPECT_THAT(RequirePermissionAtOrAbove(Caller("500115000000", {"DISTRICT_ADMIN"}), Permission::kOrgRead, kTown, "town_code"),
              IsPermissionDenied());
  EXPECT_THAT(RequirePermissionAtOrAbove(Caller(kTown), Permission::kOrgRead, "500115000000", "code"), IsPermissionDenied());
  EXPECT_THAT(RequirePermissionAtOrAbove(Caller(kTown), Permission::kOrgRead, "500115101000", "town_code"), IsPermissionDenied());
}

// Not even a malformed code that is a prefix of the caller's scope passes as
// an ancestor.
TEST(RequirePermissionAtOrAboveTest, DeniesAnEmptyOrInvalidScopeOrCode) {
  for (const std::string scope : {"", "500114", "50011410100x"}) {
    EXPECT_THAT(RequirePermissionAtOrAbove(Caller(scope), Permission::kOrgRead, kTown, "town_code"), IsPermissionDenied()) << scope;
  }
  for (const std::string code : {"", "500114", "500114101", "5001141012011"}) {
    EXPECT_THAT(RequirePermissionAtOrAbove(Caller(kVillage), Permission::kOrgRead, code, "code"), IsPermissionDenied()) << code;
  }
}

TEST(RequirePermissionAtOrAboveTest, MessageNamesTheFieldTheCodeAndTheScope) {
  absl::Status status = RequirePermissionAtOrAbove(Caller(kVillage, {"VILLAGE_SECRETARY"}), Permission::kOrgRead, kOtherTown, "town_code");
  ASSERT_THAT(status, IsPermissionDenied());
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("ORG_READ over town_code 500114102000 (you hold VILLAGE_SECRETARY@500114101201)"));
}

// --- Roles and the role table -------------------------------------------------------

TEST(RequirePermissionAtTest, OnlyBindingsThatGrantThePermissionCount) {
  // A rater's binding covers the town but grants no org writes; the grid
  // leader's binding elsewhere grants nothing here either.
  Principal caller{.subject = "users/test",
                   .bindings = {{"RATER", kTown}, {"TOWN_ADMIN", kOtherTown}}};
  EXPECT_THAT(RequirePermissionAt(caller, Permission::kOrgWrite, kVillage, "code"), IsPermissionDenied());
  EXPECT_TRUE(RequirePermissionAt(caller, Permission::kOrgWrite, "500114102201", "code").ok());
  EXPECT_TRUE(RequirePermissionAt(caller, Permission::kRatingWrite, kVillage, "code").ok());
}

TEST(RequirePermissionTest, FunctionLevelNeedsSomeGrantingRole) {
  EXPECT_TRUE(RequirePermission(Caller(kTown, {"GRID_LEADER", "TOWN_ADMIN"}), Permission::kOrgWrite, "x").ok());
  absl::Status status = RequirePermission(Caller(kTown, {"VILLAGE_SECRETARY", "GRID_LEADER"}), Permission::kOrgWrite,
                                          "creating an organisation");
  ASSERT_THAT(status, IsPermissionDenied());
  EXPECT_THAT(std::string(status.message()),
              AllOf(HasSubstr("creating an organisation"), HasSubstr("ORG_WRITE"),
                    HasSubstr("VILLAGE_SECRETARY, GRID_LEADER")));
}

// Roles are matched exactly: no prefixes, no case folding; no roles, no access.
TEST(RequirePermissionTest, DeniesOtherSpellingsAndNoRoles) {
  EXPECT_THAT(RequirePermission(Caller(kTown, {"town_admin"}), Permission::kOrgRead, "x"), IsPermissionDenied());
  EXPECT_THAT(RequirePermission(Caller(kTown, {"TOWN_ADMIN_X"}), Permission::kOrgRead, "x"), IsPermissionDenied());
  EXPECT_THAT(RequirePermission(Caller(kTown, {}), Permission::kOrgRead, "x"), IsPermissionDenied());
  EXPECT_TRUE(RequirePermission(Caller(kTown, {}), Permission::kPublic, "x").ok());
}

// DESIGN.md §1: a rater only rates; an auditor reads, including the audit log,
// but writes nothing and sees no unmasked personal data.
TEST(RoleGrantsTest, RolesMatchTheDesign) {
  EXPECT_TRUE(RoleGrants("RATER", Permission::kRatingWrite));
  EXPECT_FALSE(RoleGrants("RATER", Permission::kOrgRead));
  EXPECT_TRUE(RoleGrants("AUDITOR", Permission::kAuditRead));
  for (Permission write : {Permission::kOrgWrite, Permission::kPolicyWrite, Permission::kMemberWrite,
                           Permission::kAccountWrite, Permission::kPiiRead}) {
    EXPECT_FALSE(RoleGrants("AUDITOR", write)) << PermissionName(write);
    EXPECT_FALSE(RoleGrants("SYSTEM_READER", write)) << PermissionName(write);
  }
  EXPECT_FALSE(RoleGrants("DISTRICT_ADMIN", Permission::kAuditRead));
  for (const std::string& role : AllRoles()) EXPECT_TRUE(RoleGrants(role, Permission::kSelf)) << role;
  EXPECT_LT(RoleRank("DISTRICT_ADMIN"), RoleRank("TOWN_ADMIN"));
  EXPECT_LT(RoleRank("TOWN_ADMIN"), RoleRank("VILLAGE_SECRETARY"));
  EXPECT_EQ(RoleRank("NOBODY"), -1);
}

TEST(BindingScopeTest, EachRoleFitsItsLevels) {
  EXPECT_EQ(BindingScopeProblem("DISTRICT_ADMIN", "500114000000"), "");
  EXPECT_EQ(BindingScopeProblem("TOWN_ADMIN", "500114101000"), "");
  EXPECT_EQ(BindingScopeProblem("VILLAGE_SECRETARY", "500114101201"), "");
  EXPECT_EQ(BindingScopeProblem("MEMBER", "500114001001"), "") << "a community";
  EXPECT_EQ(BindingScopeProblem("AUDITOR", "500114101000"), "");
  EXPECT_EQ(BindingScopeProblem("SYSTEM_READER", "500114101201"), "");
  EXPECT_THAT(BindingScopeProblem("TOWN_ADMIN", "500114000000"), HasSubstr("TOWN_ADMIN applies to a town"));
  EXPECT_THAT(BindingScopeProblem("DISTRICT_ADMIN", "500000000000"), HasSubstr("is not one")) << "a province";
  EXPECT_THAT(BindingScopeProblem("SYSTEM_WRITER", "500100000000"), HasSubstr("is not one")) << "a city";
  EXPECT_THAT(BindingScopeProblem("RATER", "500114101000"), HasSubstr("a village or community"));
  EXPECT_THAT(BindingScopeProblem("AUDITOR", "500114101201"), HasSubstr("a district"));
  EXPECT_THAT(BindingScopeProblem("MEMBER", "5001141012"), HasSubstr("12-digit"));
  EXPECT_THAT(BindingScopeProblem("KING", "500114000000"), HasSubstr("unknown"));
  for (const std::string& role : AllRoles()) {
    EXPECT_NE(BindingScopeProblem(role, "500000000000"), "") << role << " must not bind a province";
  }
}

}  // namespace
}  // namespace gridserve
