#include "gateway/public_services.h"

#include "absl/strings/str_cat.h"
#include "gateway/forwarding_service.h"
#include "gridserve/activity_tracking/v1/activity_policy.pb.h"
#include "gridserve/evaluation/v1/evaluation_policy.pb.h"
#include "gridserve/gateway/v1/account.pb.h"
#include "gridserve/gateway/v1/audit.pb.h"
#include "gridserve/gateway/v1/auth.pb.h"
#include "gridserve/grid_assignment/v1/grid_policy.pb.h"
#include "gridserve/membership/v1/commitment.pb.h"
#include "gridserve/membership/v1/duty.pb.h"
#include "gridserve/membership/v1/member.pb.h"
#include "gridserve/membership/v1/member_report.pb.h"
#include "gridserve/membership/v1/organization.pb.h"

namespace gridserve::gateway {
namespace {

// One message of each public proto file; adding a file means adding a line.
std::vector<const google::protobuf::FileDescriptor*> PublicFiles() {
  return {
      membership::v1::Organization::descriptor()->file(),
      membership::v1::Member::descriptor()->file(),
      membership::v1::DutyArea::descriptor()->file(),
      membership::v1::Commitment::descriptor()->file(),
      membership::v1::BranchMemberCounts::descriptor()->file(),
      grid_assignment::v1::GridPolicy::descriptor()->file(),
      activity_tracking::v1::ActivityPolicy::descriptor()->file(),
      evaluation::v1::EvaluationPolicy::descriptor()->file(),
      gateway::v1::Principal::descriptor()->file(),
      gateway::v1::User::descriptor()->file(),
      gateway::v1::AuditEntry::descriptor()->file(),
  };
}

}  // namespace

std::vector<std::string> PublicServiceNames() {
  std::vector<std::string> names;
  for (const google::protobuf::FileDescriptor* file : PublicFiles()) {
    for (int i = 0; i < file->service_count(); ++i) names.push_back(file->service(i)->full_name());
  }
  names.push_back("grpc.health.v1.Health");
  names.push_back("grpc.reflection.v1alpha.ServerReflection");
  return names;
}

absl::Status CheckBackendsConfigured(const std::map<std::string, std::string>& peers) {
  for (const std::string& service : PublicServiceNames()) {
    absl::StatusOr<std::string> backend = BackendOf(absl::StrCat("/", service, "/"));
    if (!backend.ok() || *backend == "gateway") continue;
    if (!peers.contains(*backend)) {
      return absl::InvalidArgumentError(absl::StrCat("--peers has no address for backend '", *backend, "' (serves ", service,
                                                     "); add ", *backend, "=host:port"));
    }
  }
  return absl::OkStatus();
}

}  // namespace gridserve::gateway
