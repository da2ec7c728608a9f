#include "evaluation/evaluation_policies.h"

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::evaluation {
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
// store holds is tested on PostgreSQL in pg_evaluation_policy_store_test.cc, and the
// scope rule itself (RequirePermissionAtOrAbove) in common/permissions_test.cc.
class RecordingStore : public EvaluationPolicyStore {
 public:
  absl::StatusOr<EvaluationPolicy> Get(const std::string& town_code, absl::Time) override {
    requested.push_back(town_code);
    if (!failure.ok()) return failure;
    return SeedEvaluationPolicy(town_code);
  }
  std::vector<std::string> requested;
  absl::Status failure;
};

Principal Caller(std::string scope, std::string role) {
  return {.subject = "users/test", .bindings = {{std::move(role), std::move(scope)}}};
}

class EvaluationPoliciesTest : public ::testing::Test {
 protected:
  absl::StatusOr<EvaluationPolicy> Get(const Principal& caller, const std::string& town_code) {
    return policies_.Get(caller, town_code, absl::Now() + absl::Seconds(5));
  }

  RecordingStore store_;
  EvaluationPolicies policies_{store_};
};

TEST(SeedEvaluationPolicyTest, SeedDefaultsAreJulyAndDecemberAndFifteenToTwentyPercent) {
  EvaluationPolicy policy = SeedEvaluationPolicy(kTown);
  EXPECT_EQ(policy.town_code, kTown);
  EXPECT_THAT(policy.rating_months, ElementsAre(7, 12));  // R11 三: "每年7月和12月"
  EXPECT_EQ(policy.central_household_min_percent, 15);    // R14 三: "共产党员户总数15%－20%"
  EXPECT_EQ(policy.central_household_max_percent, 20);
  EXPECT_TRUE(policy.is_default);
}

// Only a town's 12-digit code names a policy; a bad code is reported before
// the scope is looked at, even to a caller from elsewhere.
TEST_F(EvaluationPoliciesTest, RejectsTownCodeThatIsNotATownsTwelveDigitCode) {
  for (const std::string code :
       {"", "50011410100", "5001141010000", "50011410100x", "500114 01000", kDistrict, kVillageOfTown}) {
    for (const Principal& caller : {Caller(kDistrict, "DISTRICT_ADMIN"), Caller("500115000000", "DISTRICT_ADMIN")}) {
      absl::StatusOr<EvaluationPolicy> policy = Get(caller, code);
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
TEST_F(EvaluationPoliciesTest, VillageSecretaryReadsTheTownAboveItsVillage) {
  absl::StatusOr<EvaluationPolicy> policy = Get(Caller(kVillageOfTown, "VILLAGE_SECRETARY"), kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->town_code, kTown);
  EXPECT_THAT(store_.requested, ElementsAre(kTown));
}

TEST_F(EvaluationPoliciesTest, VillageSecretaryCannotReadAnotherTown) {
  absl::StatusOr<EvaluationPolicy> policy = Get(Caller(kVillageOfTown, "VILLAGE_SECRETARY"), kNeighbourTown);
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(policy.status().message(), HasSubstr("town_code"));
  EXPECT_THAT(store_.requested, IsEmpty());
}

TEST_F(EvaluationPoliciesTest, StoreFailureIsPassedOn) {
  store_.failure = absl::UnavailableError("database down");
  absl::StatusOr<EvaluationPolicy> policy = Get(Caller(kTown, "TOWN_ADMIN"), kTown);
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace gridserve::evaluation
