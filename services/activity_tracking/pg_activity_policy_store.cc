#include "activity_tracking/pg_activity_policy_store.h"

namespace gridserve::activity_tracking {

absl::StatusOr<ActivityPolicy> PgActivityPolicyStore::Get(const std::string& town_code, absl::Time deadline) {
  ActivityPolicy policy = SeedActivityPolicy(town_code);
  absl::Status status = pool_.Run(deadline, [&](pqxx::work& txn) -> absl::Status {
    pqxx::result rows = txn.exec_prepared("get_activity_policy", town_code);
    if (rows.empty()) return absl::OkStatus();
    policy.min_activities_per_month = rows[0]["min_activities_per_month"].as<int>();
    policy.is_default = false;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return policy;
}

}  // namespace gridserve::activity_tracking
