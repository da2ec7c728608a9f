// Who may do what, end to end: every role of common/permissions.cc against
// every RPC the suite serves, each with a target inside and a target outside
// the role's org scope, through the gateway and straight to the backends.
//
// The expected outcome of each (role, RPC, target) is DERIVED from the access
// rules the protos declare (FindMethodRule(method)->permission) and the role
// table (RoleGrants(role, permission)) and the RPC's scope rule, so the test
// follows them; a short hard-coded list
// (SanityExpectationsHoldWhateverTheTableSays) catches a broken role table or
// declaration. Allowed calls must answer OK, denied ones PERMISSION_DENIED
// (NOT_FOUND is accepted for a target outside the scope, which a service may
// answer to hide what exists).
//
// Role bindings (one per role, one token per role):
//   DISTRICT_ADMIN, AUDITOR                          district 500114000000
//     (the auditor reads district-wide: audit is a district function)
//   TOWN_ADMIN, SYSTEM_READER, SYSTEM_WRITER         town 500114101000
//     (a consuming system is registered for one town, so its scope has an outside)
//   VILLAGE_SECRETARY, GRID_LEADER, MEMBER, RATER    village 500114101201
//     (no grid or person codes exist yet, so the leader and member sit at their village)
// Targets, for a binding over S:
//   organisation  in: S itself; out: S's sibling (district 500115000000, town
//                 500114102000, village 500114102201)
//   new child     in: a fresh code under S (a village-level S has no children:
//                 S itself, so an allowed create may answer ALREADY_EXISTS);
//                 out: a fresh code under the sibling (a village-level S: under town 102)
//   town policy   in: town 500114101000 (S's own town, its child town for a district);
//                 out: 500114102000 (a district: 500115101000)
//   WhoAmI        about the caller itself: no outside target.
//   (the member register, issue 4 — records made in SetUpTestSuite)
//   branch        in: village 500114101201 (inside every scope here); out: a
//                 village outside S (102201; for a district 500115101201)
//   member org    an org to list under: in S, out S's sibling
//   member        in: a member of village 101201 — for MEMBER the record whose
//                 `user` is the MEMBER token's subject; out: a member of the
//                 outside village. Commitments: the member's commitment.
//   fresh member / fresh commitment: made for one call, in or out as above
//                 (ending, transferring, pledging and withdrawing use each once)
//   transfer      in: to 500114101202 (a village-level S: to S itself, which the
//                 service refuses as FAILED_PRECONDITION after both scope
//                 checks); out: a member from outside pulled into 101201
// Scope rules, as the issue states them: a write needs a binding whose scope
// covers the code; reads of the tree and of town policies also allow the
// organisations above the scope (a village works under its town's policy).
// Member records: a binding granting the permission over the member's branch,
// and through a MEMBER binding only the caller's own record (other records
// answer NOT_FOUND); lists of members need a binding covering the org (a
// MEMBER's lists hold only itself). The import is a dry run.
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/method_rules.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gridserve/activity_tracking/v1/activity_policy.grpc.pb.h"
#include "gridserve/evaluation/v1/evaluation_policy.grpc.pb.h"
#include "gridserve/gateway/v1/auth.grpc.pb.h"
#include "gridserve/grid_assignment/v1/grid_policy.grpc.pb.h"
#include "gridserve/membership/v1/commitment.grpc.pb.h"
#include "gridserve/membership/v1/duty.grpc.pb.h"
#include "gridserve/membership/v1/member.grpc.pb.h"
#include "gridserve/membership/v1/member_report.grpc.pb.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tools/devstack/stack.h"

