#include "grid_assignment/grid_policy_service.h"

#include "common/call_auth.h"
#include "common/errors.h"

namespace gridserve::grid_assignment {

grpc::Status GridPolicyService::GetGridPolicy(grpc::ServerContext* context, const v1::GetGridPolicyRequest* request,
                                              v1::GetGridPolicyResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "GetGridPolicy");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<GridPolicy> policy = policies_.Get(call->caller, request->town_code(), call->deadline);
  if (!policy.ok()) return ToGrpcStatus(policy.status());
  v1::GridPolicy* proto = response->mutable_policy();
  proto->set_town_code(policy->town_code);
  proto->set_min_households_per_member(policy->min_households_per_member);
  proto->set_min_members_per_courtyard(policy->min_members_per_courtyard);
  proto->set_is_default(policy->is_default);
  return grpc::Status::OK;
}

}  // namespace gridserve::grid_assignment
