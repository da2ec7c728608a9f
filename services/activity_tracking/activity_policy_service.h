#pragma once

#include "activity_tracking/activity_policies.h"
#include "common/call_auth.h"
#include "common/token.h"
#include "gridserve/activity_tracking/v1/activity_policy.grpc.pb.h"

namespace gridserve::activity_tracking {

// gridserve.activity_tracking.v1.ActivityPolicyService: authenticates the
// caller and translates between protobuf and the ActivityPolicies rules.
class ActivityPolicyService final : public v1::ActivityPolicyService::Service {
 public:
  ActivityPolicyService(ActivityPolicies& policies, const TokenCodec& tokens)
      : policies_(policies), authorize_(tokens, v1::ActivityPolicyService::service_full_name()) {}

  grpc::Status GetActivityPolicy(grpc::ServerContext* context, const v1::GetActivityPolicyRequest* request,
                                 v1::GetActivityPolicyResponse* response) override;

 private:
  ActivityPolicies& policies_;
  const MethodAuthorizer authorize_;
};

}  // namespace gridserve::activity_tracking
