#include "membership/register/member_service.h"

#include "common/call_auth.h"
#include "common/errors.h"
#include "membership/register/member_validation.h"
#include "membership/register/members.h"
#include "membership/shared/proto_conversions.h"

namespace gridserve::membership {
namespace {

v1::MemberStatus ToProto(MemberStatus status) {
  switch (status) {
    case MemberStatus::kActive: return v1::MEMBER_STATUS_ACTIVE;
    case MemberStatus::kEnded: return v1::MEMBER_STATUS_ENDED;
    case MemberStatus::kUnspecified: return v1::MEMBER_STATUS_UNSPECIFIED;
  }
  return v1::MEMBER_STATUS_UNSPECIFIED;
}

MemberStatus FromProto(v1::MemberStatus status) {
  switch (status) {
    case v1::MEMBER_STATUS_ACTIVE: return MemberStatus::kActive;
    case v1::MEMBER_STATUS_ENDED: return MemberStatus::kEnded;
    default: return MemberStatus::kUnspecified;
  }
}

v1::EndReason ToProto(EndReason reason) {
  switch (reason) {
    case EndReason::kTransferredOut: return v1::END_REASON_TRANSFERRED_OUT;
    case EndReason::kDeceased: return v1::END_REASON_DECEASED;
    case EndReason::kWithdrawn: return v1::END_REASON_WITHDRAWN;
    case EndReason::kExpelled: return v1::END_REASON_EXPELLED;
    case EndReason::kOther: return v1::END_REASON_OTHER;
    case EndReason::kUnspecified: return v1::END_REASON_UNSPECIFIED;
  }
  return v1::END_REASON_UNSPECIFIED;
}

EndReason FromProto(v1::EndReason reason) {
  switch (reason) {
    case v1::END_REASON_TRANSFERRED_OUT: return EndReason::kTransferredOut;
    case v1::END_REASON_DECEASED: return EndReason::kDeceased;
    case v1::END_REASON_WITHDRAWN: return EndReason::kWithdrawn;
    case v1::END_REASON_EXPELLED: return EndReason::kExpelled;
    case v1::END_REASON_OTHER: return EndReason::kOther;
    default: return EndReason::kUnspecified;
  }
}

v1::MemberEventKind ToProto(MemberEventKind kind) {
  switch (kind) {
    case MemberEventKind::kRegistered: return v1::MEMBER_EVENT_KIND_REGISTERED;
    case MemberEventKind::kUpdated: return v1::MEMBER_EVENT_KIND_UPDATED;
    case MemberEventKind::kTransferred: return v1::MEMBER_EVENT_KIND_TRANSFERRED;
    case MemberEventKind::kEnded: return v1::MEMBER_EVENT_KIND_ENDED;
    case MemberEventKind::kImported: return v1::MEMBER_EVENT_KIND_IMPORTED;
    case MemberEventKind::kUnspecified: return v1::MEMBER_EVENT_KIND_UNSPECIFIED;
  }
  return v1::MEMBER_EVENT_KIND_UNSPECIFIED;
}

// Members has already masked what the caller may not see; national_id is
// input only and never set here.
void ToProto(const Member& member, v1::Member* proto) {
  proto->set_member_id(member.member_id);
  proto->set_full_name(member.full_name);
  proto->set_gender(GenderToProto(member.gender));
  proto->set_birth_month(FormatBirthMonth(member.birth_month));
  proto->set_joined_date(FormatJoinedDate(member.joined_date, member.joined_month_only));
  proto->set_phone(member.phone);
  proto->set_branch_code(member.branch_code);
  proto->set_grid(member.grid);
  proto->set_household(member.household);
  proto->set_courtyard(member.courtyard);
  proto->set_is_group_head(member.is_group_head);
  proto->set_publicity_consent(member.publicity_consent);
  proto->set_notes(member.notes);
  proto->set_national_id_last4(member.national_id_last4);
  proto->set_user(member.user);
  proto->set_status(ToProto(member.status));
  proto->set_end_reason(ToProto(member.end_reason));
  proto->set_end_note(member.end_note);
  if (member.end_date) proto->set_end_date(FormatDay(*member.end_date));
  proto->set_demo_data(member.demo_data);
  *proto->mutable_create_time() = TimestampOf(member.create_time);
  *proto->mutable_update_time() = TimestampOf(member.update_time);
}

MemberDraft DraftFromProto(const v1::Member& proto) {
  MemberDraft draft;
  Member& member = draft.member;
  member.member_id = proto.member_id();
  member.full_name = proto.full_name();
  member.gender = GenderFromProto(proto.gender());
  member.phone = proto.phone();
  member.branch_code = proto.branch_code();
  member.grid = proto.grid();
  member.household = proto.household();
  member.courtyard = proto.courtyard();
  member.is_group_head = proto.is_group_head();
  member.publicity_consent = proto.publicity_consent();
  member.notes = proto.notes();
  member.national_id = proto.national_id();
  member.user = proto.user();
  member.demo_data = proto.demo_data();
  draft.birth_month = proto.birth_month();
  draft.joined_date = proto.joined_date();
  return draft;
}

}  // namespace

grpc::Status MemberService::CreateMember(grpc::ServerContext* context, const v1::CreateMemberRequest* request,
                                         v1::CreateMemberResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "CreateMember");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<Member> created =
      members_.Create(call->caller, DraftFromProto(request->member()), request->request_id(), call->deadline);
  if (!created.ok()) return ToGrpcStatus(created.status());
  ToProto(*created, response->mutable_member());
  return grpc::Status::OK;
}

