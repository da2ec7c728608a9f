#include "evaluation/evaluation_policies.h"

#include "common/permissions.h"
#include "common/division.h"
#include "common/errors.h"
#include "common/status_macros.h"

namespace gridserve::evaluation {

absl::StatusOr<EvaluationPolicy> EvaluationPolicies::Get(const Principal& caller, const std::string& town_code,
                                                         absl::Time deadline) {
  if (!IsTownCode(town_code)) {
    return InvalidField("town_code", "must be a town's 12-digit code ending in 000, e.g. 500114101000");
  }
  // A village works under its town's policy, so the town above the caller's scope is readable too.
  RETURN_IF_ERROR(RequirePermissionAtOrAbove(caller, Permission::kPolicyRead, town_code, "town_code"));
  return store_.Get(town_code, deadline);
}

}  // namespace gridserve::evaluation
