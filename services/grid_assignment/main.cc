// gridserve-grid_assignment: grids, courtyards, households and the links of
// members to them (三联); for now the towns' grid policies.
#include "common/server.h"
#include "grid_assignment/grid_policy_service.h"
#include "grid_assignment/pg_grid_policy_store.h"
#include "grid_assignment_sql.h"

namespace gridserve::grid_assignment {
namespace {

class GridAssignmentBundle final : public ServiceBundle {
 public:
  explicit GridAssignmentBundle(BackendContext& context)
      : store_(context.pool), policies_(store_), policy_service_(policies_, context.tokens) {}
  std::vector<grpc::Service*> Services() override { return {&policy_service_}; }

 private:
  PgGridPolicyStore store_;
  GridPolicies policies_;
  GridPolicyService policy_service_;
};

}  // namespace
}  // namespace gridserve::grid_assignment

int main(int argc, char** argv) {
  return gridserve::RunBackend(
      {.name = "grid_assignment",
       .default_port = 50062,
       .migrations = gridserve::grid_assignment::sql::Migrations(),
       .queries = gridserve::grid_assignment::sql::Queries(),
       .make_services = [](gridserve::BackendContext& context) -> std::unique_ptr<gridserve::ServiceBundle> {
         return std::make_unique<gridserve::grid_assignment::GridAssignmentBundle>(context);
       }},
      argc, argv);
}
