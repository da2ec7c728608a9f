// gridserve-membership: the register of the district's organisations (and,
// from issue 4 on, its party members).
#include "common/server.h"
#include "membership/commitment_service.h"
#include "membership/duty_service.h"
#include "membership/grid_directory.h"
#include "membership/member_report_service.h"
#include "membership/organization_service.h"
#include "membership/pg_organization_store.h"
#include "membership/pg_pledge_store.h"
#include "membership_sql.h"

namespace gridserve::membership {
namespace {

class MembershipBundle final : public ServiceBundle {
 public:
  explicit MembershipBundle(BackendContext& context)
      : store_(context.pool),
        organizations_(store_),
        organization_service_(organizations_, context.tokens),
        pledge_store_(context.pool),
        duties_(pledge_store_),
        commitments_(pledge_store_, pledge_store_, grid_directory_),
        reports_(pledge_store_),
        duty_service_(duties_, context.tokens),
        commitment_service_(commitments_, context.tokens),
        report_service_(reports_, context.tokens) {}
  std::vector<grpc::Service*> Services() override {
    return {&organization_service_, &duty_service_, &commitment_service_, &report_service_};
  }

 private:
  PgOrganizationStore store_;
  Organizations organizations_;
  OrganizationService organization_service_;
  PgPledgeStore pledge_store_;
  // grid_assignment records no grids or household links yet; the form says so.
  UnavailableGridDirectory grid_directory_;
  Duties duties_;
  Commitments commitments_;
  MemberReports reports_;
  DutyService duty_service_;
  CommitmentService commitment_service_;
  MemberReportService report_service_;
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
