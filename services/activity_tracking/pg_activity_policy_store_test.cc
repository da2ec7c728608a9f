#include "activity_tracking/pg_activity_policy_store.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "activity_tracking/activity_policies.h"
#include "activity_tracking_sql.h"
#include "common/pg_migrator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/devstack/pg_cluster.h"

namespace gridserve::activity_tracking {
namespace {

using ::testing::HasSubstr;

constexpr char kTown[] = "500114101000";
constexpr char kNeighbourTown[] = "500114102000";

// One throwaway cluster for the binary; each test gets a fresh schema.
class PgActivityPolicyStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<devstack::PgCluster>> cluster = devstack::PgCluster::Start({});
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = std::move(cluster).value();
  }
  static void TearDownTestSuite() { cluster_.reset(); }

  void SetUp() override {
    ASSERT_NE(cluster_, nullptr) << "PostgreSQL did not start";
    schema_ = absl::StrCat("t_", ++schemas_);
    std::string url = cluster_->Url("postgres", "gridserve");
    absl::Status migrated = ApplyMigrations(url, schema_, sql::Migrations());
    ASSERT_TRUE(migrated.ok()) << migrated;
    pool_ = std::make_unique<PgPool>(PgPool::Options{.url = url,
                                                     .schema = schema_,
                                                     .application_name = "activity_tracking_pg_test",
                                                     .max_connections = 2,
                                                     .queries = sql::Queries()});
    pool_->MarkReady();
    store_ = std::make_unique<PgActivityPolicyStore>(*pool_);
  }

  // Runs `statement` in this test's schema, as the test's own plain SQL.
  absl::Status Execute(const std::string& statement) {
    return cluster_->Execute(absl::StrCat("SET search_path TO ", schema_, "; ", statement));
  }

  absl::Status InsertPolicy(const std::string& town_code, int min_activities_per_month) {
    return Execute(absl::StrCat("INSERT INTO activity_policies (town_code, min_activities_per_month) VALUES ('",
                                town_code, "', ", min_activities_per_month, ")"));
  }

  absl::StatusOr<ActivityPolicy> Get(const std::string& town_code) {
    return store_->Get(town_code, absl::Now() + absl::Seconds(10));
  }

  static inline std::unique_ptr<devstack::PgCluster> cluster_;
  static inline int schemas_ = 0;
  std::string schema_;
  std::unique_ptr<PgPool> pool_;
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
  Principal secretary{.subject = "users/secretary", .roles = {"BRANCH_SECRETARY"}, .org_scope = "500114101201"};
  absl::StatusOr<ActivityPolicy> policy = policies.Get(secretary, kTown, absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->min_activities_per_month, 3);
  EXPECT_FALSE(policy->is_default);
}

}  // namespace
}  // namespace gridserve::activity_tracking
