#include "grid_assignment/grid_policies.h"

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::grid_assignment {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kTown[] = "500114101000";            // 邻鄂镇
constexpr char kNeighbourTown[] = "500114102000";
constexpr char kVillageOfTown[] = "500114101201";
constexpr char kDistrict[] = "500114000000";         // 黔江区

// Records which towns it was asked for and answers with the seed policy (or
// `failure`). The tests here are about the rules around the store; what the
// store holds is tested on PostgreSQL in pg_grid_policy_store_test.cc, and the
// scope rule itself (RequirePermissionAtOrAbove) in common/permissions_test.cc.
class RecordingStore : public GridPolicyStore {
 public:
  absl::StatusOr<GridPolicy> Get(const std::string& town_code, absl::Time) override {
    requested.push_back(town_code);
    if (!failure.ok()) return failure;
    return SeedGridPolicy(town_code);
  }
  std::vector<std::string> requested;
  absl::Status failure;
};

Principal Caller(std::string scope, std::string role) {
  return {.subject = "users/test", .bindings = {{std::move(role), std::move(scope)}}};
}

class GridPoliciesTest : public ::testing::Test {
 protected:
  absl::StatusOr<GridPolicy> Get(const Principal& caller, const std::string& town_code) {
    return policies_.Get(caller, town_code, absl::Now() + absl::Seconds(5));
  }

  RecordingStore store_;
  GridPolicies policies_{store_};
};

TEST(SeedGridPolicyTest, SeedDefaultsAreTwoHouseholdsPerMemberAndOneMemberPerCourtyard) {
  GridPolicy policy = SeedGridPolicy(kTown);
  EXPECT_EQ(policy.town_code, kTown);
  EXPECT_EQ(policy.min_households_per_member, 2);  // R5 二(二)1: "一对多", reported below 2
  EXPECT_EQ(policy.min_members_per_courtyard, 1);  // R6 二(二)2 / tasks 1: 1 or more members per courtyard
  EXPECT_TRUE(policy.is_default);
}

// Only a town's 12-digit code names a policy; a bad code is reported before
// the scope is looked at, even to a caller from elsewhere.
TEST_F(GridPoliciesTest, RejectsTownCodeThatIsNotATownsTwelveDigitCode) {
  for (const std::string code :
       {"", "50011410100", "5001141010000", "50011410100x", "500114 01000", kDistrict, kVillageOfTown}) {
    for (const Principal& caller : {Caller(kDistrict, "DISTRICT_ADMIN"), Caller("500115000000", "DISTRICT_ADMIN")}) {
      absl::StatusOr<GridPolicy> policy = Get(caller, code);
      EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument) << code << " for " << caller.bindings[0].org_scope;
      std::vector<FieldViolation> violations = FieldViolationsOf(policy.status());
      ASSERT_EQ(violations.size(), 1u) << code;
      EXPECT_EQ(violations[0].field, "town_code");
      EXPECT_THAT(violations[0].description, HasSubstr("e.g. 500114101000"));
    }
  }
  EXPECT_THAT(store_.requested, IsEmpty());
}

// The town's plan is readable from the villages under it (RequirePermissionAtOrAbove).
TEST_F(GridPoliciesTest, VillageSecretaryReadsTheTownAboveItsVillage) {
  absl::StatusOr<GridPolicy> policy = Get(Caller(kVillageOfTown, "VILLAGE_SECRETARY"), kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->town_code, kTown);
  EXPECT_THAT(store_.requested, ElementsAre(kTown));
}

TEST_F(GridPoliciesTest, VillageSecretaryCannotReadAnotherTown) {
  absl::StatusOr<GridPolicy> policy = Get(Caller(kVillageOfTown, "VILLAGE_SECRETARY"), kNeighbourTown);
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(policy.status().message(), HasSubstr("town_code"));
  EXPECT_THAT(store_.requested, IsEmpty());
}

TEST_F(GridPoliciesTest, StoreFailureIsPassedOn) {
  store_.failure = absl::UnavailableError("database down");
  absl::StatusOr<GridPolicy> policy = Get(Caller(kTown, "TOWN_ADMIN"), kTown);
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace gridserve::grid_assignment
