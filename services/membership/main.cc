// gridserve-membership: the district's organisation tree and register of
// party members, their duties, commitments and reports (三亮, clause 二(一)).
#include "common/server.h"
#include "common/status_macros.h"
#include "membership/pledges/commitment_service.h"
#include "membership/pledges/duty_service.h"
#include "membership/pledges/grid_directory.h"
#include "membership/register/member_import.h"
#include "membership/pledges/member_report_service.h"
#include "membership/register/member_service.h"
#include "membership/register/members.h"
#include "membership/organizations/organization_service.h"
#include "membership/register/personal_data_sealer.h"
#include "membership/register/pg_member_import_store.h"
#include "membership/register/pg_member_store.h"
#include "membership/organizations/pg_organization_store.h"
#include "membership/pledges/pg_pledge_store.h"
#include "membership_sql.h"

namespace gridserve::membership {
namespace {

class MembershipBundle final : public ServiceBundle {
 public:
  MembershipBundle(BackendContext& context, PersonalDataSealer sealer)
      : store_(context.pool),
        organizations_(store_),
        organization_service_(organizations_, context.tokens),
        sealer_(std::move(sealer)),
        member_store_(context.pool),
        members_(member_store_, sealer_),
        import_store_(context.pool),
        member_import_(import_store_, sealer_),
        member_service_(members_, member_import_, context.tokens),
        pledge_store_(context.pool),
        duties_(pledge_store_),
        commitments_(pledge_store_, pledge_store_, grid_directory_),
        reports_(pledge_store_),
        duty_service_(duties_, context.tokens),
        commitment_service_(commitments_, context.tokens),
        report_service_(reports_, context.tokens) {}
  std::vector<grpc::Service*> Services() override {
    return {&organization_service_, &member_service_, &duty_service_, &commitment_service_, &report_service_};
  }

 private:
  PgOrganizationStore store_;
  Organizations organizations_;
  OrganizationService organization_service_;
  const PersonalDataSealer sealer_;
  PgMemberStore member_store_;
  Members members_;
  PgMemberImportStore import_store_;
  MemberImport member_import_;
  MemberService member_service_;
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
       .define_flags = gridserve::membership::DefinePiiKeyFlag,
       .make_services = [](gridserve::BackendContext& context)
           -> absl::StatusOr<std::unique_ptr<gridserve::ServiceBundle>> {
         // Without its key the register could neither seal nor match national ids: refuse to start.
         ASSIGN_OR_RETURN(gridserve::membership::PersonalDataSealer sealer,
                          gridserve::membership::PersonalDataSealer::FromFlags(context.flags));
         return std::make_unique<gridserve::membership::MembershipBundle>(context, std::move(sealer));
       }},
      argc, argv);
}