namespace gridserve {
namespace {

namespace org = membership::v1;
namespace mv1 = membership::v1;
using devstack::Stack;

constexpr char kDistrict[] = "500114000000";
constexpr char kTown101[] = "500114101000";
constexpr char kTown102[] = "500114102000";
constexpr char kVillage101201[] = "500114101201";
constexpr char kVillage102201[] = "500114102201";
// A second village in town 101: where a town or district transfers a member to.
constexpr char kVillage101202[] = "500114101202";
// Another district, so that a district-wide binding has an outside that exists.
constexpr char kOtherDistrict[] = "500115000000";
constexpr char kOtherDistrictTown[] = "500115101000";
constexpr char kOtherDistrictVillage[] = "500115101201";

// Where each role is bound in this test (see the file comment).
const std::map<std::string, std::string>& ScopeOfRole() {
  static const auto* scopes = new std::map<std::string, std::string>{
      {"DISTRICT_ADMIN", kDistrict},          {"AUDITOR", kDistrict},
      {"TOWN_ADMIN", kTown101},               {"SYSTEM_READER", kTown101},
      {"SYSTEM_WRITER", kTown101},            {"VILLAGE_SECRETARY", kVillage101201},
      {"GRID_LEADER", kVillage101201},        {"MEMBER", kVillage101201},
      {"RATER", kVillage101201},
  };
  return *scopes;
}

// ---------------------------------------------------------------------------
// Division codes, implemented here independently of common/division.cc.

bool AllZeros(absl::string_view digits) { return digits.find_first_not_of('0') == absl::string_view::npos; }

// 2 province, 4 city, 6 county (district), 9 town, 12 village.
std::string SignificantPrefixOf(const std::string& code) {
  for (size_t length : {2, 4, 6, 9}) {
    if (AllZeros(absl::string_view(code).substr(length))) return code.substr(0, length);
  }
  return code;
}
bool Covers(const std::string& scope, const std::string& code) {
  return absl::StartsWith(code, SignificantPrefixOf(scope));
}
size_t LevelLength(const std::string& code) { return SignificantPrefixOf(code).size(); }

std::string SiblingOf(const std::string& scope) {
  if (scope == kDistrict) return kOtherDistrict;
  if (scope == kTown101) return kTown102;
  if (scope == kVillage101201) return kVillage102201;
  ADD_FAILURE() << "no sibling declared for scope " << scope;
  return "";
}

org::OrganizationKind KindOf(const std::string& code) {
  switch (LevelLength(code)) {
    case 6: return org::ORGANIZATION_KIND_DISTRICT;
    case 9: return org::ORGANIZATION_KIND_TOWN;
    case 12: return org::ORGANIZATION_KIND_VILLAGE;
    default: return org::ORGANIZATION_KIND_UNSPECIFIED;
  }
}

// A code not used before under `parent` (a district: towns 110-399; a town:
// villages 210-399), so an allowed create answers OK and never ALREADY_EXISTS.
std::string FreshChildOf(const std::string& parent) {
  static std::map<std::string, int> next;
  int& number = next[parent];
  if (number == 0) number = LevelLength(parent) == 6 ? 110 : 210;
  EXPECT_LE(number, 399) << "ran out of fresh child codes under " << parent;
  std::string digits = std::to_string(number++);
  return LevelLength(parent) == 6 ? absl::StrCat(parent.substr(0, 6), digits, "000")
                                  : absl::StrCat(parent.substr(0, 9), digits);
}

// ---------------------------------------------------------------------------
// Operations: every RPC served by a backend or the gateway's AuthService
// (other than the session calls Login/Refresh/Logout, covered by the auth e2e tests).

enum class ScopeRule {
  kCovered,         // a binding's scope must cover the target (writes, member lists)
  kCoveredOrAbove,  // ... or lie under it (reads of the tree and of town policies)
  kSelf,            // about the caller itself
  // A member record (or the duties and commitments hanging off it): a scope
  // covering the member's branch, and for a MEMBER binding the caller's own
  // record only (membership/shared/member_access.h).
  kMemberRecord,
};
enum class Target {
  kOrganization,
  kNewChild,
  kTownPolicy,  // also a town's duty areas
  kNone,
  kBranch,           // a village to register (or import) members into
  kMemberOrg,        // an organisation to list members (duties, commitments, counts) under
  kMember,           // an existing member record
  kFreshMember,      // a member record made for this one call (it ends, or gets a commitment)
  kTransfer,         // a fresh member and the branch to move it to: "<member_id>|<to_branch>"
  kCommitment,       // an existing commitment of the kMember record
  kFreshCommitment,  // a commitment made for this one call, of a fresh member
};

struct Op {
  std::string name;     // column title
  std::string method;   // full gRPC method name
  std::string backend;  // process that serves it ("gateway" for its own services)
  ScopeRule scope_rule;
  Target target;
  std::function<grpc::Status(const std::shared_ptr<grpc::Channel>&, grpc::ClientContext&, const std::string&)> call;
};

int rename_counter = 0;
int member_counter = 0;

// The pledge year the service accepts (it counts in China time).
int PledgeYear() { return static_cast<int>(absl::ToCivilYear(absl::Now(), absl::FixedTimeZone(8 * 60 * 60)).year()); }

// The subject of the token minted for a role: a "users/<id>" name, so that a
// member record can point at the MEMBER token's account.
std::string SubjectOf(const std::string& role, const std::string& scope) {
  return absl::StrCat("users/e2e-", role, "-", scope);
}

mv1::Member DraftMember(const std::string& name, const std::string& branch, const std::string& user) {
  mv1::Member member;
  member.set_full_name(name);
  member.set_gender(mv1::GENDER_MALE);
  member.set_birth_month("1975-03");
  member.set_joined_date("2001-07");
  member.set_phone("13812348000");
  member.set_branch_code(branch);
  member.set_user(user);
  return member;
}

// A tiny roster (header row and one member), sent as one chunk after the header.
constexpr char kRosterCsv[] = "姓名,性别,出生年月,入党时间,联系电话\n矩阵导入,男,1970-05,1998-07-01,13911110009\n";

const std::vector<Op>& Ops() {
  static const auto* ops = new std::vector<Op>{
      {"Create", "/gridserve.membership.v1.OrganizationService/CreateOrganization", "membership", ScopeRule::kCovered,
       Target::kNewChild,
       [](const auto& channel, grpc::ClientContext& context, const std::string& code) {
         org::CreateOrganizationRequest request;
         request.mutable_organization()->set_code(code);
         request.mutable_organization()->set_kind(KindOf(code));
         request.mutable_organization()->set_display_name(absl::StrCat("矩阵", code));
         org::CreateOrganizationResponse response;
         return org::OrganizationService::NewStub(channel)->CreateOrganization(&context, request, &response);
       }},
      {"Get", "/gridserve.membership.v1.OrganizationService/GetOrganization", "membership",
       ScopeRule::kCoveredOrAbove, Target::kOrganization,
       [](const auto& channel, grpc::ClientContext& context, const std::string& code) {
         org::GetOrganizationRequest request;
         request.set_code(code);
         org::GetOrganizationResponse response;
         return org::OrganizationService::NewStub(channel)->GetOrganization(&context, request, &response);
       }},
      {"List", "/gridserve.membership.v1.OrganizationService/ListOrganizations", "membership",
       ScopeRule::kCoveredOrAbove, Target::kOrganization,
       [](const auto& channel, grpc::ClientContext& context, const std::string& code) {
         org::ListOrganizationsRequest request;
         request.set_parent_code(code);
         org::ListOrganizationsResponse response;
         return org::OrganizationService::NewStub(channel)->ListOrganizations(&context, request, &response);
       }},
      {"Update", "/gridserve.membership.v1.OrganizationService/UpdateOrganization", "membership",
       ScopeRule::kCovered, Target::kOrganization,
       [](const auto& channel, grpc::ClientContext& context, const std::string& code) {
         org::UpdateOrganizationRequest request;
         request.mutable_organization()->set_code(code);
         request.mutable_organization()->set_display_name(absl::StrCat("矩阵改名", ++rename_counter));
         request.mutable_update_mask()->add_paths("display_name");
         org::UpdateOrganizationResponse response;
         return org::OrganizationService::NewStub(channel)->UpdateOrganization(&context, request, &response);
       }},
      {"GridPol", "/gridserve.grid_assignment.v1.GridPolicyService/GetGridPolicy", "grid_assignment",
       ScopeRule::kCoveredOrAbove, Target::kTownPolicy,
       [](const auto& channel, grpc::ClientContext& context, const std::string& town) {
         grid_assignment::v1::GetGridPolicyRequest request;
         request.set_town_code(town);
         grid_assignment::v1::GetGridPolicyResponse response;
         return grid_assignment::v1::GridPolicyService::NewStub(channel)->GetGridPolicy(&context, request, &response);
       }},
      {"ActPol", "/gridserve.activity_tracking.v1.ActivityPolicyService/GetActivityPolicy", "activity_tracking",
       ScopeRule::kCoveredOrAbove, Target::kTownPolicy,
       [](const auto& channel, grpc::ClientContext& context, const std::string& town) {
         activity_tracking::v1::GetActivityPolicyRequest request;
         request.set_town_code(town);
         activity_tracking::v1::GetActivityPolicyResponse response;
         return activity_tracking::v1::ActivityPolicyService::NewStub(channel)->GetActivityPolicy(&context, request,
                                                                                                   &response);
       }},
      {"EvalPol", "/gridserve.evaluation.v1.EvaluationPolicyService/GetEvaluationPolicy", "evaluation",
       ScopeRule::kCoveredOrAbove, Target::kTownPolicy,
       [](const auto& channel, grpc::ClientContext& context, const std::string& town) {
         evaluation::v1::GetEvaluationPolicyRequest request;
         request.set_town_code(town);
         evaluation::v1::GetEvaluationPolicyResponse response;
         return evaluation::v1::EvaluationPolicyService::NewStub(channel)->GetEvaluationPolicy(&context, request,
                                                                                               &response);
       }},
      // The member register (issue 4): MemberService.
      {"MbCreate", "/gridserve.membership.v1.MemberService/CreateMember", "membership", ScopeRule::kCovered,
       Target::kBranch,
       [](const auto& channel, grpc::ClientContext& context, const std::string& branch) {
         mv1::CreateMemberRequest request;
         *request.mutable_member() = DraftMember(absl::StrCat("矩阵新党员", ++member_counter), branch, "");
         mv1::CreateMemberResponse response;
         return mv1::MemberService::NewStub(channel)->CreateMember(&context, request, &response);
       }},
      {"MbGet", "/gridserve.membership.v1.MemberService/GetMember", "membership", ScopeRule::kMemberRecord,
       Target::kMember,
       [](const auto& channel, grpc::ClientContext& context, const std::string& member_id) {
         mv1::GetMemberRequest request;
         request.set_member_id(member_id);
         mv1::GetMemberResponse response;
         return mv1::MemberService::NewStub(channel)->GetMember(&context, request, &response);
       }},
      {"MbList", "/gridserve.membership.v1.MemberService/ListMembers", "membership", ScopeRule::kCovered,
       Target::kMemberOrg,
       [](const auto& channel, grpc::ClientContext& context, const std::string& code) {
         mv1::ListMembersRequest request;
         request.set_org_code(code);
         mv1::ListMembersResponse response;
         return mv1::MemberService::NewStub(channel)->ListMembers(&context, request, &response);
       }},
      {"MbUpdate", "/gridserve.membership.v1.MemberService/UpdateMember", "membership", ScopeRule::kMemberRecord,
       Target::kMember,
       [](const auto& channel, grpc::ClientContext& context, const std::string& member_id) {
         mv1::UpdateMemberRequest request;
         request.mutable_member()->set_member_id(member_id);
         request.mutable_member()->set_notes(absl::StrCat("矩阵备注", ++rename_counter));
         request.mutable_update_mask()->add_paths("notes");
         mv1::UpdateMemberResponse response;
         return mv1::MemberService::NewStub(channel)->UpdateMember(&context, request, &response);
       }},
      {"MbXfer", "/gridserve.membership.v1.MemberService/TransferMember", "membership", ScopeRule::kMemberRecord,
       Target::kTransfer,
       [](const auto& channel, grpc::ClientContext& context, const std::string& target) {
         std::pair<std::string, std::string> member_and_branch = absl::StrSplit(target, '|');
         mv1::TransferMemberRequest request;
         request.set_member_id(member_and_branch.first);
         request.set_to_branch_code(member_and_branch.second);
         request.set_reason("搬迁");
         mv1::TransferMemberResponse response;
         return mv1::MemberService::NewStub(channel)->TransferMember(&context, request, &response);
       }},
      {"MbEnd", "/gridserve.membership.v1.MemberService/EndMembership", "membership", ScopeRule::kMemberRecord,
       Target::kFreshMember,
       [](const auto& channel, grpc::ClientContext& context, const std::string& member_id) {
         mv1::EndMembershipRequest request;
         request.set_member_id(member_id);
         request.set_reason(mv1::END_REASON_WITHDRAWN);
         mv1::EndMembershipResponse response;
         return mv1::MemberService::NewStub(channel)->EndMembership(&context, request, &response);
       }},
      {"MbEvents", "/gridserve.membership.v1.MemberService/ListMemberEvents", "membership", ScopeRule::kMemberRecord,
       Target::kMember,
       [](const auto& channel, grpc::ClientContext& context, const std::string& member_id) {
         mv1::ListMemberEventsRequest request;
         request.set_member_id(member_id);
         mv1::ListMemberEventsResponse response;
         return mv1::MemberService::NewStub(channel)->ListMemberEvents(&context, request, &response);
       }},
      // A dry run: validated and reported, nothing written, so it repeats.
      {"MbImport", "/gridserve.membership.v1.MemberService/ImportMembers", "membership", ScopeRule::kCovered,
       Target::kBranch,
       [](const auto& channel, grpc::ClientContext& context, const std::string& branch) {
         auto stream = mv1::MemberService::NewStub(channel)->ImportMembers(&context);
         mv1::ImportMembersRequest header;
         header.mutable_header()->set_org_code(branch);
         header.mutable_header()->set_format(mv1::ROSTER_FORMAT_CSV);
         header.mutable_header()->set_file_name("role-matrix.csv");
         header.mutable_header()->set_dry_run(true);
         mv1::ImportMembersRequest chunk;
         chunk.set_chunk(kRosterCsv);
         if (stream->Write(header)) stream->Write(chunk);
         stream->WritesDone();
         mv1::ImportMembersResponse response;
         bool reported = false;
         while (stream->Read(&response)) reported = reported || response.has_report();
         grpc::Status status = stream->Finish();
         if (status.ok() && !reported) return grpc::Status(grpc::StatusCode::INTERNAL, "import ended without a report");
         return status;
       }},
      // Duties (R2): a town's duty areas are town policy; a member's duties hang off the record.
      {"DutyArea", "/gridserve.membership.v1.DutyService/ListDutyAreas", "membership", ScopeRule::kCoveredOrAbove,
       Target::kTownPolicy,
       [](const auto& channel, grpc::ClientContext& context, const std::string& town) {
         mv1::ListDutyAreasRequest request;
         request.set_town_code(town);
         mv1::ListDutyAreasResponse response;
         return mv1::DutyService::NewStub(channel)->ListDutyAreas(&context, request, &response);
       }},
      {"DutyUpd", "/gridserve.membership.v1.DutyService/UpdateDutyAreas", "membership", ScopeRule::kCovered,
       Target::kTownPolicy,
       [](const auto& channel, grpc::ClientContext& context, const std::string& town) {
         mv1::UpdateDutyAreasRequest request;
         request.set_town_code(town);
         // The programme's standard list, so repeating it changes nothing.
         for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
                  {"INDUSTRY_GUIDANCE", "指导帮扶产业发展"},
                  {"DISPUTE_MEDIATION", "矛盾纠纷化解"},
                  {"POLICY_PUBLICITY", "政策宣传"},
                  {"ENVIRONMENT_SUPERVISION", "环境监督"}}) {
           mv1::DutyArea* area = request.add_areas();
           area->set_code(code);
           area->set_display_name(name);
         }
         mv1::UpdateDutyAreasResponse response;
         return mv1::DutyService::NewStub(channel)->UpdateDutyAreas(&context, request, &response);
       }},
      {"DutySet", "/gridserve.membership.v1.DutyService/SetMemberDuties", "membership", ScopeRule::kMemberRecord,
       Target::kMember,
       [](const auto& channel, grpc::ClientContext& context, const std::string& member_id) {
         mv1::SetMemberDutiesRequest request;
         request.mutable_duties()->set_member_id(member_id);
         request.mutable_duties()->set_year(PledgeYear());
         request.mutable_duties()->set_free_text("联系本组群众");
         mv1::SetMemberDutiesResponse response;
         return mv1::DutyService::NewStub(channel)->SetMemberDuties(&context, request, &response);
       }},
      {"DutyGet", "/gridserve.membership.v1.DutyService/GetMemberDuties", "membership", ScopeRule::kMemberRecord,
       Target::kMember,
       [](const auto& channel, grpc::ClientContext& context, const std::string& member_id) {
         mv1::GetMemberDutiesRequest request;
         request.set_member_id(member_id);
         request.set_year(PledgeYear());
         mv1::GetMemberDutiesResponse response;
         return mv1::DutyService::NewStub(channel)->GetMemberDuties(&context, request, &response);
       }},
      {"DutyList", "/gridserve.membership.v1.DutyService/ListMemberDuties", "membership", ScopeRule::kCovered,
       Target::kMemberOrg,
       [](const auto& channel, grpc::ClientContext& context, const std::string& code) {
         mv1::ListMemberDutiesRequest request;
         request.set_org_code(code);
         request.set_year(PledgeYear());
         mv1::ListMemberDutiesResponse response;
         return mv1::DutyService::NewStub(channel)->ListMemberDuties(&context, request, &response);
       }},
      // Commitments (R3): at most two per member and year, so creates go to fresh members.
      {"CmCreate", "/gridserve.membership.v1.CommitmentService/CreateCommitment", "membership",
       ScopeRule::kMemberRecord, Target::kFreshMember,
       [](const auto& channel, grpc::ClientContext& context, const std::string& member_id) {
         mv1::CreateCommitmentRequest request;
         request.mutable_commitment()->set_member_id(member_id);
         request.mutable_commitment()->set_year(PledgeYear());
         request.mutable_commitment()->set_target("帮助本组3户群众发展中药材种植");
         request.mutable_commitment()->set_measures("每季度入户走访一次");
         mv1::CreateCommitmentResponse response;
         return mv1::CommitmentService::NewStub(channel)->CreateCommitment(&context, request, &response);
       }},
      {"CmGet", "/gridserve.membership.v1.CommitmentService/GetCommitment", "membership", ScopeRule::kMemberRecord,
       Target::kCommitment,
       [](const auto& channel, grpc::ClientContext& context, const std::string& commitment_id) {
         mv1::GetCommitmentRequest request;
         request.set_commitment_id(commitment_id);
         mv1::GetCommitmentResponse response;
         return mv1::CommitmentService::NewStub(channel)->GetCommitment(&context, request, &response);
       }},
      {"CmListO", "/gridserve.membership.v1.CommitmentService/ListCommitments", "membership", ScopeRule::kCovered,
       Target::kMemberOrg,
       [](const auto& channel, grpc::ClientContext& context, const std::string& code) {
         mv1::ListCommitmentsRequest request;
         request.set_org_code(code);
         request.set_year(PledgeYear());
         mv1::ListCommitmentsResponse response;
         return mv1::CommitmentService::NewStub(channel)->ListCommitments(&context, request, &response);
       }},
      // The same method with member_id: the member-record rule instead of the list rule.
      {"CmListM", "/gridserve.membership.v1.CommitmentService/ListCommitments", "membership",
       ScopeRule::kMemberRecord, Target::kMember,
       [](const auto& channel, grpc::ClientContext& context, const std::string& member_id) {
         mv1::ListCommitmentsRequest request;
         request.set_member_id(member_id);
         request.set_year(PledgeYear());
         mv1::ListCommitmentsResponse response;
         return mv1::CommitmentService::NewStub(channel)->ListCommitments(&context, request, &response);
       }},
      // Reporting progress (PLEDGE_REPORT): what a member may do on its own commitment.
      {"CmReport", "/gridserve.membership.v1.CommitmentService/UpdateCommitment", "membership",
       ScopeRule::kMemberRecord, Target::kCommitment,
       [](const auto& channel, grpc::ClientContext& context, const std::string& commitment_id) {
         mv1::UpdateCommitmentRequest request;
         request.mutable_commitment()->set_commitment_id(commitment_id);
         request.mutable_commitment()->set_status(mv1::FULFILMENT_STATUS_IN_PROGRESS);
         request.mutable_update_mask()->add_paths("status");
         mv1::UpdateCommitmentResponse response;
         return mv1::CommitmentService::NewStub(channel)->UpdateCommitment(&context, request, &response);
       }},
      {"CmDelete", "/gridserve.membership.v1.CommitmentService/DeleteCommitment", "membership",
       ScopeRule::kMemberRecord, Target::kFreshCommitment,
       [](const auto& channel, grpc::ClientContext& context, const std::string& commitment_id) {
         mv1::DeleteCommitmentRequest request;
         request.set_commitment_id(commitment_id);
         mv1::DeleteCommitmentResponse response;
         return mv1::CommitmentService::NewStub(channel)->DeleteCommitment(&context, request, &response);
       }},
      {"CmForm", "/gridserve.membership.v1.CommitmentService/GetCommitmentForm", "membership",
       ScopeRule::kMemberRecord, Target::kMember,
       [](const auto& channel, grpc::ClientContext& context, const std::string& member_id) {
         mv1::GetCommitmentFormRequest request;
         request.set_member_id(member_id);
         request.set_year(PledgeYear());
         mv1::GetCommitmentFormResponse response;
         return mv1::CommitmentService::NewStub(channel)->GetCommitmentForm(&context, request, &response);
       }},
      // Reports on the register.
      {"RpMissng", "/gridserve.membership.v1.MemberReportService/ListMembersMissingPledges", "membership",
       ScopeRule::kCovered, Target::kMemberOrg,
       [](const auto& channel, grpc::ClientContext& context, const std::string& code) {
         mv1::ListMembersMissingPledgesRequest request;
         request.set_org_code(code);
         request.set_year(PledgeYear());
         mv1::ListMembersMissingPledgesResponse response;
         return mv1::MemberReportService::NewStub(channel)->ListMembersMissingPledges(&context, request, &response);
       }},
      {"RpCount", "/gridserve.membership.v1.MemberReportService/CountMembersByBranch", "membership",
       ScopeRule::kCovered, Target::kMemberOrg,
       [](const auto& channel, grpc::ClientContext& context, const std::string& code) {
         mv1::CountMembersByBranchRequest request;
         request.set_org_code(code);
         request.set_year(PledgeYear());
         mv1::CountMembersByBranchResponse response;
         return mv1::MemberReportService::NewStub(channel)->CountMembersByBranch(&context, request, &response);
       }},
      {"WhoAmI", "/gridserve.gateway.v1.AuthService/WhoAmI", "gateway", ScopeRule::kSelf, Target::kNone,
       [](const auto& channel, grpc::ClientContext& context, const std::string&) {
         gateway::v1::WhoAmIResponse response;
         return gateway::v1::AuthService::NewStub(channel)->WhoAmI(&context, {}, &response);
       }},
  };
  return *ops;
}

