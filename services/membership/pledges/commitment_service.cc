#include "membership/pledges/commitment_service.h"

#include "absl/time/civil_time.h"
#include "common/call_auth.h"
#include "common/errors.h"
#include "membership/pledges/duty_service.h"
#include "membership/shared/proto_conversions.h"

namespace gridserve::membership {
namespace {

v1::FulfilmentStatus ToProto(FulfilmentStatus status) {
  switch (status) {
    case FulfilmentStatus::kPledged: return v1::FULFILMENT_STATUS_PLEDGED;
    case FulfilmentStatus::kInProgress: return v1::FULFILMENT_STATUS_IN_PROGRESS;
    case FulfilmentStatus::kFulfilled: return v1::FULFILMENT_STATUS_FULFILLED;
    case FulfilmentStatus::kNotFulfilled: return v1::FULFILMENT_STATUS_NOT_FULFILLED;
    case FulfilmentStatus::kUnspecified: return v1::FULFILMENT_STATUS_UNSPECIFIED;
  }
  return v1::FULFILMENT_STATUS_UNSPECIFIED;
}

FulfilmentStatus FromProto(v1::FulfilmentStatus status) {
  switch (status) {
    case v1::FULFILMENT_STATUS_PLEDGED: return FulfilmentStatus::kPledged;
    case v1::FULFILMENT_STATUS_IN_PROGRESS: return FulfilmentStatus::kInProgress;
    case v1::FULFILMENT_STATUS_FULFILLED: return FulfilmentStatus::kFulfilled;
    case v1::FULFILMENT_STATUS_NOT_FULFILLED: return FulfilmentStatus::kNotFulfilled;
    default: return FulfilmentStatus::kUnspecified;
  }
}

void ToProto(const Commitment& commitment, v1::Commitment* proto) {
  proto->set_commitment_id(commitment.commitment_id);
  proto->set_member_id(commitment.member_id);
  proto->set_year(commitment.year);
  proto->set_target(commitment.target);
  proto->set_measures(commitment.measures);
  proto->set_due_date(commitment.due_date);
  proto->set_status(ToProto(commitment.status));
  for (const std::string& reference : commitment.evidence) proto->add_evidence(reference);
  proto->set_signed_date(commitment.signed_date);
  *proto->mutable_create_time() = TimestampOf(commitment.create_time);
  *proto->mutable_update_time() = TimestampOf(commitment.update_time);
}

Commitment FromProto(const v1::Commitment& proto) {
  Commitment commitment;
  commitment.commitment_id = proto.commitment_id();
  commitment.member_id = proto.member_id();
  commitment.year = proto.year();
  commitment.target = proto.target();
  commitment.measures = proto.measures();
  commitment.due_date = proto.due_date();
  commitment.status = FromProto(proto.status());
  commitment.evidence.assign(proto.evidence().begin(), proto.evidence().end());
  commitment.signed_date = proto.signed_date();
  return commitment;
}

void ToProto(const CommitmentForm& form, v1::CommitmentForm* proto) {
  const Member& member = form.member;
  proto->set_year(form.year);
  proto->set_member_id(member.member_id);
  proto->set_full_name(member.full_name);
  proto->set_gender(GenderToProto(member.gender));
  proto->set_birth_month(absl::FormatCivilTime(member.birth_month));
  proto->set_joined_date(member.joined_month_only ? absl::FormatCivilTime(absl::CivilMonth(member.joined_date))
                                                  : absl::FormatCivilTime(member.joined_date));
  proto->set_phone(member.phone);
  proto->set_branch_code(member.branch_code);
  proto->set_branch_name(form.branch_name);
  proto->set_grid_name(form.grid_name);
  for (const std::string& household : form.linked_households) proto->add_linked_households(household);
  for (const Commitment& commitment : form.commitments) ToProto(commitment, proto->add_commitments());
  if (form.duties.has_value()) ToProto(*form.duties, proto->mutable_duties());
  proto->set_signed_date(form.signed_date);
  proto->set_grid_data_available(form.grid_data_available);
}

}  // namespace

grpc::Status CommitmentService::CreateCommitment(grpc::ServerContext* context,
                                                 const v1::CreateCommitmentRequest* request,
                                                 v1::CreateCommitmentResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "CreateCommitment");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<Commitment> created = commitments_.Create(call->caller, FromProto(request->commitment()),
                                                           request->request_id(), call->deadline);
  if (!created.ok()) return ToGrpcStatus(created.status());
  ToProto(*created, response->mutable_commitment());
  return grpc::Status::OK;
}

grpc::Status CommitmentService::GetCommitment(grpc::ServerContext* context, const v1::GetCommitmentRequest* request,
                                              v1::GetCommitmentResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "GetCommitment");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<Commitment> found = commitments_.Get(call->caller, request->commitment_id(), call->deadline);
  if (!found.ok()) return ToGrpcStatus(found.status());
  ToProto(*found, response->mutable_commitment());
  return grpc::Status::OK;
}

grpc::Status CommitmentService::ListCommitments(grpc::ServerContext* context,
                                                const v1::ListCommitmentsRequest* request,
                                                v1::ListCommitmentsResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "ListCommitments");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<CommitmentPage> page =
      commitments_.List(call->caller, request->member_id(), request->org_code(), request->year(), request->page_size(),
                        request->page_token(), call->deadline);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const Commitment& commitment : page->commitments) ToProto(commitment, response->add_commitments());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status CommitmentService::UpdateCommitment(grpc::ServerContext* context,
                                                 const v1::UpdateCommitmentRequest* request,
                                                 v1::UpdateCommitmentResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "UpdateCommitment");
  if (!call.ok()) return ToGrpcStatus(call.status());
  std::vector<std::string> paths(request->update_mask().paths().begin(), request->update_mask().paths().end());
  absl::StatusOr<Commitment> updated =
      commitments_.Update(call->caller, FromProto(request->commitment()), paths, call->deadline);
  if (!updated.ok()) return ToGrpcStatus(updated.status());
  ToProto(*updated, response->mutable_commitment());
  return grpc::Status::OK;
}

grpc::Status CommitmentService::DeleteCommitment(grpc::ServerContext* context,
                                                 const v1::DeleteCommitmentRequest* request,
                                                 v1::DeleteCommitmentResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "DeleteCommitment");
  if (!call.ok()) return ToGrpcStatus(call.status());
  return ToGrpcStatus(commitments_.Delete(call->caller, request->commitment_id(), call->deadline));
}

grpc::Status CommitmentService::GetCommitmentForm(grpc::ServerContext* context,
                                                  const v1::GetCommitmentFormRequest* request,
                                                  v1::GetCommitmentFormResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "GetCommitmentForm");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<CommitmentForm> form =
      commitments_.GetForm(call->caller, request->member_id(), request->year(), call->deadline);
  if (!form.ok()) return ToGrpcStatus(form.status());
  ToProto(*form, response->mutable_form());
  return grpc::Status::OK;
}

}  // namespace gridserve::membership
