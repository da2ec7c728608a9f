#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/token.h"
#include "grid_assignment/grid_policy.h"

namespace gridserve::grid_assignment {

// The rules of reading a town's grid policy: the code must name a town, and
// the caller must work in that town (its scope is the town, one of its
// villages or grids) or above it (the district). Any role may read.
class GridPolicies {
 public:
  explicit GridPolicies(GridPolicyStore& store) : store_(store) {}

  absl::StatusOr<GridPolicy> Get(const Principal& caller, const std::string& town_code, absl::Time deadline);

 private:
  GridPolicyStore& store_;
};

}  // namespace gridserve::grid_assignment