// Methods the gateway serves that the matrix deliberately leaves to other tests.
const std::map<std::string, std::string>& CoveredElsewhere() {
  static const auto* methods = new std::map<std::string, std::string>{
      {"/gridserve.gateway.v1.AuthService/Login", "public; services/gateway/auth_e2e_test.cc"},
      {"/gridserve.gateway.v1.AuthService/Refresh", "public; services/gateway/auth_e2e_test.cc"},
      {"/gridserve.gateway.v1.AuthService/Logout", "needs a session; services/gateway/auth_e2e_test.cc"},
  };
  return *methods;
}
// Services being built in issue 3 whose methods are not in the matrix yet.
const std::set<std::string>& ServicesPendingInMatrix() {
  static const auto* services = new std::set<std::string>{
      "gridserve.gateway.v1.AccountService",
      "gridserve.gateway.v1.AuditService",
  };
  return *services;
}

// The member records the matrix works on, made in SetUpTestSuite.
struct MemberFixture {
  std::string own;             // village 101201, user = the MEMBER token's subject
  std::string neighbour;       // village 101201, another user
  std::string other_village;   // village 102201 (town 102)
  std::string other_district;  // village 500115101201
  std::map<std::string, std::string> commitment_of;  // member id -> its commitment this year
  // A new active member of `branch` (with `user`), and a new commitment of a member.
  std::function<std::string(const std::string& branch, const std::string& user)> new_member;
  std::function<std::string(const std::string& member_id)> new_commitment;
};
MemberFixture& Fixture() {
  static auto* fixture = new MemberFixture;
  return *fixture;
}

