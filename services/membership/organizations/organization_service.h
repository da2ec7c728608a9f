#pragma once

#include "common/call_auth.h"
#include "common/token.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "membership/organizations/organizations.h"

namespace gridserve::membership {

// gridserve.membership.v1.OrganizationService: authenticates the caller and
// translates between protobuf and the Organizations rules.
class OrganizationService final : public v1::OrganizationService::Service {
 public:
  OrganizationService(Organizations& organizations, const TokenCodec& tokens)
      : organizations_(organizations), authorize_(tokens, v1::OrganizationService::service_full_name()) {}

  grpc::Status CreateOrganization(grpc::ServerContext* context, const v1::CreateOrganizationRequest* request,
                                  v1::CreateOrganizationResponse* response) override;
  grpc::Status GetOrganization(grpc::ServerContext* context, const v1::GetOrganizationRequest* request,
                               v1::GetOrganizationResponse* response) override;
  grpc::Status ListOrganizations(grpc::ServerContext* context, const v1::ListOrganizationsRequest* request,
                                 v1::ListOrganizationsResponse* response) override;
  grpc::Status UpdateOrganization(grpc::ServerContext* context, const v1::UpdateOrganizationRequest* request,
                                  v1::UpdateOrganizationResponse* response) override;

 private:
  Organizations& organizations_;
  const MethodAuthorizer authorize_;
};

}  // namespace gridserve::membership
