#pragma once

#include "common/call_auth.h"
#include "common/token.h"
#include "gridserve/membership/v1/duty.grpc.pb.h"
#include "membership/pledges/duties.h"

namespace gridserve::membership {

// Protobuf for MemberDuties (shared with the commitment form).
void ToProto(const MemberDuties& duties, v1::MemberDuties* proto);

// gridserve.membership.v1.DutyService: authenticates the caller and
// translates between protobuf and the Duties rules.
class DutyService final : public v1::DutyService::Service {
 public:
  DutyService(Duties& duties, const TokenCodec& tokens) : duties_(duties), authorize_(tokens, v1::DutyService::service_full_name()) {}

  grpc::Status ListDutyAreas(grpc::ServerContext* context, const v1::ListDutyAreasRequest* request,
                             v1::ListDutyAreasResponse* response) override;
  grpc::Status UpdateDutyAreas(grpc::ServerContext* context, const v1::UpdateDutyAreasRequest* request,
                               v1::UpdateDutyAreasResponse* response) override;
  grpc::Status SetMemberDuties(grpc::ServerContext* context, const v1::SetMemberDutiesRequest* request,
                               v1::SetMemberDutiesResponse* response) override;
  grpc::Status GetMemberDuties(grpc::ServerContext* context, const v1::GetMemberDutiesRequest* request,
                               v1::GetMemberDutiesResponse* response) override;
  grpc::Status ListMemberDuties(grpc::ServerContext* context, const v1::ListMemberDutiesRequest* request,
                                v1::ListMemberDutiesResponse* response) override;

 private:
  Duties& duties_;
  const MethodAuthorizer authorize_;
};

}  // namespace gridserve::membership