// A branch outside a binding over `scope` (for a village: a village of the other town).
std::string OutsideBranchOf(const std::string& scope) {
  return scope == kDistrict ? kOtherDistrictVillage : kVillage102201;
}

// What a call is made on, and what its expectation is computed from.
struct ResolvedTarget {
  std::string arg;        // what the call gets
  std::string code;       // the org code the scope rule is checked against
  std::string also_code;  // a second code the binding must cover too (a transfer's destination), or ""
  bool own = false;       // a member record whose user is the caller
  bool existed = true;    // the target was there before the call: an allowed create may answer ALREADY_EXISTS
  // An allowed call may answer FAILED_PRECONDITION: a village-level binding
  // can only "transfer" a member to the branch it is in, which the service
  // refuses after both scope checks passed.
  bool may_fail_precondition = false;
};

// The target of `kind` for `role` bound over `scope`.
ResolvedTarget TargetFor(Target kind, const std::string& role, const std::string& scope, bool in_scope) {
  ResolvedTarget target;
  MemberFixture& members = Fixture();
  // Member records in scope sit in village 101201 (inside every scope of the
  // test); a MEMBER's in-scope record is its own.
  const bool own = in_scope && role == "MEMBER";
  const std::string branch = in_scope ? kVillage101201 : OutsideBranchOf(scope);
  const std::string user = own ? SubjectOf(role, scope) : "";
  auto existing_member = [&] {
    if (own) return members.own;
    if (in_scope) return members.neighbour;
    return scope == kDistrict ? members.other_district : members.other_village;
  };
  switch (kind) {
    case Target::kOrganization: target.arg = in_scope ? scope : SiblingOf(scope); break;
    case Target::kNewChild: {
      if (in_scope && LevelLength(scope) == 12) {  // a village has no children
        target.arg = scope;
        break;
      }
      std::string parent = in_scope ? scope : (LevelLength(scope) == 12 ? kTown102 : SiblingOf(scope));
      target.existed = false;
      target.arg = FreshChildOf(parent);
      break;
    }
    case Target::kTownPolicy:
      if (scope == kDistrict) {
        target.arg = in_scope ? kTown101 : kOtherDistrictTown;
      } else {
        target.arg = in_scope ? kTown101 : kTown102;
      }
      break;
    case Target::kNone: target.arg = ""; target.code = scope; return target;
    case Target::kBranch:
      target.arg = branch;
      target.existed = false;  // a fresh name each call: never ALREADY_EXISTS
      break;
    case Target::kMemberOrg: target.arg = in_scope ? scope : SiblingOf(scope); break;
    case Target::kMember:
      target.arg = existing_member();
      target.code = in_scope ? kVillage101201 : OutsideBranchOf(scope);
      target.own = own;
      return target;
    case Target::kFreshMember:
      target.arg = members.new_member(branch, user);
      target.code = branch;
      target.own = own;
      return target;
    case Target::kTransfer: {
      // In scope: to another village of the binding (a village-level binding
      // has none but its own). Out of scope: pulling a member from outside into the binding's village.
      std::string to = in_scope && LevelLength(scope) < 12 ? kVillage101202 : kVillage101201;
      target.may_fail_precondition = in_scope && to == branch;
      target.arg = absl::StrCat(members.new_member(branch, user), "|", to);
      target.code = branch;
      target.also_code = to;
      target.own = own;
      return target;
    }
    case Target::kCommitment:
      target.arg = members.commitment_of[existing_member()];
      target.code = in_scope ? kVillage101201 : OutsideBranchOf(scope);
      target.own = own;
      return target;
    case Target::kFreshCommitment:
      target.arg = members.new_commitment(members.new_member(branch, user));
      target.code = branch;
      target.own = own;
      return target;
  }
  target.code = target.arg;
  return target;
}

