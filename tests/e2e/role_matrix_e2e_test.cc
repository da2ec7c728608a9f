// Who may do what, end to end: every role of common/permissions.cc against
// every RPC the suite serves, each with a target inside and a target outside
// the role's org scope, through the gateway and straight to the backends.
//
// The expected outcome of each (role, RPC, target) is DERIVED from the
// declared tables (FindMethodRule(method)->permission, RoleGrants(role,
// permission)) and the RPC's scope rule, so the test follows the table; a
// short hard-coded list (SanityExpectationsHoldWhateverTheTableSays) catches a
// broken table. Allowed calls must answer OK, denied ones PERMISSION_DENIED
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
// Scope rules, as the issue states them: a write needs a binding whose scope
// covers the code; reads of the tree and of town policies also allow the
// organisations above the scope (a village works under its town's policy).
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
#include "absl/time/clock.h"
#include "common/permissions.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gridserve/activity_tracking/v1/activity_policy.grpc.pb.h"
#include "gridserve/evaluation/v1/evaluation_policy.grpc.pb.h"
#include "gridserve/gateway/v1/auth.grpc.pb.h"
#include "gridserve/grid_assignment/v1/grid_policy.grpc.pb.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tools/devstack/stack.h"

namespace gridserve {
namespace {

namespace org = membership::v1;
using devstack::Stack;

constexpr char kDistrict[] = "500114000000";
constexpr char kTown101[] = "500114101000";
constexpr char kTown102[] = "500114102000";
constexpr char kVillage101201[] = "500114101201";
constexpr char kVillage102201[] = "500114102201";
// Another district, so that a district-wide binding has an outside that exists.
constexpr char kOtherDistrict[] = "500115000000";
constexpr char kOtherDistrictTown[] = "500115101000";

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

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
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
  kCovered,         // a binding's scope must cover the target (writes)
  kCoveredOrAbove,  // ... or lie under it (reads of the tree and of town policies)
  kSelf,            // about the caller itself
};
enum class Target { kOrganization, kNewChild, kTownPolicy, kNone };

struct Op {
  std::string name;     // column title
  std::string method;   // full gRPC method name
  std::string backend;  // process that serves it ("gateway" for its own services)
  ScopeRule scope_rule;
  Target target;
  std::function<grpc::Status(const std::shared_ptr<grpc::Channel>&, grpc::ClientContext&, const std::string&)> call;
};

int rename_counter = 0;

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
      // Member records need member targets and the MEMBER self-only rule in
      // the matrix; until then tests/e2e/member_e2e_test.cc covers their scope.
      "gridserve.membership.v1.MemberService",
      // Duties, commitments and reports hang off member records: the same reason.
      "gridserve.membership.v1.DutyService",
      "gridserve.membership.v1.CommitmentService",
      "gridserve.membership.v1.MemberReportService",
  };
  return *services;
}

// `target` of `kind` for a binding over `scope`; "" when there is none.
// `existed` tells whether the target was there before the call.
std::string TargetFor(Target kind, const std::string& scope, bool in_scope, bool* existed) {
  *existed = true;
  switch (kind) {
    case Target::kOrganization: return in_scope ? scope : SiblingOf(scope);
    case Target::kNewChild: {
      if (in_scope && LevelLength(scope) == 12) return scope;  // a village has no children
      std::string parent = in_scope ? scope : (LevelLength(scope) == 12 ? kTown102 : SiblingOf(scope));
      *existed = false;
      return FreshChildOf(parent);
    }
    case Target::kTownPolicy:
      if (scope == kDistrict) return in_scope ? kTown101 : kOtherDistrictTown;
      return in_scope ? kTown101 : kTown102;
    case Target::kNone: return "";
  }
  return "";
}

