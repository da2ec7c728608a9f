#include "membership/organizations/organization_service.h"

#include "common/call_auth.h"
#include "common/errors.h"
#include "membership/shared/proto_conversions.h"

namespace gridserve::membership {
namespace {

v1::OrganizationKind ToProto(OrganizationKind kind) {
  switch (kind) {
    case OrganizationKind::kDistrict: return v1::ORGANIZATION_KIND_DISTRICT;
    case OrganizationKind::kTown: return v1::ORGANIZATION_KIND_TOWN;
    case OrganizationKind::kVillage: return v1::ORGANIZATION_KIND_VILLAGE;
    case OrganizationKind::kCommunity: return v1::ORGANIZATION_KIND_COMMUNITY;
    case OrganizationKind::kUnspecified: return v1::ORGANIZATION_KIND_UNSPECIFIED;
  }
  return v1::ORGANIZATION_KIND_UNSPECIFIED;
}

OrganizationKind FromProto(v1::OrganizationKind kind) {
  switch (kind) {
    case v1::ORGANIZATION_KIND_DISTRICT: return OrganizationKind::kDistrict;
    case v1::ORGANIZATION_KIND_TOWN: return OrganizationKind::kTown;
    case v1::ORGANIZATION_KIND_VILLAGE: return OrganizationKind::kVillage;
    case v1::ORGANIZATION_KIND_COMMUNITY: return OrganizationKind::kCommunity;
    default: return OrganizationKind::kUnspecified;
  }
}

void ToProto(const Organization& organization, v1::Organization* proto) {
  proto->set_code(organization.code);
  proto->set_kind(ToProto(organization.kind));
  proto->set_parent_code(organization.parent_code);
  proto->set_display_name(organization.display_name);
  proto->set_demo_data(organization.demo_data);
  *proto->mutable_create_time() = TimestampOf(organization.create_time);
  *proto->mutable_update_time() = TimestampOf(organization.update_time);
}

}  // namespace

grpc::Status OrganizationService::CreateOrganization(grpc::ServerContext* context,
                                                     const v1::CreateOrganizationRequest* request,
                                                     v1::CreateOrganizationResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "CreateOrganization");
  if (!call.ok()) return ToGrpcStatus(call.status());
  const v1::Organization& proto = request->organization();
  Organization organization{.code = proto.code(),
                            .kind = FromProto(proto.kind()),
                            .parent_code = proto.parent_code(),
                            .display_name = proto.display_name(),
                            .demo_data = proto.demo_data()};
  absl::StatusOr<Organization> created =
      organizations_.Create(call->caller, std::move(organization), request->request_id(), call->deadline);
  if (!created.ok()) return ToGrpcStatus(created.status());
  ToProto(*created, response->mutable_organization());
  return grpc::Status::OK;
}

grpc::Status OrganizationService::GetOrganization(grpc::ServerContext* context,
                                                  const v1::GetOrganizationRequest* request,
                                                  v1::GetOrganizationResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "GetOrganization");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<Organization> found = organizations_.Get(call->caller, request->code(), call->deadline);
  if (!found.ok()) return ToGrpcStatus(found.status());
  ToProto(*found, response->mutable_organization());
  return grpc::Status::OK;
}

grpc::Status OrganizationService::ListOrganizations(grpc::ServerContext* context,
                                                    const v1::ListOrganizationsRequest* request,
                                                    v1::ListOrganizationsResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "ListOrganizations");
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::StatusOr<OrganizationPage> page = organizations_.List(
      call->caller, request->parent_code(), request->page_size(), request->page_token(), call->deadline);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const Organization& organization : page->organizations) {
    ToProto(organization, response->add_organizations());
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status OrganizationService::UpdateOrganization(grpc::ServerContext* context,
                                                     const v1::UpdateOrganizationRequest* request,
                                                     v1::UpdateOrganizationResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "UpdateOrganization");
  if (!call.ok()) return ToGrpcStatus(call.status());
  std::vector<std::string> paths(request->update_mask().paths().begin(), request->update_mask().paths().end());
  absl::StatusOr<Organization> updated =
      organizations_.Update(call->caller, request->organization().code(), request->organization().display_name(),
                            paths, call->deadline);
  if (!updated.ok()) return ToGrpcStatus(updated.status());
  ToProto(*updated, response->mutable_organization());
  return grpc::Status::OK;
}

}  // namespace gridserve::membership
