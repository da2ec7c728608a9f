#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gridserve::grid_assignment {

// The grid-work values one town runs its plan with.
struct GridPolicy {
  std::string town_code;  // 12-digit division code of a town
  int min_households_per_member = 0;
  int min_members_per_courtyard = 0;
  bool is_default = false;  // the town has set no values; the seed's apply
};

// R5 二(二)1: each member is linked to several households; fewer than 2 is reported.
inline constexpr int kSeedMinHouseholdsPerMember = 2;
// R6 二(二)2 and tasks 1: every courtyard needs at least 1 linked member.
inline constexpr int kSeedMinMembersPerCourtyard = 1;

// The policy of a town that has not set its own.
inline GridPolicy SeedGridPolicy(const std::string& town_code) {
  return {.town_code = town_code,
          .min_households_per_member = kSeedMinHouseholdsPerMember,
          .min_members_per_courtyard = kSeedMinMembersPerCourtyard,
          .is_default = true};
}

// Storage of the towns' policies. Implemented on PostgreSQL by PgGridPolicyStore.
class GridPolicyStore {
 public:
  virtual ~GridPolicyStore() = default;

  // The town's own policy, or SeedGridPolicy(town_code) when it has none.
  virtual absl::StatusOr<GridPolicy> Get(const std::string& town_code, absl::Time deadline) = 0;
};

}  // namespace gridserve::grid_assignment
