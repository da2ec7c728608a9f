#include "activity_tracking/activity_policy_service.h"

#include "common/call_auth.h"
#include "common/errors.h"

namespace gridserve::activity_tracking {

grpc::Status ActivityPolicyService::GetActivityPolicy(grpc::ServerContext* context,
                                                      const v1::GetActivityPolicyRequest* request,
                                                      v1::GetActivityPolicyResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "GetActivityPolicy");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<ActivityPolicy> policy = policies_.Get(call->caller, request->town_code(), call->deadline);
  if (!policy.ok()) return ToGrpcStatus(policy.status());
  v1::ActivityPolicy* proto = response->mutable_policy();
  proto->set_town_code(policy->town_code);
  proto->set_min_activities_per_month(policy->min_activities_per_month);
  proto->set_is_default(policy->is_default);
  return grpc::Status::OK;
}

}  // namespace gridserve::activity_tracking
