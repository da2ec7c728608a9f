#include "tools/devstack/demo.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "gridserve/gateway/v1/account.grpc.pb.h"
#include "gridserve/membership/v1/commitment.grpc.pb.h"
#include "gridserve/membership/v1/duty.grpc.pb.h"
#include "gridserve/membership/v1/member.grpc.pb.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "grpcpp/create_channel.h"

namespace gridserve::devstack {

absl::Status CreateOrganizations(const std::string& address, const std::string& token,
                                 const std::vector<OrganizationRow>& rows, const std::string& request_id_prefix,
                                 bool demo_data) {
  namespace v1 = gridserve::membership::v1;
  auto stub = v1::OrganizationService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  for (const OrganizationRow& row : rows) {
    v1::OrganizationKind kind;
    if (!v1::OrganizationKind_Parse("ORGANIZATION_KIND_" + row.kind, &kind)) {
      return absl::InvalidArgumentError(absl::StrCat("organisation ", row.code, ": unknown kind ", row.kind));
    }
    v1::CreateOrganizationRequest request;
    request.set_request_id(request_id_prefix + row.code);
    v1::Organization* organization = request.mutable_organization();
    organization->set_code(row.code);
    organization->set_kind(kind);
    organization->set_display_name(row.display_name);
    organization->set_parent_code(row.parent_code);
    organization->set_demo_data(demo_data);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    context.AddMetadata("authorization", "Bearer " + token);
    v1::CreateOrganizationResponse response;
    grpc::Status status = stub->CreateOrganization(&context, request, &response);
    if (!status.ok()) {
      absl::Status failed = FromGrpcStatus(status);
      return absl::Status(failed.code(), absl::StrCat("creating organisation ", row.code, ": ", failed.message()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<DemoSummary> LoadDemoOrganizations(const std::string& gateway_address,
                                                  const std::string& token, const std::string& tsv_path) {
  std::ifstream in(tsv_path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", tsv_path));
  std::vector<OrganizationRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields.size() != 4) return absl::InvalidArgumentError(absl::StrCat(tsv_path, ": bad line: ", line));
    rows.push_back({.code = fields[0], .kind = fields[1], .display_name = fields[3], .parent_code = fields[2]});
  }
  RETURN_IF_ERROR(CreateOrganizations(gateway_address, token, rows, "demo-", /*demo_data=*/true));
  return DemoSummary{.organizations = static_cast<int>(rows.size())};
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

absl::StatusOr<std::map<std::string, std::string>> LoadDemoAccounts(const std::string& gateway_address,
                                                                    const std::string& token) {
  namespace v1 = gridserve::gateway::v1;
  auto stub = v1::AccountService::NewStub(grpc::CreateChannel(gateway_address, grpc::InsecureChannelCredentials()));
  std::map<std::string, std::string> user_ids;
  for (const DemoAccount& account : DemoAccounts()) {
    // Invented numbers (13800000001...), so masking (138****0001) can be seen.
    v1::CreateUserRequest request;
    request.set_request_id("demo-account-" + account.login_name);
    request.set_initial_password(kDemoPassword);
    v1::User* user = request.mutable_user();
    user->set_login_name(account.login_name);
    user->set_display_name(account.display_name);
    user->set_org_code(account.org_code);
    user->set_phone(absl::StrCat("1380000", absl::Dec(user_ids.size() + 1, absl::kZeroPad4)));
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
    user_ids[account.login_name] = response.user().user_id();
  }
  return user_ids;
}

namespace {

namespace mv1 = gridserve::membership::v1;

// A call through the gateway with a deadline and the token; the error names what was done.
template <typename Stub, typename Request, typename Response>
absl::Status Call(Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  const std::string& token, const Request& request, Response* response, absl::string_view what) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  context.AddMetadata("authorization", "Bearer " + token);
  grpc::Status status = (stub.*method)(&context, request, response);
  if (status.ok()) return absl::OkStatus();
  absl::Status failed = FromGrpcStatus(status);
  return absl::Status(failed.code(), absl::StrCat(what, ": ", failed.message()));
}

// "target|measures" -> a commitment of `member_id` for `year`; "" -> none.
bool ParseCommitment(absl::string_view text, const std::string& member_id, int year, mv1::Commitment* commitment) {
  std::vector<std::string> parts = absl::StrSplit(text, absl::MaxSplits('|', 1));
  if (parts.size() != 2) return false;
  commitment->set_member_id(member_id);
  commitment->set_year(year);
  commitment->set_target(parts[0]);
  commitment->set_measures(parts[1]);
  return true;
}

}  // namespace

absl::StatusOr<DemoMembersSummary> LoadDemoMembers(const std::string& gateway_address, const std::string& token,
                                                   const std::string& tsv_path, const std::string& member_user) {
  std::ifstream in(tsv_path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", tsv_path));
  auto channel = grpc::CreateChannel(gateway_address, grpc::InsecureChannelCredentials());
  auto members = mv1::MemberService::NewStub(channel);
  auto duties = mv1::DutyService::NewStub(channel);
  auto commitments = mv1::CommitmentService::NewStub(channel);
  // The programme year as the district lives it (China time).
  DemoMembersSummary summary{
      .year = static_cast<int>(absl::ToCivilYear(absl::Now(), absl::FixedTimeZone(8 * 3600)).year())};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields.size() != 12) {
      return absl::InvalidArgumentError(absl::StrCat(tsv_path, ": expected 12 tab-separated fields: ", line));
    }
    const std::string& key = fields[0];
    mv1::CreateMemberRequest create;
    create.set_request_id("demo-member-" + key);
    mv1::Member* member = create.mutable_member();
    member->set_branch_code(fields[1]);
    member->set_full_name(fields[2]);
    mv1::Gender gender;
    if (!mv1::Gender_Parse("GENDER_" + fields[3], &gender)) {
      return absl::InvalidArgumentError(absl::StrCat(tsv_path, ": member ", key, ": unknown gender ", fields[3]));
    }
    member->set_gender(gender);
    member->set_birth_month(fields[4]);
    member->set_joined_date(fields[5]);
    member->set_phone(fields[6]);
    member->set_is_group_head(fields[7] == "yes");
    member->set_publicity_consent(true);
    member->set_demo_data(true);
    if (key == "m01") member->set_user(member_user);
    mv1::CreateMemberResponse created;
    RETURN_IF_ERROR(Call(*members, &mv1::MemberService::Stub::CreateMember, token, create, &created,
                         absl::StrCat("creating demo member ", key)));
    ++summary.members;
    const std::string& member_id = created.member().member_id();

    if (!fields[8].empty() || !fields[9].empty()) {
      mv1::SetMemberDutiesRequest set;
      set.mutable_duties()->set_member_id(member_id);
      set.mutable_duties()->set_year(summary.year);
      for (absl::string_view area : absl::StrSplit(fields[8], ',', absl::SkipEmpty())) {
        set.mutable_duties()->add_area_codes(std::string(area));
      }
      set.mutable_duties()->set_free_text(fields[9]);
      mv1::SetMemberDutiesResponse response;
      RETURN_IF_ERROR(Call(*duties, &mv1::DutyService::Stub::SetMemberDuties, token, set, &response,
                           absl::StrCat("setting the duties of demo member ", key)));
      ++summary.duties;
    }
    for (int n = 1; n <= 2; ++n) {
      mv1::CreateCommitmentRequest add;
      if (!ParseCommitment(fields[9 + n], member_id, summary.year, add.mutable_commitment())) continue;
      add.set_request_id(absl::StrCat("demo-commitment-", key, "-", summary.year, "-", n));
      mv1::CreateCommitmentResponse response;
      RETURN_IF_ERROR(Call(*commitments, &mv1::CommitmentService::Stub::CreateCommitment, token, add, &response,
                           absl::StrCat("adding commitment ", n, " of demo member ", key)));
      ++summary.commitments;
    }
  }
  return summary;
}

}  // namespace gridserve::devstack