// The expectation, from the declared tables and the RPC's scope rule.
bool ExpectAllowed(const std::string& role, const std::string& scope, const Op& op, const std::string& target) {
  const MethodRule* rule = FindMethodRule(op.method);
  if (rule == nullptr) return false;  // undeclared methods are refused
  if (!RoleGrants(role, rule->permission)) return false;
  switch (op.scope_rule) {
    case ScopeRule::kCovered: return Covers(scope, target);
    case ScopeRule::kCoveredOrAbove: return Covers(scope, target) || Covers(target, scope);
    case ScopeRule::kSelf: return true;
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
    state_dir_ = std::filesystem::temp_directory_path() / ("gridserve-role-matrix-" + std::to_string(getpid()));
    auto stack = Stack::Start({.state_dir = state_dir_,
                               .build_dir = Env("GRIDSERVE_BUILD_DIR"),
                               .source_dir = Env("GRIDSERVE_SOURCE_DIR")});
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
                                                          {kOtherDistrict, province_admin},
                                                          {kOtherDistrictTown, province_admin}}) {
      grpc::ClientContext context;
      Prepare(context, token);
      grpc::Status status = Ops()[0].call(Channel("gateway"), context, code);
      ASSERT_TRUE(status.ok()) << "seeding " << code << ": " << Short(status.error_code()) << " " << status.error_message();
    }
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
    channels_.clear();
    std::filesystem::remove_all(state_dir_);
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
    return stack_->MintToken(absl::StrCat("e2e-", role, "@", scope), {{role, scope}});
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
          bool existed = true;
          std::string target = TargetFor(op->target, scope, in_scope, &existed);
          if (!in_scope && op->target == Target::kNone) {
            absl::StrAppend(&cell, "/-");
            continue;
          }
          bool allowed = ExpectAllowed(role, scope, *op, op->target == Target::kNone ? scope : target);
          grpc::Status status = Call(*op, through_gateway ? "gateway" : op->backend, token, target);
          ++calls;
          grpc::StatusCode code = status.error_code();
          bool as_expected =
              allowed ? (code == grpc::StatusCode::OK || (existed && code == grpc::StatusCode::ALREADY_EXISTS))
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
    std::cout << "role matrix " << via << " (" << calls << " calls; OK allowed, PD PERMISSION_DENIED, NF NOT_FOUND, "
              << "AE ALREADY_EXISTS, ! = not what the tables say):\n"
              << matrix.str();
    EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " calls " << via
                                    << " did not answer what the permission tables say:\n  "
                                    << absl::StrJoin(mismatches, "\n  ") << "\n\n"
                                    << matrix.str();
  }

  static inline std::string state_dir_;
  static inline Stack* stack_ = nullptr;
  static inline std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

// The test's view of each RPC agrees with the declared table: every op has a
// rule, writes (audited as writes) use the "scope covers the code" rule, SELF
// calls have no target.
TEST_F(RoleMatrixTest, EveryOpIsDeclaredWithAMatchingScopeRule) {
  for (const Op& op : Ops()) {
    const MethodRule* rule = FindMethodRule(op.method);
    ASSERT_NE(rule, nullptr) << op.method << " is served but not in the permission table";
    EXPECT_NE(rule->permission, Permission::kPublic) << op.method;
    if (rule->audit == AuditKind::kWrite) {
      EXPECT_EQ(op.scope_rule, ScopeRule::kCovered) << op.method;
    }
    EXPECT_EQ(rule->permission == Permission::kSelf, op.scope_rule == ScopeRule::kSelf) << op.method;
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
      bool existed;
      std::string target = TargetFor(op.target, kDistrict, /*in_scope=*/true, &existed);
      for (const std::string& process : std::set<std::string>{"gateway", op.backend}) {
        grpc::Status status = Call(op, process, token, target);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
            << op.method << " at " << process << " with a token " << what << ": got " << Short(status.error_code())
            << " " << status.error_message();
      }
    }
  }
}

TEST_F(RoleMatrixTest, AMethodMissingFromThePermissionTableIsRefused) {
  for (const std::string method : {"/gridserve.membership.v1.OrganizationService/DeleteOrganization",
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
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << method << (token.empty() ? " without a token" : " as district admin") << ": "
          << Short(status.error_code()) << " " << status.error_message();
      EXPECT_TRUE(absl::StrContains(status.error_message(), "permission table")) << status.error_message();
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