// The expectation, from the declared tables and the RPC's scope rule.
bool ExpectAllowed(const std::string& role, const std::string& scope, const Op& op, const ResolvedTarget& target) {
  const MethodRule* rule = FindMethodRule(op.method);
  if (rule == nullptr) return false;  // undeclared methods are refused
  if (!RoleGrants(role, rule->permission)) return false;
  if (!target.also_code.empty() && !Covers(scope, target.also_code)) return false;
  switch (op.scope_rule) {
    case ScopeRule::kCovered: return Covers(scope, target.code);
    case ScopeRule::kCoveredOrAbove: return Covers(scope, target.code) || Covers(target.code, scope);
    case ScopeRule::kSelf: return true;
    case ScopeRule::kMemberRecord: return Covers(scope, target.code) && (role != "MEMBER" || target.own);
  }
  return false;
}

std::string Short(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::PERMISSION_DENIED: return "PD";
    case grpc::StatusCode::NOT_FOUND: return "NF";
    case grpc::StatusCode::ALREADY_EXISTS: return "AE";
    case grpc::StatusCode::UNAUTHENTICATED: return "UA";
    case grpc::StatusCode::INVALID_ARGUMENT: return "IA";
    case grpc::StatusCode::UNAVAILABLE: return "UV";
    case grpc::StatusCode::UNIMPLEMENTED: return "UI";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RE";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FP";
    default: return absl::StrCat("#", static_cast<int>(code));
  }
}

// ---------------------------------------------------------------------------

class RoleMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto stack = Stack::Start(devstack::TestStackOptions("gridserve-role-matrix"));
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = std::move(*stack).release();
    // The tree the matrix works on; a province-wide token seeds the second district.
    std::string admin = stack_->AdminToken();
    std::string province_admin = stack_->MintToken("e2e-province-admin", {{"DISTRICT_ADMIN", "500000000000"}});
    for (const auto& [code, token] :
         std::vector<std::pair<std::string, std::string>>{{kDistrict, admin},
                                                          {kTown101, admin},
                                                          {kTown102, admin},
                                                          {kVillage101201, admin},
                                                          {kVillage102201, admin},
                                                          {kVillage101202, admin},
                                                          {kOtherDistrict, province_admin},
                                                          {kOtherDistrictTown, province_admin},
                                                          {kOtherDistrictVillage, province_admin}}) {
      grpc::ClientContext context;
      Prepare(context, token);
      grpc::Status status = Ops()[0].call(Channel("gateway"), context, code);
      ASSERT_TRUE(status.ok()) << "seeding " << code << ": " << Short(status.error_code()) << " " << status.error_message();
    }
    // The member records, straight at membership (the gateway limits calls per
    // principal, and fresh records are made for many calls).
    province_admin_ = province_admin;
    MemberFixture& members = Fixture();
    members.new_member = [](const std::string& branch, const std::string& user) {
      grpc::ClientContext context;
      Prepare(context, province_admin_);
      mv1::CreateMemberRequest request;
      *request.mutable_member() = DraftMember(absl::StrCat("矩阵党员", ++member_counter), branch, user);
      mv1::CreateMemberResponse response;
      grpc::Status status = mv1::MemberService::NewStub(Channel("membership"))->CreateMember(&context, request, &response);
      EXPECT_TRUE(status.ok()) << "making a member in " << branch << ": " << Short(status.error_code()) << " "
                               << status.error_message();
      return response.member().member_id();
    };
    members.new_commitment = [](const std::string& member_id) {
      grpc::ClientContext context;
      Prepare(context, province_admin_);
      mv1::CreateCommitmentRequest request;
      request.mutable_commitment()->set_member_id(member_id);
      request.mutable_commitment()->set_year(PledgeYear());
      request.mutable_commitment()->set_target("为本组群众代办事项");
      request.mutable_commitment()->set_measures("每月入户走访一次");
      mv1::CreateCommitmentResponse response;
      grpc::Status status =
          mv1::CommitmentService::NewStub(Channel("membership"))->CreateCommitment(&context, request, &response);
      EXPECT_TRUE(status.ok()) << "making a commitment of " << member_id << ": " << Short(status.error_code()) << " "
                               << status.error_message();
      return response.commitment().commitment_id();
    };
    members.own = members.new_member(kVillage101201, SubjectOf("MEMBER", kVillage101201));
    members.neighbour = members.new_member(kVillage101201, "users/e2e-neighbour");
    members.other_village = members.new_member(kVillage102201, "");
    members.other_district = members.new_member(kOtherDistrictVillage, "");
    for (const std::string& member_id : {members.own, members.neighbour, members.other_village, members.other_district}) {
      ASSERT_FALSE(member_id.empty());
      members.commitment_of[member_id] = members.new_commitment(member_id);
      ASSERT_FALSE(members.commitment_of[member_id].empty());
      // Duties for this year, so that GetMemberDuties finds some.
      grpc::ClientContext context;
      Prepare(context, province_admin_);
      mv1::SetMemberDutiesRequest request;
      request.mutable_duties()->set_member_id(member_id);
      request.mutable_duties()->set_year(PledgeYear());
      request.mutable_duties()->set_free_text("联系本组群众");
      mv1::SetMemberDutiesResponse response;
      grpc::Status status =
          mv1::DutyService::NewStub(Channel("membership"))->SetMemberDuties(&context, request, &response);
      ASSERT_TRUE(status.ok()) << "setting duties of " << member_id << ": " << status.error_message();
    }
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
    channels_.clear();
  }

  static std::shared_ptr<grpc::Channel> Channel(const std::string& process) {
    auto& channel = channels_[process];
    if (channel == nullptr) {
      channel = grpc::CreateChannel(stack_->address(process), grpc::InsecureChannelCredentials());
    }
    return channel;
  }
  static void Prepare(grpc::ClientContext& context, const std::string& token) {
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    context.AddMetadata("authorization", "Bearer " + token);
  }
  static grpc::Status Call(const Op& op, const std::string& process, const std::string& token,
                           const std::string& target) {
    grpc::ClientContext context;
    Prepare(context, token);
    return op.call(Channel(process), context, target);
  }
  static const Op& OpNamed(const std::string& name) {
    for (const Op& op : Ops()) {
      if (op.name == name) return op;
    }
    ADD_FAILURE() << "no op " << name;
    return Ops()[0];
  }
  static std::string TokenOf(const std::string& role, const std::string& scope) {
    return stack_->MintToken(SubjectOf(role, scope), {{role, scope}});
  }

  // Runs every role × op × {in, out} against `via` ("gateway", or "" for each
  // op's own backend; WhoAmI only exists at the gateway). Returns mismatches.
  static void RunMatrix(bool through_gateway) {
    std::vector<std::string> mismatches;
    std::ostringstream matrix;
    matrix << std::left << std::setw(32) << "role@scope  (in/out)";
    std::vector<const Op*> ops;
    for (const Op& op : Ops()) {
      if (!through_gateway && op.backend == "gateway") continue;
      ops.push_back(&op);
      matrix << std::setw(9) << op.name;
    }
    matrix << "\n";
    int calls = 0;
    std::map<std::string, int> cells;
    for (const std::string& role : AllRoles()) {
      auto scope_it = ScopeOfRole().find(role);
      if (scope_it == ScopeOfRole().end()) {
        ADD_FAILURE() << "role " << role << " is in AllRoles() but has no scope in this test; add it to ScopeOfRole()";
        continue;
      }
      const std::string& scope = scope_it->second;
      const std::string token = TokenOf(role, scope);
      matrix << std::setw(32) << absl::StrCat(role, "@", scope);
      for (const Op* op : ops) {
        std::string cell;
        for (bool in_scope : {true, false}) {
          if (!in_scope && op->target == Target::kNone) {
            absl::StrAppend(&cell, "/-");
            continue;
          }
          ResolvedTarget resolved = TargetFor(op->target, role, scope, in_scope);
          const std::string& target = resolved.arg;
          bool allowed = ExpectAllowed(role, scope, *op, resolved);
          grpc::Status status = Call(*op, through_gateway ? "gateway" : op->backend, token, target);
          ++calls;
          ++cells[allowed ? "allowed" : "denied"];
          grpc::StatusCode code = status.error_code();
          bool as_expected =
              allowed ? (code == grpc::StatusCode::OK ||
                         (resolved.existed && code == grpc::StatusCode::ALREADY_EXISTS) ||
                         (resolved.may_fail_precondition && code == grpc::StatusCode::FAILED_PRECONDITION))
                      : (code == grpc::StatusCode::PERMISSION_DENIED ||
                         (!in_scope && code == grpc::StatusCode::NOT_FOUND));
          absl::StrAppend(&cell, in_scope ? "" : "/", Short(code), as_expected ? "" : "!");
          if (!as_expected) {
            mismatches.push_back(absl::StrCat(role, "@", scope, " ", op->name, " ", in_scope ? "in-scope" : "out-of-scope",
                                              " target ", target.empty() ? "(self)" : target, ": expected ",
                                              allowed ? "allowed (OK)" : "denied (PERMISSION_DENIED)", ", got ",
                                              Short(code), " \"", status.error_message(), "\""));
          }
        }
        matrix << std::setw(9) << cell;
      }
      matrix << "\n";
    }
    std::string via = through_gateway ? "through the gateway" : "straight to the backends";
    std::cout << "role matrix " << via << " (" << calls << " calls, " << cells["allowed"] << " expected allowed, "
              << cells["denied"] << " expected denied; OK allowed, PD PERMISSION_DENIED, NF NOT_FOUND, "
              << "AE ALREADY_EXISTS, FP FAILED_PRECONDITION, ! = not what the tables say):\n"
              << matrix.str();
    EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " calls " << via
                                    << " did not answer what the declared rules and the role table say:\n  "
                                    << absl::StrJoin(mismatches, "\n  ") << "\n\n"
                                    << matrix.str();
  }

  static inline std::string province_admin_;
  static inline Stack* stack_ = nullptr;
  static inline std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

