#include "grid_assignment/pg_grid_policy_store.h"

#include "pqxx/pqxx"

namespace gridserve::grid_assignment {

absl::StatusOr<GridPolicy> PgGridPolicyStore::Get(const std::string& town_code, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<GridPolicy> {
    GridPolicy policy = SeedGridPolicy(town_code);
    pqxx::result rows = txn.exec_prepared("get_grid_policy", town_code);
    if (rows.empty()) return policy;
    policy.min_households_per_member = rows[0]["min_households_per_member"].as<int>();
    policy.min_members_per_courtyard = rows[0]["min_members_per_courtyard"].as<int>();
    policy.is_default = false;
    return policy;
  });
}

}  // namespace gridserve::grid_assignment
