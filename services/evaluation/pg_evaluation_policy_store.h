#pragma once

#include "common/pg_pool.h"
#include "evaluation/evaluation_policy.h"

namespace gridserve::evaluation {

// EvaluationPolicyStore on the evaluation schema (sql/queries/get_evaluation_policy.sql).
class PgEvaluationPolicyStore : public EvaluationPolicyStore {
 public:
  explicit PgEvaluationPolicyStore(PgPool& pool) : pool_(pool) {}

  absl::StatusOr<EvaluationPolicy> Get(const std::string& town_code, absl::Time deadline) override;

 private:
  PgPool& pool_;
};

}  // namespace gridserve::evaluation
