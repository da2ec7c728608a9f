#include "evaluation/pg_evaluation_policy_store.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "evaluation/evaluation_policies.h"
#include "evaluation_sql.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/pg_test_schema.h"

namespace gridserve::evaluation {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kTown[] = "500114101000";
constexpr char kNeighbourTown[] = "500114102000";

// Each test gets a fresh schema of the binary's one throwaway cluster.
class PgEvaluationPolicyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<gridserve::testing::TestSchema> schema =
        gridserve::testing::MakeTestSchema("evaluation", sql::Migrations(), sql::Queries());
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = std::move(schema).value();
    store_ = std::make_unique<PgEvaluationPolicyStore>(*schema_.pool);
  }

  // Inserts a row with plain SQL; `rating_months` is an array literal such as "{7,12}".
  absl::Status InsertPolicy(const std::string& town_code, const std::string& rating_months, int min_percent,
                            int max_percent) {
    return schema_.Execute(absl::StrCat(
        "INSERT INTO evaluation_policies (town_code, rating_months, central_household_min_percent, "
        "central_household_max_percent) VALUES ('", town_code, "', '", rating_months, "', ", min_percent, ", ",
        max_percent, ")"));
  }

  absl::StatusOr<EvaluationPolicy> Get(const std::string& town_code) {
    return store_->Get(town_code, absl::Now() + absl::Seconds(10));
  }

  gridserve::testing::TestSchema schema_;
  std::unique_ptr<PgEvaluationPolicyStore> store_;
};

// R11 三 (rating rounds in July and December) and R14 三 (central households
// 15%-20% of member households) for a town that set nothing.
TEST_F(PgEvaluationPolicyStoreTest, TownWithoutPolicyGetsSeedDefaults) {
  absl::StatusOr<EvaluationPolicy> policy = Get(kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->town_code, kTown);
  EXPECT_THAT(policy->rating_months, ElementsAre(7, 12));
  EXPECT_EQ(policy->central_household_min_percent, 15);
  EXPECT_EQ(policy->central_household_max_percent, 20);
  EXPECT_TRUE(policy->is_default);
}

// R11/R14: a town running its own plan overrides the seed values.
TEST_F(PgEvaluationPolicyStoreTest, TownsOwnPolicyIsReturned) {
  ASSERT_TRUE(InsertPolicy(kTown, "{6,11}", 10, 25).ok());
  absl::StatusOr<EvaluationPolicy> policy = Get(kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->town_code, kTown);
  EXPECT_THAT(policy->rating_months, ElementsAre(6, 11));
  EXPECT_EQ(policy->central_household_min_percent, 10);
  EXPECT_EQ(policy->central_household_max_percent, 25);
  EXPECT_FALSE(policy->is_default);
}

TEST_F(PgEvaluationPolicyStoreTest, RatingMonthsComeAscendingWithoutRepeats) {
  ASSERT_TRUE(InsertPolicy(kTown, "{12,7,12}", 15, 20).ok());
  absl::StatusOr<EvaluationPolicy> policy = Get(kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_THAT(policy->rating_months, ElementsAre(7, 12));
}

TEST_F(PgEvaluationPolicyStoreTest, AnotherTownsPolicyDoesNotApply) {
  ASSERT_TRUE(InsertPolicy(kNeighbourTown, "{6}", 16, 18).ok());
  absl::StatusOr<EvaluationPolicy> policy = Get(kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_THAT(policy->rating_months, ElementsAre(7, 12));
  EXPECT_TRUE(policy->is_default);
}

TEST_F(PgEvaluationPolicyStoreTest, TableHoldsOnlyTownCodes) {
  for (const char* code : {"500114101201", "500114000000", "50011410100", "50011410100x"}) {
    EXPECT_THAT(InsertPolicy(code, "{7,12}", 15, 20).message(), HasSubstr("check constraint")) << code;
  }
}

// R11: rounds are held in calendar months, at least one a year.
TEST_F(PgEvaluationPolicyStoreTest, TableRejectsRatingMonthsOutsideOneToTwelve) {
  for (const char* months : {"{0,12}", "{7,13}", "{}", "{7,NULL}", "{{7},{12}}"}) {
    EXPECT_THAT(InsertPolicy(kTown, months, 15, 20).message(), HasSubstr("evaluation_policies_rating_months_range"))
        << months;
  }
  EXPECT_TRUE(InsertPolicy(kTown, "{1,12}", 15, 20).ok());
}

// R14: the band is a pair of percentages with the lower bound first.
TEST_F(PgEvaluationPolicyStoreTest, TableRejectsCentralHouseholdBandOutOfOrderOrRange) {
  EXPECT_THAT(InsertPolicy(kTown, "{7,12}", 21, 20).message(), HasSubstr("evaluation_policies_central_household_band"));
  EXPECT_THAT(InsertPolicy(kTown, "{7,12}", -1, 20).message(), HasSubstr("evaluation_policies_central_household_band"));
  EXPECT_THAT(InsertPolicy(kTown, "{7,12}", 15, 101).message(), HasSubstr("evaluation_policies_central_household_band"));
  EXPECT_TRUE(InsertPolicy(kTown, "{7,12}", 20, 20).ok());
}

// A village secretary runs its village's ratings under the town's plan: the
// rules let it read the town's row through the PostgreSQL store.
TEST_F(PgEvaluationPolicyStoreTest, VillageSecretaryReadsItsTownsPolicy) {
  ASSERT_TRUE(InsertPolicy(kTown, "{6,12}", 15, 18).ok());
  EvaluationPolicies policies(*store_);
  Principal secretary{.subject = "users/secretary", .bindings = {{"VILLAGE_SECRETARY", "500114101201"}}};
  absl::StatusOr<EvaluationPolicy> policy = policies.Get(secretary, kTown, absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_THAT(policy->rating_months, ElementsAre(6, 12));
  EXPECT_EQ(policy->central_household_max_percent, 18);
  EXPECT_FALSE(policy->is_default);
}

}  // namespace
}  // namespace gridserve::evaluation
