#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/token.h"

namespace gridserve {

// What a call may do. Roles grant permissions (RoleGrants); every public
// method declares the one it requires in its proto (common/method_rules.h);
// a role binding's org scope limits where the permission applies
// (RequirePermissionAt). The values are those of gridserve.api.v1.Permission.
enum class Permission {
  kPublic,        // no credentials needed (login, health, reflection)
  kSelf,          // any authenticated principal, about itself (WhoAmI, Logout)
  kOrgRead,       // the organisation tree
  kOrgWrite,
  kPolicyRead,    // per-town programme policy values
  kPolicyWrite,
  kMemberRead,    // party members (personal data is masked without kPiiRead)
  kMemberWrite,
  kPledgeReport,  // report fulfilment (status, evidence) of one's own commitments
  kPiiRead,       // unmasked phone numbers and residents' names
  kRatingWrite,   // residents' ratings (RATER)
  kAccountRead,   // user accounts and role bindings
  kAccountWrite,
  kAuditRead,     // the audit log
};

absl::string_view PermissionName(Permission permission);

// The roles of DESIGN.md §1, as carried in tokens, most powerful first.
const std::vector<std::string>& AllRoles();
bool IsKnownRole(absl::string_view role);
// Rank for "never grant above your own role": lower is more powerful.
int RoleRank(absl::string_view role);
bool RoleGrants(absl::string_view role, Permission permission);
// "" when a binding of `role` may have `scope` (a valid division code) as its
// org scope, else why not: administrators, secretaries and the roles of one
// village each fit one level (DISTRICT_ADMIN a district, TOWN_ADMIN a town,
// VILLAGE_SECRETARY / GRID_LEADER / MEMBER / RATER a village or community),
// AUDITOR a district or a town, SYSTEM_* a district, town or village. No role
// is ever bound to a province or city.
std::string BindingScopeProblem(absl::string_view role, absl::string_view scope);

// Function level: some binding of the caller grants `permission`.
bool HasPermission(const Principal& caller, Permission permission);
// PERMISSION_DENIED unless the caller has `permission` at all; `action` names the call.
absl::Status RequirePermission(const Principal& caller, Permission permission, absl::string_view action);

// Object level: PERMISSION_DENIED unless some binding grants `permission`
// over a scope that covers `code` (the value of request field `field`).
absl::Status RequirePermissionAt(const Principal& caller, Permission permission, absl::string_view code,
                                 absl::string_view field);

// Like RequirePermissionAt, but the organisations above a binding's scope
// (its town, its district) count too: for data that is not personal, such as
// the organisation tree and town policies, which a village works under.
absl::Status RequirePermissionAtOrAbove(const Principal& caller, Permission permission, absl::string_view code,
                                        absl::string_view field);

}  // namespace gridserve
