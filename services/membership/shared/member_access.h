#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/permissions.h"
#include "common/token.h"

namespace gridserve::membership {

// Who may touch a member's record (and the duties and commitments hanging
// off it): a binding granting the permission over a scope covering the
// member's branch — and, for a MEMBER binding, only the member's own record
// (the record's user is the caller's subject).
struct MemberOwner {
  std::string member_id;
  std::string branch_code;
  std::string user;  // "users/{id}" or ""
};

// OK, or NOT_FOUND ("no member <id> in your scope") so that ids outside the
// caller's reach do not reveal whether they exist.
absl::Status RequireMemberAccess(const Principal& caller, Permission permission, const MemberOwner& owner);

// True when the caller may see the member's phone and national id tail in
// full: PII_READ over the branch, or the member's own record.
bool MaySeeMemberPersonalData(const Principal& caller, const MemberOwner& owner);

// What a list under `org_code` may return for the caller with `permission`:
// PERMISSION_DENIED when no binding reaches into org_code at all. When
// `self_only` is set, the caller reaches the subtree only through MEMBER
// bindings and the list must be limited to records whose user is `self_user`.
struct MemberListScope {
  bool self_only = false;
  std::string self_user;
};
absl::StatusOr<MemberListScope> MemberListScopeFor(const Principal& caller, Permission permission,
                                                   const std::string& org_code, const std::string& field);

}  // namespace gridserve::membership