grpc::Status MemberService::GetMember(grpc::ServerContext* context, const v1::GetMemberRequest* request,
                                      v1::GetMemberResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "GetMember");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<Member> found = members_.Get(call->caller, request->member_id(), call->deadline);
  if (!found.ok()) return ToGrpcStatus(found.status());
  ToProto(*found, response->mutable_member());
  return grpc::Status::OK;
}

grpc::Status MemberService::ListMembers(grpc::ServerContext* context, const v1::ListMembersRequest* request,
                                        v1::ListMembersResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "ListMembers");
  if (!call.ok()) return ToGrpcStatus(call.status());
  ListMembersQuery query{.org_code = request->org_code(),
                         .status = FromProto(request->status()),
                         .grid = request->grid(),
                         .name_prefix = request->name_prefix(),
                         .joined_year = request->joined_year(),
                         .page_size = request->page_size(),
                         .page_token = request->page_token()};
  absl::StatusOr<MemberPage> page = members_.List(call->caller, query, call->deadline);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const Member& member : page->members) ToProto(member, response->add_members());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status MemberService::UpdateMember(grpc::ServerContext* context, const v1::UpdateMemberRequest* request,
                                         v1::UpdateMemberResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "UpdateMember");
  if (!call.ok()) return ToGrpcStatus(call.status());
  std::vector<std::string> paths(request->update_mask().paths().begin(), request->update_mask().paths().end());
  absl::StatusOr<Member> updated = members_.Update(call->caller, request->member().member_id(),
                                                   DraftFromProto(request->member()), paths, call->deadline);
  if (!updated.ok()) return ToGrpcStatus(updated.status());
  ToProto(*updated, response->mutable_member());
  return grpc::Status::OK;
}

grpc::Status MemberService::TransferMember(grpc::ServerContext* context, const v1::TransferMemberRequest* request,
                                           v1::TransferMemberResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "TransferMember");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<Member> moved =
      members_.Transfer(call->caller, request->member_id(), request->to_branch_code(), request->reason(),
                        request->effective_date(), request->request_id(), call->deadline);
  if (!moved.ok()) return ToGrpcStatus(moved.status());
  ToProto(*moved, response->mutable_member());
  return grpc::Status::OK;
}

grpc::Status MemberService::EndMembership(grpc::ServerContext* context, const v1::EndMembershipRequest* request,
                                          v1::EndMembershipResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "EndMembership");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<Member> ended = members_.EndMembership(call->caller, request->member_id(), FromProto(request->reason()),
                                                        request->note(), request->end_date(), call->deadline);
  if (!ended.ok()) return ToGrpcStatus(ended.status());
  ToProto(*ended, response->mutable_member());
  return grpc::Status::OK;
}

grpc::Status MemberService::ListMemberEvents(grpc::ServerContext* context, const v1::ListMemberEventsRequest* request,
                                             v1::ListMemberEventsResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "ListMemberEvents");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<MemberEventPage> page = members_.ListEvents(call->caller, request->member_id(), request->page_size(),
                                                             request->page_token(), call->deadline);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const MemberEvent& event : page->events) {
    v1::MemberEvent* proto = response->add_events();
    proto->set_kind(ToProto(event.kind));
    proto->set_from_branch_code(event.from_branch_code);
    proto->set_to_branch_code(event.to_branch_code);
    proto->set_effective_date(FormatDay(event.effective_date));
    proto->set_detail(event.detail);
    proto->set_actor(event.actor);
    *proto->mutable_create_time() = TimestampOf(event.create_time);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

}  // namespace gridserve::membership
