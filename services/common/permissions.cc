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

using L = DivisionLevel;

// One role: what it may do, and the levels of organisation a binding of it
// may have as its scope.
struct Role {
  std::string name;
  std::set<Permission> permissions;
  std::set<DivisionLevel> scope_levels;
};

// The one role table, most powerful first. Scope limits all of it. No role
// is ever bound to a province or city.
const std::vector<Role>& RoleTable() {
  static const auto* table = new std::vector<Role>{
      {"DISTRICT_ADMIN",
       {P::kSelf, P::kOrgRead, P::kOrgWrite, P::kPolicyRead, P::kPolicyWrite, P::kMemberRead, P::kMemberWrite,
        P::kPledgeReport, P::kPiiRead, P::kAccountRead, P::kAccountWrite},
       {L::kCounty}},
      {"TOWN_ADMIN",
       {P::kSelf, P::kOrgRead, P::kOrgWrite, P::kPolicyRead, P::kPolicyWrite, P::kMemberRead, P::kMemberWrite,
        P::kPledgeReport, P::kPiiRead, P::kAccountRead, P::kAccountWrite},
       {L::kTown}},
      {"AUDITOR", {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead, P::kAccountRead, P::kAuditRead},
       {L::kCounty, L::kTown}},
      {"SYSTEM_WRITER", {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead, P::kMemberWrite, P::kPledgeReport},
       {L::kCounty, L::kTown, L::kVillage}},
      {"SYSTEM_READER", {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead}, {L::kCounty, L::kTown, L::kVillage}},
      {"VILLAGE_SECRETARY",
       {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead, P::kMemberWrite, P::kPledgeReport, P::kPiiRead,
        P::kAccountRead, P::kAccountWrite},
       {L::kVillage}},
      {"GRID_LEADER", {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead}, {L::kVillage}},
      {"MEMBER", {P::kSelf, P::kOrgRead, P::kPolicyRead, P::kMemberRead, P::kPledgeReport}, {L::kVillage}},
      {"RATER", {P::kSelf, P::kRatingWrite}, {L::kVillage}},
  };
  return *table;
}

const Role* FindRole(absl::string_view name) {
  for (const Role& role : RoleTable()) {
    if (role.name == name) return &role;
  }
  return nullptr;
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
    for (const Role& role : RoleTable()) names->push_back(role.name);
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
  const Role* found = FindRole(role);
  return found != nullptr && found->permissions.contains(permission);
}

std::string BindingScopeProblem(absl::string_view role, absl::string_view scope) {
  const Role* fits = FindRole(role);
  if (fits == nullptr) return absl::StrCat("role ", role, " is unknown");
  if (!IsDivisionCode(scope)) return "must be a 12-digit division code, e.g. 500114101000";
  if (fits->scope_levels.contains(LevelOf(scope))) return "";
  std::vector<std::string> names;
  for (L level : fits->scope_levels) {
    names.push_back(level == L::kCounty ? "a district (e.g. 500114000000)"
                    : level == L::kTown ? "a town (e.g. 500114101000)"
                                        : "a village or community (e.g. 500114101201)");
  }
  return absl::StrCat(role, " applies to ", absl::StrJoin(names, " or "), "; ", scope, " is not one");
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