// The test's view of each RPC agrees with the declared table: every op has a
// rule, writes (audited as writes) use the "scope covers the code" rule, SELF
// calls have no target.
TEST_F(RoleMatrixTest, EveryOpIsDeclaredWithAMatchingScopeRule) {
  for (const Op& op : Ops()) {
    const MethodRule* rule = FindMethodRule(op.method);
    ASSERT_NE(rule, nullptr) << op.method << " is served but declares no access rule";
    EXPECT_NE(rule->permission, Permission::kPublic) << op.method;
    if (rule->audit == AuditKind::kWrite) {
      EXPECT_TRUE(op.scope_rule == ScopeRule::kCovered || op.scope_rule == ScopeRule::kMemberRecord) << op.method;
    }
    // Personal data is never readable from below (a village does not read its town's members).
    if (rule->audit == AuditKind::kPersonalDataRead) {
      EXPECT_NE(op.scope_rule, ScopeRule::kCoveredOrAbove) << op.method;
    }
    EXPECT_EQ(rule->permission == Permission::kSelf, op.scope_rule == ScopeRule::kSelf) << op.method;
    // Calls on a member record (or what hangs off it) follow the record's rule.
    const bool on_record = op.target == Target::kMember || op.target == Target::kFreshMember ||
                           op.target == Target::kTransfer || op.target == Target::kCommitment ||
                           op.target == Target::kFreshCommitment;
    EXPECT_EQ(on_record, op.scope_rule == ScopeRule::kMemberRecord) << op.method;
  }
  // Every role gets a token in the matrix.
  for (const std::string& role : AllRoles()) EXPECT_TRUE(ScopeOfRole().contains(role)) << role;
}

TEST_F(RoleMatrixTest, EveryRoleReachesExactlyWhatTheTablesSayThroughTheGateway) { RunMatrix(true); }

// The backends check again, against the resource's org, without the gateway.
TEST_F(RoleMatrixTest, EveryRoleReachesExactlyWhatTheTablesSayStraightToTheBackends) { RunMatrix(false); }

