#include "tools/devstack/demo.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/errors.h"
#include "gridserve/gateway/v1/account.grpc.pb.h"
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

const std::vector<DemoAccount>& DemoAccounts() {
  static const auto* accounts = new std::vector<DemoAccount>{
      {"demo-district-admin", "演示区管理员", "DISTRICT_ADMIN", "500114000000", "黔江区"},
      {"demo-town-admin", "演示镇管理员", "TOWN_ADMIN", "500114101000", "邻鄂镇"},
      {"demo-village-secretary", "演示村书记", "VILLAGE_SECRETARY", "500114101201", "演示一村"},
      {"demo-grid-leader", "演示网格长", "GRID_LEADER", "500114101201", "演示一村"},
      {"demo-member", "演示党员", "MEMBER", "500114101201", "演示一村"},
      {"demo-rater", "演示群众代表", "RATER", "500114101201", "演示一村"},
      {"demo-auditor", "演示审计员", "AUDITOR", "500114000000", "黔江区"},
      {"demo-system-reader", "演示只读系统", "SYSTEM_READER", "500114000000", "黔江区"},
      {"demo-system-writer", "演示读写系统", "SYSTEM_WRITER", "500114000000", "黔江区"},
  };
  return *accounts;
}

absl::StatusOr<int> LoadDemoAccounts(const std::string& gateway_address, const std::string& token) {
  namespace v1 = gridserve::gateway::v1;
  auto stub = v1::AccountService::NewStub(grpc::CreateChannel(gateway_address, grpc::InsecureChannelCredentials()));
  int present = 0;
  for (const DemoAccount& account : DemoAccounts()) {
    // Invented numbers (13800000001...), so masking (138****0001) can be seen.
    v1::CreateUserRequest request;
    request.set_request_id("demo-account-" + account.login_name);
    request.set_initial_password(kDemoPassword);
    v1::User* user = request.mutable_user();
    user->set_login_name(account.login_name);
    user->set_display_name(account.display_name);
    user->set_org_code(account.org_code);
    user->set_phone(absl::StrCat("1380000", absl::Dec(present + 1, absl::kZeroPad4)));
    v1::Role role;
    if (!v1::Role_Parse("ROLE_" + account.role, &role)) {
      return absl::InternalError(absl::StrCat("demo account ", account.login_name, ": unknown role ", account.role));
    }
    v1::RoleBinding* binding = user->add_bindings();
    binding->set_role(role);
    binding->set_org_scope(account.org_code);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    context.AddMetadata("authorization", "Bearer " + token);
    v1::CreateUserResponse response;
    grpc::Status status = stub->CreateUser(&context, request, &response);
    if (!status.ok()) {
      absl::Status failed = FromGrpcStatus(status);
      return absl::Status(failed.code(), absl::StrCat("creating demo account ", account.login_name, ": ", failed.message()));
    }
    ++present;
  }
  return present;
}

}  // namespace gridserve::devstack
