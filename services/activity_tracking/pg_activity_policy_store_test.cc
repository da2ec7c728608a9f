#include "activity_tracking/pg_activity_policy_store.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "activity_tracking/activity_policies.h"
#include "activity_tracking_sql.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/pg_test_schema.h"

namespace gridserve::activity_tracking {
namespace {

using ::testing::HasSubstr;

constexpr char kTown[] = "500114101000";
constexpr char kNeighbourTown[] = "500114102000";

// Each test gets a fresh schema of the binary's one throwaway cluster.
class PgActivityPolicyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<gridserve::testing::TestSchema> schema =
        gridserve::testing::MakeTestSchema("activity_tracking", sql::Migrations(), sql::Queries());
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = std::move(schema).value();
    store_ = std::make_unique<PgActivityPolicyStore>(*schema_.pool);
  }

  absl::Status InsertPolicy(const std::string& town_code, int min_activities_per_month) {
    return schema_.Execute(absl::StrCat(
        "INSERT INTO activity_policies (town_code, min_activities_per_month) VALUES ('", town_code, "', ",
        min_activities_per_month, ")"));
  }

  absl::StatusOr<ActivityPolicy> Get(const std::string& town_code) {
    return store_->Get(town_code, absl::Now() + absl::Seconds(10));
  }

  gridserve::testing::TestSchema schema_;
  std::unique_ptr<PgActivityPolicyStore> store_;
};

// R4 二(一) tasks 3: a town that set nothing asks for 1 activity per member per month.
TEST_F(PgActivityPolicyStoreTest, TownWithoutPolicyGetsSeedDefaultOfOneActivityPerMonth) {
  absl::StatusOr<ActivityPolicy> policy = Get(kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->town_code, kTown);
  EXPECT_EQ(policy->min_activities_per_month, 1);
  EXPECT_TRUE(policy->is_default);
}

// R4: a town running its own plan may ask for more.
TEST_F(PgActivityPolicyStoreTest, TownsOwnPolicyIsReturned) {
  ASSERT_TRUE(InsertPolicy(kTown, 2).ok());
  absl::StatusOr<ActivityPolicy> policy = Get(kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->town_code, kTown);
  EXPECT_EQ(policy->min_activities_per_month, 2);
  EXPECT_FALSE(policy->is_default);
}

TEST_F(PgActivityPolicyStoreTest, AnotherTownsPolicyDoesNotApply) {
  ASSERT_TRUE(InsertPolicy(kNeighbourTown, 4).ok());
  absl::StatusOr<ActivityPolicy> policy = Get(kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->min_activities_per_month, 1);
  EXPECT_TRUE(policy->is_default);
}

TEST_F(PgActivityPolicyStoreTest, TableHoldsOnlyTownCodes) {
  for (const char* code : {"500114101201", "500114000000", "50011410100", "50011410100x"}) {
    EXPECT_THAT(InsertPolicy(code, 1).message(), HasSubstr("check constraint")) << code;
  }
}

// R4 asks for at least one activity a month; a town cannot lower it to none.
TEST_F(PgActivityPolicyStoreTest, TableRejectsFewerThanOneOrMoreThanThirtyOneActivities) {
  EXPECT_THAT(InsertPolicy(kTown, 0).message(), HasSubstr("activity_policies_per_month_range"));
  EXPECT_THAT(InsertPolicy(kTown, 32).message(), HasSubstr("activity_policies_per_month_range"));
  EXPECT_TRUE(InsertPolicy(kTown, 31).ok());
}

// A village secretary works under the town's plan: the rules let it read the
// town's row through the PostgreSQL store.
TEST_F(PgActivityPolicyStoreTest, VillageSecretaryReadsItsTownsPolicy) {
  ASSERT_TRUE(InsertPolicy(kTown, 3).ok());
  ActivityPolicies policies(*store_);
  Principal secretary{.subject = "users/secretary", .bindings = {{"VILLAGE_SECRETARY", "500114101201"}}};
  absl::StatusOr<ActivityPolicy> policy = policies.Get(secretary, kTown, absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->min_activities_per_month, 3);
  EXPECT_FALSE(policy->is_default);
}

}  // namespace
}  // namespace gridserve::activity_tracking