// Expectations that must hold whatever the table says (so a broken table fails).
TEST_F(RoleMatrixTest, SanityExpectationsHoldWhateverTheTableSays) {
  struct Case {
    std::string role, scope, op, target;
    grpc::StatusCode expected;
  };
  const std::string fresh_town = FreshChildOf(kDistrict);
  const std::string fresh_village_101 = FreshChildOf(kTown101);
  const std::string fresh_village_102 = FreshChildOf(kTown102);
  MemberFixture& members = Fixture();
  const std::string push_out = absl::StrCat(members.new_member(kVillage101201, ""), "|", kVillage102201);
  const std::vector<Case> cases = {
      // RATER only rates: no tree writes anywhere, even bound district-wide.
      {"RATER", kVillage101201, "Create", FreshChildOf(kTown101), grpc::StatusCode::PERMISSION_DENIED},
      {"RATER", kDistrict, "Create", FreshChildOf(kDistrict), grpc::StatusCode::PERMISSION_DENIED},
      {"RATER", kVillage101201, "Get", kVillage101201, grpc::StatusCode::PERMISSION_DENIED},
      {"RATER", kVillage101201, "GridPol", kTown101, grpc::StatusCode::PERMISSION_DENIED},
      {"RATER", kVillage101201, "WhoAmI", "", grpc::StatusCode::OK},
      // A town admin writes in its own town only.
      {"TOWN_ADMIN", kTown101, "Create", fresh_village_102, grpc::StatusCode::PERMISSION_DENIED},
      {"TOWN_ADMIN", kTown101, "Create", fresh_village_101, grpc::StatusCode::OK},
      {"TOWN_ADMIN", kTown101, "Update", kTown102, grpc::StatusCode::PERMISSION_DENIED},
      {"TOWN_ADMIN", kTown101, "Update", kDistrict, grpc::StatusCode::PERMISSION_DENIED},
      {"TOWN_ADMIN", kTown101, "Create", FreshChildOf(kDistrict), grpc::StatusCode::PERMISSION_DENIED},
      // A district admin stays in its district.
      {"DISTRICT_ADMIN", kDistrict, "Create", fresh_town, grpc::StatusCode::OK},
      {"DISTRICT_ADMIN", kDistrict, "Create", FreshChildOf(kOtherDistrict), grpc::StatusCode::PERMISSION_DENIED},
      {"DISTRICT_ADMIN", kDistrict, "Get", kOtherDistrict, grpc::StatusCode::PERMISSION_DENIED},
      // AUDITOR and SYSTEM_READER read, never write.
      {"AUDITOR", kDistrict, "Update", kTown101, grpc::StatusCode::PERMISSION_DENIED},
      {"AUDITOR", kDistrict, "Create", FreshChildOf(kTown101), grpc::StatusCode::PERMISSION_DENIED},
      {"AUDITOR", kDistrict, "Get", kVillage102201, grpc::StatusCode::OK},
      {"SYSTEM_READER", kTown101, "Create", FreshChildOf(kTown101), grpc::StatusCode::PERMISSION_DENIED},
      {"SYSTEM_WRITER", kTown101, "Update", kTown101, grpc::StatusCode::PERMISSION_DENIED},
      // A village secretary reads its town's policy and tree, not the other town's; writes no tree.
      {"VILLAGE_SECRETARY", kVillage101201, "GridPol", kTown101, grpc::StatusCode::OK},
      {"VILLAGE_SECRETARY", kVillage101201, "GridPol", kTown102, grpc::StatusCode::PERMISSION_DENIED},
      {"VILLAGE_SECRETARY", kVillage101201, "EvalPol", kTown102, grpc::StatusCode::PERMISSION_DENIED},
      {"VILLAGE_SECRETARY", kVillage101201, "Get", kTown101, grpc::StatusCode::OK},
      {"VILLAGE_SECRETARY", kVillage101201, "Get", kVillage102201, grpc::StatusCode::PERMISSION_DENIED},
      {"VILLAGE_SECRETARY", kVillage101201, "Update", kVillage101201, grpc::StatusCode::PERMISSION_DENIED},
      {"MEMBER", kVillage101201, "List", kTown102, grpc::StatusCode::PERMISSION_DENIED},
      {"GRID_LEADER", kVillage101201, "Create", FreshChildOf(kTown101), grpc::StatusCode::PERMISSION_DENIED},
      // Member records (issue 4 deliverable 7): a village secretary sees only its village.
      {"VILLAGE_SECRETARY", kVillage101201, "MbGet", members.neighbour, grpc::StatusCode::OK},
      {"VILLAGE_SECRETARY", kVillage101201, "MbGet", members.other_village, grpc::StatusCode::NOT_FOUND},
      {"VILLAGE_SECRETARY", kVillage101201, "MbList", kTown101, grpc::StatusCode::PERMISSION_DENIED},
      {"VILLAGE_SECRETARY", kVillage101201, "MbCreate", kVillage102201, grpc::StatusCode::PERMISSION_DENIED},
      {"VILLAGE_SECRETARY", kVillage101201, "CmGet", members.commitment_of[members.other_village],
       grpc::StatusCode::NOT_FOUND},
      {"VILLAGE_SECRETARY", kVillage101201, "DutyArea", kTown101, grpc::StatusCode::OK},
      {"VILLAGE_SECRETARY", kVillage101201, "DutyUpd", kTown101, grpc::StatusCode::PERMISSION_DENIED},
      {"VILLAGE_SECRETARY", kVillage101201, "MbImport", kVillage102201, grpc::StatusCode::PERMISSION_DENIED},
      // A town admin lists its town, not the other one, and cannot push a member out of it.
      {"TOWN_ADMIN", kTown101, "MbList", kTown102, grpc::StatusCode::PERMISSION_DENIED},
      {"TOWN_ADMIN", kTown101, "MbList", kTown101, grpc::StatusCode::OK},
      {"TOWN_ADMIN", kTown101, "MbXfer", push_out, grpc::StatusCode::PERMISSION_DENIED},
      {"TOWN_ADMIN", kTown101, "DutyUpd", kTown102, grpc::StatusCode::PERMISSION_DENIED},
      {"TOWN_ADMIN", kTown101, "RpCount", kDistrict, grpc::StatusCode::PERMISSION_DENIED},
      {"DISTRICT_ADMIN", kDistrict, "MbGet", members.other_district, grpc::StatusCode::NOT_FOUND},
      // A member sees itself only, and reports on its own commitment.
      {"MEMBER", kVillage101201, "MbGet", members.own, grpc::StatusCode::OK},
      {"MEMBER", kVillage101201, "MbGet", members.neighbour, grpc::StatusCode::NOT_FOUND},
      {"MEMBER", kVillage101201, "MbUpdate", members.own, grpc::StatusCode::PERMISSION_DENIED},
      {"MEMBER", kVillage101201, "CmReport", members.commitment_of[members.own], grpc::StatusCode::OK},
      {"MEMBER", kVillage101201, "CmReport", members.commitment_of[members.neighbour], grpc::StatusCode::NOT_FOUND},
      {"MEMBER", kVillage101201, "MbList", kTown101, grpc::StatusCode::PERMISSION_DENIED},
      // No MEMBER_READ: the rater; no MEMBER_WRITE: the auditor (district-wide reader) and the grid leader.
      {"RATER", kVillage101201, "MbGet", members.neighbour, grpc::StatusCode::PERMISSION_DENIED},
      {"RATER", kVillage101201, "MbList", kVillage101201, grpc::StatusCode::PERMISSION_DENIED},
      {"AUDITOR", kDistrict, "MbUpdate", members.neighbour, grpc::StatusCode::PERMISSION_DENIED},
      {"AUDITOR", kDistrict, "MbGet", members.other_village, grpc::StatusCode::OK},
      {"GRID_LEADER", kVillage101201, "DutySet", members.neighbour, grpc::StatusCode::PERMISSION_DENIED},
      {"GRID_LEADER", kVillage101201, "MbGet", members.neighbour, grpc::StatusCode::OK},
      {"SYSTEM_READER", kTown101, "CmReport", members.commitment_of[members.neighbour],
       grpc::StatusCode::PERMISSION_DENIED},
  };
  for (const Case& c : cases) {
    grpc::Status status = Call(OpNamed(c.op), "gateway", TokenOf(c.role, c.scope), c.target);
    EXPECT_EQ(status.error_code(), c.expected)
        << c.role << "@" << c.scope << " " << c.op << " " << c.target << ": expected " << Short(c.expected)
        << ", got " << Short(status.error_code()) << " " << status.error_message();
  }
  // What was refused was not done: the village in the other town does not exist.
  grpc::Status status = Call(OpNamed("Get"), "gateway", stack_->AdminToken(), fresh_village_102);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  // ... and the member the town admin tried to push out is still in its village.
  grpc::ClientContext context;
  Prepare(context, province_admin_);
  mv1::GetMemberRequest request;
  request.set_member_id(std::string(absl::string_view(push_out).substr(0, push_out.find('|'))));
  mv1::GetMemberResponse response;
  status = mv1::MemberService::NewStub(Channel("membership"))->GetMember(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.member().branch_code(), kVillage101201);
}

