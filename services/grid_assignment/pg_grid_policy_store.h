#pragma once

#include "common/pg_pool.h"
#include "grid_assignment/grid_policy.h"

namespace gridserve::grid_assignment {

// GridPolicyStore on the grid_assignment schema (sql/queries/get_grid_policy.sql).
class PgGridPolicyStore : public GridPolicyStore {
 public:
  explicit PgGridPolicyStore(PgPool& pool) : pool_(pool) {}

  absl::StatusOr<GridPolicy> Get(const std::string& town_code, absl::Time deadline) override;

 private:
  PgPool& pool_;
};

}  // namespace gridserve::grid_assignment
