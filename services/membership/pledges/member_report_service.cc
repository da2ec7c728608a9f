#include "membership/pledges/member_report_service.h"

#include "common/call_auth.h"
#include "common/errors.h"

namespace gridserve::membership {

grpc::Status MemberReportService::ListMembersMissingPledges(grpc::ServerContext* context,
                                                            const v1::ListMembersMissingPledgesRequest* request,
                                                            v1::ListMembersMissingPledgesResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "ListMembersMissingPledges");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<MembersMissingPledgesPage> page =
      reports_.ListMembersMissingPledges(call->caller, request->org_code(), request->year(), request->page_size(),
                                         request->page_token(), call->deadline);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const MemberMissingPledges& member : page->members) {
    v1::MemberMissingPledges* proto = response->add_members();
    proto->set_member_id(member.member_id);
    proto->set_full_name(member.full_name);
    proto->set_branch_code(member.branch_code);
    proto->set_branch_name(member.branch_name);
    proto->set_missing_duties(member.missing_duties);
    proto->set_missing_commitments(member.missing_commitments);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status MemberReportService::CountMembersByBranch(grpc::ServerContext* context,
                                                       const v1::CountMembersByBranchRequest* request,
                                                       v1::CountMembersByBranchResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "CountMembersByBranch");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<BranchCountsPage> page =
      reports_.CountMembersByBranch(call->caller, request->org_code(), request->year(), request->page_size(),
                                    request->page_token(), call->deadline);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const BranchMemberCounts& counts : page->branches) {
    v1::BranchMemberCounts* proto = response->add_branches();
    proto->set_branch_code(counts.branch_code);
    proto->set_branch_name(counts.branch_name);
    proto->set_active_members(counts.active_members);
    proto->set_ended_members(counts.ended_members);
    proto->set_with_duties(counts.with_duties);
    proto->set_with_commitments(counts.with_commitments);
    proto->set_missing_pledges(counts.missing_pledges);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

}  // namespace gridserve::membership