// "A member sees and edits only self where allowed" (issue 4 deliverable 7),
// inside its own village, where the scope alone would let it through: at the
// gateway and at membership.
TEST_F(RoleMatrixTest, AMemberSeesAndReportsOnlyOnItsOwnRecord) {
  MemberFixture& members = Fixture();
  const std::string self = SubjectOf("MEMBER", kVillage101201);
  const std::string token = TokenOf("MEMBER", kVillage101201);
  const std::string own_commitment = members.commitment_of[members.own];
  for (const std::string process : {"gateway", "membership"}) {
    SCOPED_TRACE(process);
    // Another member of the same village: as if it did not exist, whatever the call.
    for (const auto& [op, target] : std::vector<std::pair<std::string, std::string>>{
             {"MbGet", members.neighbour},
             {"MbEvents", members.neighbour},
             {"DutyGet", members.neighbour},
             {"CmListM", members.neighbour},
             {"CmForm", members.neighbour},
             {"CmGet", members.commitment_of[members.neighbour]},
             {"CmReport", members.commitment_of[members.neighbour]}}) {
      grpc::Status status = Call(OpNamed(op), process, token, target);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
          << op << " on the neighbour's record: " << Short(status.error_code()) << " " << status.error_message();
    }
    // Its own record: readable.
    for (const std::string op : {"MbGet", "MbEvents", "DutyGet", "CmListM", "CmForm"}) {
      grpc::Status status = Call(OpNamed(op), process, token, members.own);
      EXPECT_TRUE(status.ok()) << op << " on its own record: " << Short(status.error_code()) << " "
                               << status.error_message();
    }
    // Its own commitment: status (and evidence) yes, what was pledged no.
    grpc::Status status = Call(OpNamed("CmReport"), process, token, own_commitment);
    EXPECT_TRUE(status.ok()) << "reporting status: " << Short(status.error_code()) << " " << status.error_message();
    {
      grpc::ClientContext context;
      Prepare(context, token);
      mv1::UpdateCommitmentRequest request;
      request.mutable_commitment()->set_commitment_id(own_commitment);
      request.mutable_commitment()->set_target("改成别的承诺");
      request.mutable_update_mask()->add_paths("target");
      mv1::UpdateCommitmentResponse response;
      status = mv1::CommitmentService::NewStub(Channel(process))->UpdateCommitment(&context, request, &response);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << "changing the target of its own commitment: " << Short(status.error_code()) << " "
          << status.error_message();
    }
    // Lists under its village hold its own records only; the secretary's hold the neighbour too.
    for (const auto& [who, list_token] : std::vector<std::pair<std::string, std::string>>{
             {"MEMBER", token}, {"VILLAGE_SECRETARY", TokenOf("VILLAGE_SECRETARY", kVillage101201)}}) {
      grpc::ClientContext context;
      Prepare(context, list_token);
      mv1::ListMembersRequest request;
      request.set_org_code(kVillage101201);
      request.set_page_size(500);
      mv1::ListMembersResponse response;
      status = mv1::MemberService::NewStub(Channel(process))->ListMembers(&context, request, &response);
      ASSERT_TRUE(status.ok()) << who << ": " << status.error_message();
      std::set<std::string> ids;
      for (const mv1::Member& member : response.members()) {
        ids.insert(member.member_id());
        if (who == "MEMBER") {
          EXPECT_EQ(member.user(), self) << member.member_id() << " listed to the member";
        }
      }
      EXPECT_TRUE(ids.contains(members.own)) << who;
      EXPECT_EQ(ids.contains(members.neighbour), who != "MEMBER") << who;
    }
  }
  // Nothing the member was refused changed the commitment's target.
  grpc::ClientContext context;
  Prepare(context, province_admin_);
  mv1::GetCommitmentRequest request;
  request.set_commitment_id(own_commitment);
  mv1::GetCommitmentResponse response;
  grpc::Status status = mv1::CommitmentService::NewStub(Channel("membership"))->GetCommitment(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.commitment().target(), "为本组群众代办事项");
  EXPECT_EQ(response.commitment().status(), mv1::FULFILMENT_STATUS_IN_PROGRESS);
}

// Flips one character of the signature, or swaps in wider claims under the old signature.
std::vector<std::pair<std::string, std::string>> BrokenTokens(const Stack& stack) {
  std::string valid = stack.MintToken("e2e-tampered", {{"TOWN_ADMIN", kTown101}});
  std::string flipped = valid;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  std::string wider = stack.MintToken("e2e-tampered", {{"DISTRICT_ADMIN", "500000000000"}});
  size_t valid_dot = valid.rfind('.');
  size_t wider_dot = wider.rfind('.');
  std::string claims_swapped = wider.substr(0, wider_dot) + valid.substr(valid_dot);
  return {
      {"expired a minute ago",
       stack.MintToken("e2e-expired", {{"DISTRICT_ADMIN", kDistrict}}, absl::Seconds(-60))},
      {"signature altered", flipped},
      {"claims widened, signature kept", claims_swapped},
  };
}

TEST_F(RoleMatrixTest, ExpiredAndTamperedTokensAreUnauthenticatedForEveryRpc) {
  for (const auto& [what, token] : BrokenTokens(*stack_)) {
    for (const Op& op : Ops()) {
      std::string target = TargetFor(op.target, "DISTRICT_ADMIN", kDistrict, /*in_scope=*/true).arg;
      for (const std::string& process : std::set<std::string>{"gateway", op.backend}) {
        grpc::Status status = Call(op, process, token, target);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
            << op.method << " at " << process << " with a token " << what << ": got " << Short(status.error_code())
            << " " << status.error_message();
      }
    }
  }
}

// Issue 8: a method no descriptor declares answers UNIMPLEMENTED, as any gRPC
// server does, with or without credentials.
TEST_F(RoleMatrixTest, AnUndeclaredMethodIsUnimplemented) {
  for (const std::string method : {"/gridserve.membership.v1.OrganizationService/DeleteOrganization",
                                   "/gridserve.membership.v1.MemberService/DropAll",
                                   "/gridserve.gateway.v1.AuthService/Impersonate"}) {
    ASSERT_EQ(FindMethodRule(method), nullptr) << method << " was declared; pick a method that is not";
    for (const std::string& token : {stack_->AdminToken(), std::string()}) {
      grpc::GenericStub stub(Channel("gateway"));
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
      grpc::Slice empty_message("");  // a serialized message with no fields
      grpc::ByteBuffer request(&empty_message, 1), response;
      std::promise<grpc::Status> done;
      stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                     [&done](grpc::Status status) { done.set_value(std::move(status)); });
      grpc::Status status = done.get_future().get();
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
          << method << (token.empty() ? " without a token" : " as district admin") << ": "
          << Short(status.error_code()) << " " << status.error_message();
      EXPECT_TRUE(absl::StrContains(status.error_message(), "server reflection")) << status.error_message();
    }
  }
}

// Every method the gateway serves is in the matrix, or knowingly left to
// another test: a new RPC cannot be exposed without its row here.
TEST_F(RoleMatrixTest, EveryServedMethodIsInTheMatrix) {
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(Channel("gateway"));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  auto stream = stub->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("*");
  ASSERT_TRUE(stream->Write(request));
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> services;
  for (const auto& service : response.list_services_response().service()) {
    if (absl::StartsWith(service.name(), "gridserve.")) services.push_back(service.name());
  }
  ASSERT_FALSE(services.empty());
  std::set<std::string> in_matrix;
  for (const Op& op : Ops()) in_matrix.insert(op.method);
  std::vector<std::string> missing;
  for (const std::string& service : services) {
    request.set_file_containing_symbol(service);
    ASSERT_TRUE(stream->Write(request));
    ASSERT_TRUE(stream->Read(&response));
    ASSERT_TRUE(response.has_file_descriptor_response()) << service << ": " << response.error_response().error_message();
    bool found = false;
    for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto file;
      ASSERT_TRUE(file.ParseFromString(bytes));
      for (const auto& declared : file.service()) {
        if (absl::StrCat(file.package(), ".", declared.name()) != service) continue;
        found = true;
        for (const auto& method : declared.method()) {
          std::string full = absl::StrCat("/", service, "/", method.name());
          if (in_matrix.contains(full) || CoveredElsewhere().contains(full) ||
              ServicesPendingInMatrix().contains(service)) {
            continue;
          }
          missing.push_back(full);
        }
      }
    }
    EXPECT_TRUE(found) << "no descriptor for " << service;
  }
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_TRUE(missing.empty()) << "served through the gateway but not in the role matrix (add an Op with its targets "
                                  "to Ops() in this file): "
                               << absl::StrJoin(missing, ", ");
}

}  // namespace
}  // namespace gridserve
