#pragma once

#include "common/call_auth.h"
#include "common/token.h"
#include "grid_assignment/grid_policies.h"
#include "gridserve/grid_assignment/v1/grid_policy.grpc.pb.h"

namespace gridserve::grid_assignment {

// gridserve.grid_assignment.v1.GridPolicyService: authenticates the caller
// and translates between protobuf and the GridPolicies rules.
class GridPolicyService final : public v1::GridPolicyService::Service {
 public:
  GridPolicyService(GridPolicies& policies, const TokenCodec& tokens) : policies_(policies), authorize_(tokens, v1::GridPolicyService::service_full_name()) {}

  grpc::Status GetGridPolicy(grpc::ServerContext* context, const v1::GetGridPolicyRequest* request,
                             v1::GetGridPolicyResponse* response) override;

 private:
  GridPolicies& policies_;
  const MethodAuthorizer authorize_;
};

}  // namespace gridserve::grid_assignment
