// gridserve-membership: the register of the district's organisations (and,
// from issue 4 on, its party members).
#include "common/server.h"
#include "membership/organization_service.h"
#include "membership/pg_organization_store.h"
#include "membership_sql.h"

namespace gridserve::membership {
namespace {

class MembershipBundle final : public ServiceBundle {
 public:
  explicit MembershipBundle(BackendContext& context)
      : store_(context.pool), organizations_(store_), organization_service_(organizations_, context.tokens) {}
  std::vector<grpc::Service*> Services() override { return {&organization_service_}; }

 private:
  PgOrganizationStore store_;
  Organizations organizations_;
  OrganizationService organization_service_;
};

}  // namespace
}  // namespace gridserve::membership

int main(int argc, char** argv) {
  return gridserve::RunBackend(
      {.name = "membership",
       .default_port = 50061,
       .migrations = gridserve::membership::sql::Migrations(),
       .queries = gridserve::membership::sql::Queries(),
       .make_services = [](gridserve::BackendContext& context) -> std::unique_ptr<gridserve::ServiceBundle> {
         return std::make_unique<gridserve::membership::MembershipBundle>(context);
       }},
      argc, argv);
}
