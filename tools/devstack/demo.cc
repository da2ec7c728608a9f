#include "tools/devstack/demo.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/errors.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "grpcpp/create_channel.h"

namespace gridserve::devstack {

absl::StatusOr<DemoSummary> LoadDemoOrganizations(const std::string& gateway_address,
                                                  const std::string& token, const std::string& tsv_path) {
  namespace v1 = gridserve::membership::v1;
  std::ifstream in(tsv_path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", tsv_path));
  auto stub = v1::OrganizationService::NewStub(
      grpc::CreateChannel(gateway_address, grpc::InsecureChannelCredentials()));
  DemoSummary summary;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields.size() != 4) return absl::InvalidArgumentError(absl::StrCat(tsv_path, ": bad line: ", line));
    v1::OrganizationKind kind;
    if (!v1::OrganizationKind_Parse("ORGANIZATION_KIND_" + fields[1], &kind)) {
      return absl::InvalidArgumentError(absl::StrCat(tsv_path, ": unknown kind ", fields[1]));
    }
    v1::CreateOrganizationRequest request;
    request.set_request_id("demo-" + fields[0]);
    v1::Organization* organization = request.mutable_organization();
    organization->set_code(fields[0]);
    organization->set_kind(kind);
    organization->set_parent_code(fields[2]);
    organization->set_display_name(fields[3]);
    organization->set_demo_data(true);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    context.AddMetadata("authorization", "Bearer " + token);
    v1::CreateOrganizationResponse response;
    grpc::Status status = stub->CreateOrganization(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    ++summary.organizations;
  }
  return summary;
}

}  // namespace gridserve::devstack
