// gridserve-activity_tracking: members' activities with photos, meetings and
// the villages' lead measures; for now the towns' activity policies.
#include "activity_tracking/activity_policy_service.h"
#include "activity_tracking/pg_activity_policy_store.h"
#include "activity_tracking_sql.h"
#include "common/server.h"

namespace gridserve::activity_tracking {
namespace {

class ActivityTrackingBundle final : public ServiceBundle {
 public:
  explicit ActivityTrackingBundle(BackendContext& context)
      : store_(context.pool), policies_(store_), policy_service_(policies_, context.tokens) {}
  std::vector<grpc::Service*> Services() override { return {&policy_service_}; }

 private:
  PgActivityPolicyStore store_;
  ActivityPolicies policies_;
  ActivityPolicyService policy_service_;
};

}  // namespace
}  // namespace gridserve::activity_tracking

int main(int argc, char** argv) {
  return gridserve::RunBackend(
      {.name = "activity_tracking",
       .default_port = 50063,
       .migrations = gridserve::activity_tracking::sql::Migrations(),
       .queries = gridserve::activity_tracking::sql::Queries(),
       .make_services = [](gridserve::BackendContext& context) -> std::unique_ptr<gridserve::ServiceBundle> {
         return std::make_unique<gridserve::activity_tracking::ActivityTrackingBundle>(context);
       }},
      argc, argv);
}
