#include "grid_assignment/pg_grid_policy_store.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grid_assignment/grid_policies.h"
#include "grid_assignment_sql.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/pg_test_schema.h"

namespace gridserve::grid_assignment {
namespace {

using ::testing::HasSubstr;

constexpr char kTown[] = "500114101000";
constexpr char kNeighbourTown[] = "500114102000";

// Each test gets a fresh schema of the binary's one throwaway cluster.
class PgGridPolicyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<gridserve::testing::TestSchema> schema =
        gridserve::testing::MakeTestSchema("grid_assignment", sql::Migrations(), sql::Queries());
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = std::move(schema).value();
    store_ = std::make_unique<PgGridPolicyStore>(*schema_.pool);
  }

  // Inserts a row with plain SQL.
  absl::Status InsertPolicy(const std::string& town_code, int min_households_per_member,
                            int min_members_per_courtyard) {
    return schema_.Execute(absl::StrCat(
        "INSERT INTO grid_policies (town_code, min_households_per_member, min_members_per_courtyard) VALUES ('",
        town_code, "', ", min_households_per_member, ", ", min_members_per_courtyard, ")"));
  }

  absl::StatusOr<GridPolicy> Get(const std::string& town_code) {
    return store_->Get(town_code, absl::Now() + absl::Seconds(10));
  }

  gridserve::testing::TestSchema schema_;
  std::unique_ptr<PgGridPolicyStore> store_;
};

// R5 二(二)1 (default minimum of 2 households per member) and R6 二(二)2
// (default minimum of 1 member per courtyard) for a town that set nothing.
TEST_F(PgGridPolicyStoreTest, TownWithoutPolicyGetsSeedDefaults) {
  absl::StatusOr<GridPolicy> policy = Get(kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->town_code, kTown);
  EXPECT_EQ(policy->min_households_per_member, 2);
  EXPECT_EQ(policy->min_members_per_courtyard, 1);
  EXPECT_TRUE(policy->is_default);
}

// R5/R6: a town running its own plan overrides the seed values.
TEST_F(PgGridPolicyStoreTest, TownsOwnPolicyIsReturned) {
  ASSERT_TRUE(InsertPolicy(kTown, 3, 2).ok());
  absl::StatusOr<GridPolicy> policy = Get(kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->town_code, kTown);
  EXPECT_EQ(policy->min_households_per_member, 3);
  EXPECT_EQ(policy->min_members_per_courtyard, 2);
  EXPECT_FALSE(policy->is_default);
}

TEST_F(PgGridPolicyStoreTest, AnotherTownsPolicyDoesNotApply) {
  ASSERT_TRUE(InsertPolicy(kNeighbourTown, 5, 3).ok());
  absl::StatusOr<GridPolicy> policy = Get(kTown);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->min_households_per_member, 2);
  EXPECT_TRUE(policy->is_default);
}

TEST_F(PgGridPolicyStoreTest, TableHoldsOnlyTownCodes) {
  for (const char* code : {"500114101201", "500114000000", "50011410100", "50011410100x"}) {
    EXPECT_THAT(InsertPolicy(code, 2, 1).message(), HasSubstr("check constraint")) << code;
  }
}

// R5 二(二)1 ("一对多") and R6 二(二) tasks 1 ("1名或多名"): a town cannot lower either minimum to none.
TEST_F(PgGridPolicyStoreTest, TableRejectsMinimumsBelowOne) {
  EXPECT_THAT(InsertPolicy(kTown, 0, 1).message(), HasSubstr("grid_policies_households_range"));
  EXPECT_THAT(InsertPolicy(kTown, 2, 0).message(), HasSubstr("grid_policies_courtyard_range"));
  EXPECT_TRUE(InsertPolicy(kTown, 1, 1).ok());
}

// A village secretary works under the town's plan: the rules let it read the
// town's row through the PostgreSQL store.
TEST_F(PgGridPolicyStoreTest, VillageSecretaryReadsItsTownsPolicy) {
  ASSERT_TRUE(InsertPolicy(kTown, 4, 2).ok());
  GridPolicies policies(*store_);
  Principal secretary{.subject = "users/secretary", .bindings = {{"VILLAGE_SECRETARY", "500114101201"}}};
  absl::StatusOr<GridPolicy> policy = policies.Get(secretary, kTown, absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->min_households_per_member, 4);
  EXPECT_FALSE(policy->is_default);
}

}  // namespace
}  // namespace gridserve::grid_assignment
