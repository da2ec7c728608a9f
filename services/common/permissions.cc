#include "common/permissions.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/division.h"

namespace gridserve {
namespace {

using P = Permission;

// Roles, most powerful first, and what each may do. Scope limits all of it.
const std::vector<std::pair<std::string, std::set<Permission>>>& RoleTable() {
  static const auto* table = new std::vector<std::pair<std::string, std::set<Permission>>>{
      {"DISTRICT_ADMIN",
       {P::kSelf, P::kOrgRead, P::kOrgWrite, P::kPolicyRead, P::kPolicyWrite, P::kMemberRead, P::kMemberWrite,
        P::kPledgeReport, P::kPiiRead, P::kAccountRead, P::kAccountWrite}},
      {"TOWN_ADMIN",
       {P::kSelf, P::kOrgRead, P::kOrgWrite, P::kPolicyRead, P::kPolicyWrite, P::kMemberRead, P::kMemberWrite,
        P::kPledgeReport, P::kPiiRead, P::kAccountRead, P::kAccountWrite}},
      {"AUDITOR", {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead, P::kAccountRead, P::kAuditRead}},
      {"SYSTEM_WRITER", {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead, P::kMemberWrite, P::kPledgeReport}},
      {"SYSTEM_READER", {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead}},
      {"VILLAGE_SECRETARY",
       {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead, P::kMemberWrite, P::kPledgeReport, P::kPiiRead, P::kAccountRead,
        P::kAccountWrite}},
      {"GRID_LEADER", {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead}},
      {"MEMBER", {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead, P::kPledgeReport}},
      {"RATER", {P::kSelf, P::kRatingWrite}},
  };
  return *table;
}

// The declared table: every public method and what it needs.
const std::map<std::string, MethodRule, std::less<>>& MethodTable() {
  static const auto* table = new std::map<std::string, MethodRule, std::less<>>{
      // Infrastructure.
      {"/grpc.health.v1.Health/Check", {P::kPublic, AuditKind::kNone, ""}},
      {"/grpc.health.v1.Health/Watch", {P::kPublic, AuditKind::kNone, ""}},
      {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", {P::kPublic, AuditKind::kNone, ""}},
      // Gateway: sessions, accounts, audit.
      {"/gridserve.gateway.v1.AuthService/Login", {P::kPublic, AuditKind::kLogin, "login_name"}},
      {"/gridserve.gateway.v1.AuthService/Refresh", {P::kPublic, AuditKind::kNone, ""}},
      {"/gridserve.gateway.v1.AuthService/Logout", {P::kSelf, AuditKind::kWrite, ""}},
      {"/gridserve.gateway.v1.AuthService/WhoAmI", {P::kSelf, AuditKind::kNone, ""}},
      {"/gridserve.gateway.v1.AccountService/CreateUser", {P::kAccountWrite, AuditKind::kWrite, "user.org_code"}},
      {"/gridserve.gateway.v1.AccountService/GetUser", {P::kAccountRead, AuditKind::kPersonalDataRead, "user_id"}},
      {"/gridserve.gateway.v1.AccountService/ListUsers",
       {P::kAccountRead, AuditKind::kPersonalDataRead, "org_code"}},
      {"/gridserve.gateway.v1.AccountService/UpdateUser", {P::kAccountWrite, AuditKind::kWrite, "user.user_id"}},
      {"/gridserve.gateway.v1.AccountService/SetPassword", {P::kSelf, AuditKind::kWrite, "user_id"}},
      {"/gridserve.gateway.v1.AccountService/GrantRole", {P::kAccountWrite, AuditKind::kWrite, "binding.org_scope"}},
      {"/gridserve.gateway.v1.AccountService/RevokeRole", {P::kAccountWrite, AuditKind::kWrite, "binding.org_scope"}},
      {"/gridserve.gateway.v1.AuditService/ListAuditEntries", {P::kAuditRead, AuditKind::kNone, ""}},
      {"/gridserve.gateway.v1.AuditService/VerifyAuditChain", {P::kAuditRead, AuditKind::kNone, ""}},
      // Membership: the organisation tree.
      {"/gridserve.membership.v1.OrganizationService/CreateOrganization",
       {P::kOrgWrite, AuditKind::kWrite, "organization.code"}},
      {"/gridserve.membership.v1.OrganizationService/GetOrganization", {P::kOrgRead, AuditKind::kNone, "code"}},
      {"/gridserve.membership.v1.OrganizationService/ListOrganizations",
       {P::kOrgRead, AuditKind::kNone, "parent_code"}},
      {"/gridserve.membership.v1.OrganizationService/UpdateOrganization",
       {P::kOrgWrite, AuditKind::kWrite, "organization.code"}},
      // Membership: the register of members (R1-R3).
      {"/gridserve.membership.v1.MemberService/CreateMember", {P::kMemberWrite, AuditKind::kWrite, "member.branch_code"}},
      {"/gridserve.membership.v1.MemberService/GetMember", {P::kMemberRead, AuditKind::kPersonalDataRead, "member_id"}},
      {"/gridserve.membership.v1.MemberService/ListMembers",
       {P::kMemberRead, AuditKind::kPersonalDataRead, "org_code"}},
      {"/gridserve.membership.v1.MemberService/UpdateMember",
       {P::kMemberWrite, AuditKind::kWrite, "member.member_id"}},
      {"/gridserve.membership.v1.MemberService/TransferMember", {P::kMemberWrite, AuditKind::kWrite, "member_id"}},
      {"/gridserve.membership.v1.MemberService/EndMembership", {P::kMemberWrite, AuditKind::kWrite, "member_id"}},
      {"/gridserve.membership.v1.MemberService/ListMemberEvents",
       {P::kMemberRead, AuditKind::kPersonalDataRead, "member_id"}},
      {"/gridserve.membership.v1.MemberService/ImportMembers", {P::kMemberWrite, AuditKind::kWrite, "header.org_code"}},
      {"/gridserve.membership.v1.DutyService/ListDutyAreas", {P::kPolicyRead, AuditKind::kNone, "town_code"}},
      {"/gridserve.membership.v1.DutyService/UpdateDutyAreas", {P::kPolicyWrite, AuditKind::kWrite, "town_code"}},
      {"/gridserve.membership.v1.DutyService/SetMemberDuties",
       {P::kMemberWrite, AuditKind::kWrite, "duties.member_id"}},
      {"/gridserve.membership.v1.DutyService/GetMemberDuties", {P::kMemberRead, AuditKind::kNone, "member_id"}},
      {"/gridserve.membership.v1.DutyService/ListMemberDuties",
       {P::kMemberRead, AuditKind::kPersonalDataRead, "org_code"}},
      {"/gridserve.membership.v1.CommitmentService/CreateCommitment",
       {P::kMemberWrite, AuditKind::kWrite, "commitment.member_id"}},
      {"/gridserve.membership.v1.CommitmentService/GetCommitment",
       {P::kMemberRead, AuditKind::kNone, "commitment_id"}},
      {"/gridserve.membership.v1.CommitmentService/ListCommitments",
       {P::kMemberRead, AuditKind::kNone, "org_code"}},
      {"/gridserve.membership.v1.CommitmentService/UpdateCommitment",
       {P::kPledgeReport, AuditKind::kWrite, "commitment.commitment_id"}},
      {"/gridserve.membership.v1.CommitmentService/DeleteCommitment",
       {P::kMemberWrite, AuditKind::kWrite, "commitment_id"}},
      {"/gridserve.membership.v1.CommitmentService/GetCommitmentForm",
       {P::kMemberRead, AuditKind::kPersonalDataRead, "member_id"}},
      {"/gridserve.membership.v1.MemberReportService/ListMembersMissingPledges",
       {P::kMemberRead, AuditKind::kPersonalDataRead, "org_code"}},
      {"/gridserve.membership.v1.MemberReportService/CountMembersByBranch",
       {P::kMemberRead, AuditKind::kNone, "org_code"}},
      // Town policies.
      {"/gridserve.grid_assignment.v1.GridPolicyService/GetGridPolicy",
       {P::kPolicyRead, AuditKind::kNone, "town_code"}},
      {"/gridserve.activity_tracking.v1.ActivityPolicyService/GetActivityPolicy",
       {P::kPolicyRead, AuditKind::kNone, "town_code"}},
      {"/gridserve.evaluation.v1.EvaluationPolicyService/GetEvaluationPolicy",
       {P::kPolicyRead, AuditKind::kNone, "town_code"}},
  };
  return *table;
}

bool Grants(const RoleBinding& binding, Permission permission) { return RoleGrants(binding.role, permission); }

absl::Status Denied(const Principal& caller, Permission permission, absl::string_view code, absl::string_view field) {
  std::vector<std::string> held;
  for (const RoleBinding& binding : caller.bindings) held.push_back(absl::StrCat(binding.role, "@", binding.org_scope));
  return absl::PermissionDeniedError(absl::StrCat(
      "no role of yours grants ", PermissionName(permission), " over ", field, " ", code, " (you hold ",
      held.empty() ? "no roles" : absl::StrJoin(held, ", "),
      "); act inside your org scope or ask an administrator of that organisation"));
}

}  // namespace

absl::string_view PermissionName(Permission permission) {
  switch (permission) {
    case P::kPublic: return "PUBLIC";
    case P::kSelf: return "SELF";
    case P::kOrgRead: return "ORG_READ";
    case P::kOrgWrite: return "ORG_WRITE";
    case P::kPolicyRead: return "POLICY_READ";
    case P::kPolicyWrite: return "POLICY_WRITE";
    case P::kMemberRead: return "MEMBER_READ";
    case P::kMemberWrite: return "MEMBER_WRITE";
    case P::kPledgeReport: return "PLEDGE_REPORT";
    case P::kPiiRead: return "PII_READ";
    case P::kRatingWrite: return "RATING_WRITE";
    case P::kAccountRead: return "ACCOUNT_READ";
    case P::kAccountWrite: return "ACCOUNT_WRITE";
    case P::kAuditRead: return "AUDIT_READ";
  }
  return "UNKNOWN";
}

const std::vector<std::string>& AllRoles() {
  static const auto* roles = [] {
    auto* names = new std::vector<std::string>;
    for (const auto& [role, permissions] : RoleTable()) names->push_back(role);
    return names;
  }();
  return *roles;
}

bool IsKnownRole(absl::string_view role) { return RoleRank(role) >= 0; }

int RoleRank(absl::string_view role) {
  const auto& roles = AllRoles();
  auto it = std::find(roles.begin(), roles.end(), role);
  return it == roles.end() ? -1 : static_cast<int>(it - roles.begin());
}

bool RoleGrants(absl::string_view role, Permission permission) {
  if (permission == P::kPublic) return true;
  for (const auto& [name, permissions] : RoleTable()) {
    if (name == role) return permissions.contains(permission);
  }
  return false;
}

std::string BindingScopeProblem(absl::string_view role, absl::string_view scope) {
  using L = DivisionLevel;
  static const auto* levels = new std::map<std::string, std::set<L>, std::less<>>{
      {"DISTRICT_ADMIN", {L::kCounty}},
      {"TOWN_ADMIN", {L::kTown}},
      {"AUDITOR", {L::kCounty, L::kTown}},
      {"SYSTEM_WRITER", {L::kCounty, L::kTown, L::kVillage}},
      {"SYSTEM_READER", {L::kCounty, L::kTown, L::kVillage}},
      {"VILLAGE_SECRETARY", {L::kVillage}},
      {"GRID_LEADER", {L::kVillage}},
      {"MEMBER", {L::kVillage}},
      {"RATER", {L::kVillage}},
  };
  auto fits = levels->find(role);
  if (fits == levels->end()) return absl::StrCat("role ", role, " is unknown");
  if (!IsDivisionCode(scope)) return "must be a 12-digit division code, e.g. 500114101000";
  if (fits->second.contains(LevelOf(scope))) return "";
  std::vector<std::string> names;
  for (L level : fits->second) {
    names.push_back(level == L::kCounty ? "a district (e.g. 500114000000)"
                    : level == L::kTown ? "a town (e.g. 500114101000)"
                                        : "a village or community (e.g. 500114101201)");
  }
  return absl::StrCat(role, " applies to ", absl::StrJoin(names, " or "), "; ", scope, " is not one");
}

const MethodRule* FindMethodRule(absl::string_view method) {
  auto it = MethodTable().find(method);
  return it == MethodTable().end() ? nullptr : &it->second;
}

std::vector<std::string> MethodsWithRules() {
  std::vector<std::string> methods;
  for (const auto& [method, rule] : MethodTable()) methods.push_back(method);
  return methods;
}

bool HasPermission(const Principal& caller, Permission permission) {
  if (permission == P::kPublic) return true;
  return std::any_of(caller.bindings.begin(), caller.bindings.end(),
                     [&](const RoleBinding& binding) { return Grants(binding, permission); });
}

absl::Status RequirePermission(const Principal& caller, Permission permission, absl::string_view action) {
  if (HasPermission(caller, permission)) return absl::OkStatus();
  std::vector<std::string> roles;
  for (const RoleBinding& binding : caller.bindings) roles.push_back(binding.role);
  return absl::PermissionDeniedError(absl::StrCat(action, " needs permission ", PermissionName(permission),
                                                  ", which none of your roles (",
                                                  roles.empty() ? "none" : absl::StrJoin(roles, ", "), ") grants"));
}

absl::Status RequirePermissionAt(const Principal& caller, Permission permission, absl::string_view code,
                                 absl::string_view field) {
  for (const RoleBinding& binding : caller.bindings) {
    if (Grants(binding, permission) && ScopeCovers(binding.org_scope, code)) return absl::OkStatus();
  }
  return Denied(caller, permission, code, field);
}

absl::Status RequirePermissionAtOrAbove(const Principal& caller, Permission permission, absl::string_view code,
                                        absl::string_view field) {
  for (const RoleBinding& binding : caller.bindings) {
    if (Grants(binding, permission) &&
        (ScopeCovers(binding.org_scope, code) || ScopeCovers(code, binding.org_scope))) {
      return absl::OkStatus();
    }
  }
  return Denied(caller, permission, code, field);
}

}  // namespace gridserve
