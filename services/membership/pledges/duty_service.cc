#include "membership/pledges/duty_service.h"

#include "common/call_auth.h"
#include "common/errors.h"
#include "membership/shared/proto_conversions.h"

namespace gridserve::membership {
namespace {

void ToProto(const DutyArea& area, v1::DutyArea* proto) {
  proto->set_code(area.code);
  proto->set_display_name(area.display_name);
  proto->set_standard(area.standard);
  proto->set_retired(area.retired);
}

}  // namespace

void ToProto(const MemberDuties& duties, v1::MemberDuties* proto) {
  proto->set_member_id(duties.member_id);
  proto->set_year(duties.year);
  for (const std::string& code : duties.area_codes) proto->add_area_codes(code);
  proto->set_free_text(duties.free_text);
  *proto->mutable_update_time() = TimestampOf(duties.update_time);
  proto->set_member_full_name(duties.member_full_name);
  proto->set_branch_code(duties.branch_code);
}

grpc::Status DutyService::ListDutyAreas(grpc::ServerContext* context, const v1::ListDutyAreasRequest* request,
                                        v1::ListDutyAreasResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "ListDutyAreas");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<TownDutyAreas> areas = duties_.ListAreas(call->caller, request->town_code(), call->deadline);
  if (!areas.ok()) return ToGrpcStatus(areas.status());
  for (const DutyArea& area : areas->areas) ToProto(area, response->add_areas());
  response->set_configured(areas->configured);
  return grpc::Status::OK;
}

grpc::Status DutyService::UpdateDutyAreas(grpc::ServerContext* context, const v1::UpdateDutyAreasRequest* request,
                                          v1::UpdateDutyAreasResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "UpdateDutyAreas");
  if (!call.ok()) return ToGrpcStatus(call.status());
  std::vector<DutyArea> areas;
  for (const v1::DutyArea& proto : request->areas()) {
    // `standard` is output only: it follows from the code.
    areas.push_back({.code = proto.code(), .display_name = proto.display_name(), .retired = proto.retired()});
  }
  absl::StatusOr<std::vector<DutyArea>> stored =
      duties_.UpdateAreas(call->caller, request->town_code(), std::move(areas), call->deadline);
  if (!stored.ok()) return ToGrpcStatus(stored.status());
  for (const DutyArea& area : *stored) ToProto(area, response->add_areas());
  return grpc::Status::OK;
}

grpc::Status DutyService::SetMemberDuties(grpc::ServerContext* context, const v1::SetMemberDutiesRequest* request,
                                          v1::SetMemberDutiesResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "SetMemberDuties");
  if (!call.ok()) return ToGrpcStatus(call.status());
  const v1::MemberDuties& proto = request->duties();
  MemberDuties duties{.member_id = proto.member_id(),
                      .year = proto.year(),
                      .area_codes = {proto.area_codes().begin(), proto.area_codes().end()},
                      .free_text = proto.free_text()};
  absl::StatusOr<MemberDuties> stored = duties_.Set(call->caller, std::move(duties), call->deadline);
  if (!stored.ok()) return ToGrpcStatus(stored.status());
  ToProto(*stored, response->mutable_duties());
  return grpc::Status::OK;
}

grpc::Status DutyService::GetMemberDuties(grpc::ServerContext* context, const v1::GetMemberDutiesRequest* request,
                                          v1::GetMemberDutiesResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "GetMemberDuties");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<MemberDuties> duties =
      duties_.Get(call->caller, request->member_id(), request->year(), call->deadline);
  if (!duties.ok()) return ToGrpcStatus(duties.status());
  ToProto(*duties, response->mutable_duties());
  return grpc::Status::OK;
}

grpc::Status DutyService::ListMemberDuties(grpc::ServerContext* context, const v1::ListMemberDutiesRequest* request,
                                           v1::ListMemberDutiesResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "ListMemberDuties");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<MemberDutiesPage> page = duties_.List(call->caller, request->org_code(), request->year(),
                                                       request->page_size(), request->page_token(),
                                                       call->deadline);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const MemberDuties& duties : page->duties) ToProto(duties, response->add_duties());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

}  // namespace gridserve::membership
