#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gridserve::evaluation {

// The rating and selection values one town runs its plan with.
struct EvaluationPolicy {
  std::string town_code;           // 12-digit division code of a town
  std::vector<int> rating_months;  // ascending, 1-12
  int central_household_min_percent = 0;
  int central_household_max_percent = 0;
  bool is_default = false;  // the town has set no values; the seed's apply
};

// R11 三: residents rate members "每年7月和12月" (July and December).
inline constexpr int kSeedFirstHalfRatingMonth = 7;
inline constexpr int kSeedSecondHalfRatingMonth = 12;
// R14 三: central households number 15%-20% of the village's member households.
inline constexpr int kSeedCentralHouseholdMinPercent = 15;
inline constexpr int kSeedCentralHouseholdMaxPercent = 20;

// The policy of a town that has not set its own.
inline EvaluationPolicy SeedEvaluationPolicy(const std::string& town_code) {
  return {.town_code = town_code,
          .rating_months = {kSeedFirstHalfRatingMonth, kSeedSecondHalfRatingMonth},
          .central_household_min_percent = kSeedCentralHouseholdMinPercent,
          .central_household_max_percent = kSeedCentralHouseholdMaxPercent,
          .is_default = true};
}

// Storage of the towns' policies. Implemented on PostgreSQL by PgEvaluationPolicyStore.
class EvaluationPolicyStore {
 public:
  virtual ~EvaluationPolicyStore() = default;

  // The town's own policy, or SeedEvaluationPolicy(town_code) when it has none.
  virtual absl::StatusOr<EvaluationPolicy> Get(const std::string& town_code, absl::Time deadline) = 0;
};

}  // namespace gridserve::evaluation
