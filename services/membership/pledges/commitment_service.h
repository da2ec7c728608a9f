#pragma once

#include "common/call_auth.h"
#include "common/token.h"
#include "gridserve/membership/v1/commitment.grpc.pb.h"
#include "membership/pledges/commitments.h"

namespace gridserve::membership {

// gridserve.membership.v1.CommitmentService: authenticates the caller and
// translates between protobuf and the Commitments rules.
class CommitmentService final : public v1::CommitmentService::Service {
 public:
  CommitmentService(Commitments& commitments, const TokenCodec& tokens) : commitments_(commitments), authorize_(tokens, v1::CommitmentService::service_full_name()) {}

  grpc::Status CreateCommitment(grpc::ServerContext* context, const v1::CreateCommitmentRequest* request,
                                v1::CreateCommitmentResponse* response) override;
  grpc::Status GetCommitment(grpc::ServerContext* context, const v1::GetCommitmentRequest* request,
                             v1::GetCommitmentResponse* response) override;
  grpc::Status ListCommitments(grpc::ServerContext* context, const v1::ListCommitmentsRequest* request,
                               v1::ListCommitmentsResponse* response) override;
  grpc::Status UpdateCommitment(grpc::ServerContext* context, const v1::UpdateCommitmentRequest* request,
                                v1::UpdateCommitmentResponse* response) override;
  grpc::Status DeleteCommitment(grpc::ServerContext* context, const v1::DeleteCommitmentRequest* request,
                                v1::DeleteCommitmentResponse* response) override;
  grpc::Status GetCommitmentForm(grpc::ServerContext* context, const v1::GetCommitmentFormRequest* request,
                                 v1::GetCommitmentFormResponse* response) override;

 private:
  Commitments& commitments_;
  const MethodAuthorizer authorize_;
};

}  // namespace gridserve::membership
