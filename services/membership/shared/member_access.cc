#include "membership/shared/member_access.h"

#include "absl/strings/str_cat.h"
#include "common/division.h"
#include "common/pii.h"

namespace gridserve::membership {
namespace {

constexpr char kMemberRole[] = "MEMBER";

bool OwnRecord(const Principal& caller, const MemberOwner& owner) {
  return !owner.user.empty() && owner.user == caller.subject;
}

}  // namespace

absl::Status RequireMemberAccess(const Principal& caller, Permission permission, const MemberOwner& owner) {
  if (absl::Status allowed = RequirePermission(caller, permission, "this call"); !allowed.ok()) return allowed;
  for (const RoleBinding& binding : caller.bindings) {
    if (!RoleGrants(binding.role, permission) || !ScopeCovers(binding.org_scope, owner.branch_code)) continue;
    if (binding.role != kMemberRole || OwnRecord(caller, owner)) return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("no member ", owner.member_id,
                                          " in your scope; check the id or ask the branch that holds the record"));
}

bool MaySeeMemberPersonalData(const Principal& caller, const MemberOwner& owner) {
  return OwnRecord(caller, owner) || MayReadPersonalData(caller, owner.branch_code);
}

absl::StatusOr<MemberListScope> MemberListScopeFor(const Principal& caller, Permission permission,
                                                   const std::string& org_code, const std::string& field) {
  bool through_member_binding = false;
  for (const RoleBinding& binding : caller.bindings) {
    if (!RoleGrants(binding.role, permission) || !ScopeCovers(binding.org_scope, org_code)) continue;
    if (binding.role != kMemberRole) return MemberListScope{};
    through_member_binding = true;
  }
  if (through_member_binding) return MemberListScope{.self_only = true, .self_user = caller.subject};
  absl::Status denied = RequirePermissionAt(caller, permission, org_code, field);
  return denied.ok() ? absl::InternalError("member list scope: a covering binding was missed") : denied;
}

}  // namespace gridserve::membership
