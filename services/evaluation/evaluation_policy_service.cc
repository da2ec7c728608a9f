#include "evaluation/evaluation_policy_service.h"

#include "common/call_auth.h"
#include "common/errors.h"

namespace gridserve::evaluation {

grpc::Status EvaluationPolicyService::GetEvaluationPolicy(grpc::ServerContext* context,
                                                          const v1::GetEvaluationPolicyRequest* request,
                                                          v1::GetEvaluationPolicyResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "GetEvaluationPolicy");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<EvaluationPolicy> policy = policies_.Get(call->caller, request->town_code(), call->deadline);
  if (!policy.ok()) return ToGrpcStatus(policy.status());
  v1::EvaluationPolicy* proto = response->mutable_policy();
  proto->set_town_code(policy->town_code);
  proto->mutable_rating_months()->Add(policy->rating_months.begin(), policy->rating_months.end());
  proto->set_central_household_min_percent(policy->central_household_min_percent);
  proto->set_central_household_max_percent(policy->central_household_max_percent);
  proto->set_is_default(policy->is_default);
  return grpc::Status::OK;
}

}  // namespace gridserve::evaluation
