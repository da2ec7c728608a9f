#pragma once

#include "common/call_auth.h"
#include "common/token.h"
#include "gridserve/membership/v1/member_report.grpc.pb.h"
#include "membership/pledges/member_reports.h"

namespace gridserve::membership {

// gridserve.membership.v1.MemberReportService: authenticates the caller and
// translates between protobuf and the MemberReports rules.
class MemberReportService final : public v1::MemberReportService::Service {
 public:
  MemberReportService(MemberReports& reports, const TokenCodec& tokens) : reports_(reports), authorize_(tokens, v1::MemberReportService::service_full_name()) {}

  grpc::Status ListMembersMissingPledges(grpc::ServerContext* context,
                                         const v1::ListMembersMissingPledgesRequest* request,
                                         v1::ListMembersMissingPledgesResponse* response) override;
  grpc::Status CountMembersByBranch(grpc::ServerContext* context, const v1::CountMembersByBranchRequest* request,
                                    v1::CountMembersByBranchResponse* response) override;

 private:
  MemberReports& reports_;
  const MethodAuthorizer authorize_;
};

}  // namespace gridserve::membership
