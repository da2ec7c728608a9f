#include "activity_tracking/pg_activity_policy_store.h"

#include "pqxx/pqxx"

namespace gridserve::activity_tracking {

absl::StatusOr<ActivityPolicy> PgActivityPolicyStore::Get(const std::string& town_code, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<ActivityPolicy> {
    ActivityPolicy policy = SeedActivityPolicy(town_code);
    pqxx::result rows = txn.exec_prepared("get_activity_policy", town_code);
    if (rows.empty()) return policy;
    policy.min_activities_per_month = rows[0]["min_activities_per_month"].as<int>();
    policy.is_default = false;
    return policy;
  });
}

}  // namespace gridserve::activity_tracking
