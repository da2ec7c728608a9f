#include "evaluation/pg_evaluation_policy_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "pqxx/pqxx"

namespace gridserve::evaluation {
namespace {

// "7,12" as written by get_evaluation_policy.sql.
absl::StatusOr<std::vector<int>> ParseMonths(const std::string& text) {
  std::vector<int> months;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    int month = 0;
    if (!absl::SimpleAtoi(part, &month)) {
      return absl::InternalError(absl::StrCat("evaluation_policies.rating_months reads as '", text,
                                              "', not a list of months"));
    }
    months.push_back(month);
  }
  return months;
}

}  // namespace

absl::StatusOr<EvaluationPolicy> PgEvaluationPolicyStore::Get(const std::string& town_code, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<EvaluationPolicy> {
    EvaluationPolicy policy = SeedEvaluationPolicy(town_code);
    pqxx::result rows = txn.exec_prepared("get_evaluation_policy", town_code);
    if (rows.empty()) return policy;
    absl::StatusOr<std::vector<int>> months = ParseMonths(rows[0]["rating_months"].as<std::string>());
    if (!months.ok()) return months.status();
    policy.rating_months = *std::move(months);
    policy.central_household_min_percent = rows[0]["central_household_min_percent"].as<int>();
    policy.central_household_max_percent = rows[0]["central_household_max_percent"].as<int>();
    policy.is_default = false;
    return policy;
  });
}

}  // namespace gridserve::evaluation
