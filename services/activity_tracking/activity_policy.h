#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gridserve::activity_tracking {

// The activity-recording values one town runs its plan with.
struct ActivityPolicy {
  std::string town_code;  // 12-digit division code of a town
  int min_activities_per_month = 0;
  bool is_default = false;  // the town has set no values; the seed's apply
};

// R4 二(一) tasks 3: each member carries out at least 1 activity per calendar month.
inline constexpr int kSeedMinActivitiesPerMonth = 1;

// The policy of a town that has not set its own.
inline ActivityPolicy SeedActivityPolicy(const std::string& town_code) {
  return {.town_code = town_code, .min_activities_per_month = kSeedMinActivitiesPerMonth, .is_default = true};
}

// Storage of the towns' policies. Implemented on PostgreSQL by PgActivityPolicyStore.
class ActivityPolicyStore {
 public:
  virtual ~ActivityPolicyStore() = default;

  // The town's own policy, or SeedActivityPolicy(town_code) when it has none.
  virtual absl::StatusOr<ActivityPolicy> Get(const std::string& town_code, absl::Time deadline) = 0;
};

}  // namespace gridserve::activity_tracking
