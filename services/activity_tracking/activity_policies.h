#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "activity_tracking/activity_policy.h"
#include "common/token.h"

namespace gridserve::activity_tracking {

// The rules of reading a town's activity policy: the code must name a town,
// and the caller must work in that town (its scope is the town or one of its
// villages) or above it (the district). Any role may read.
class ActivityPolicies {
 public:
  explicit ActivityPolicies(ActivityPolicyStore& store) : store_(store) {}

  absl::StatusOr<ActivityPolicy> Get(const Principal& caller, const std::string& town_code, absl::Time deadline);

 private:
  ActivityPolicyStore& store_;
};

}  // namespace gridserve::activity_tracking
