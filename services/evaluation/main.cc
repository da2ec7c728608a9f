// gridserve-evaluation: appraisals, rating rounds, stars, central households,
// admonitions, rewards, scorecards and notices; for now the towns'
// evaluation policies.
#include "common/server.h"
#include "evaluation/evaluation_policy_service.h"
#include "evaluation/pg_evaluation_policy_store.h"
#include "evaluation_sql.h"

namespace gridserve::evaluation {
namespace {

class EvaluationBundle final : public ServiceBundle {
 public:
  explicit EvaluationBundle(BackendContext& context)
      : store_(context.pool), policies_(store_), policy_service_(policies_, context.tokens) {}
  std::vector<grpc::Service*> Services() override { return {&policy_service_}; }

 private:
  PgEvaluationPolicyStore store_;
  EvaluationPolicies policies_;
  EvaluationPolicyService policy_service_;
};

}  // namespace
}  // namespace gridserve::evaluation

int main(int argc, char** argv) {
  return gridserve::RunBackend(
      {.name = "evaluation",
       .default_port = 50064,
       .migrations = gridserve::evaluation::sql::Migrations(),
       .queries = gridserve::evaluation::sql::Queries(),
       .make_services = [](gridserve::BackendContext& context) -> std::unique_ptr<gridserve::ServiceBundle> {
         return std::make_unique<gridserve::evaluation::EvaluationBundle>(context);
       }},
      argc, argv);
}
