#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/token.h"
#include "evaluation/evaluation_policy.h"

namespace gridserve::evaluation {

// The rules of reading a town's evaluation policy: the code must name a
// town, and the caller must work in that town (its scope is the town or one
// of its villages) or above it (the district). Any role may read.
class EvaluationPolicies {
 public:
  explicit EvaluationPolicies(EvaluationPolicyStore& store) : store_(store) {}

  absl::StatusOr<EvaluationPolicy> Get(const Principal& caller, const std::string& town_code, absl::Time deadline);

 private:
  EvaluationPolicyStore& store_;
};

}  // namespace gridserve::evaluation
