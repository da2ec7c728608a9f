#pragma once

#include "common/call_auth.h"
#include "common/token.h"
#include "evaluation/evaluation_policies.h"
#include "gridserve/evaluation/v1/evaluation_policy.grpc.pb.h"

namespace gridserve::evaluation {

// gridserve.evaluation.v1.EvaluationPolicyService: authenticates the caller
// and translates between protobuf and the EvaluationPolicies rules.
class EvaluationPolicyService final : public v1::EvaluationPolicyService::Service {
 public:
  EvaluationPolicyService(EvaluationPolicies& policies, const TokenCodec& tokens)
      : policies_(policies), authorize_(tokens, v1::EvaluationPolicyService::service_full_name()) {}

  grpc::Status GetEvaluationPolicy(grpc::ServerContext* context, const v1::GetEvaluationPolicyRequest* request,
                                   v1::GetEvaluationPolicyResponse* response) override;

 private:
  EvaluationPolicies& policies_;
  const MethodAuthorizer authorize_;
};

}  // namespace gridserve::evaluation
