#pragma once

// Helpers shared by the rules of duties, commitments and the member reports
// (亮职责, 亮承诺; clause 二(一)): ids, years, subtrees and list positions.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/division.h"  // CodeRange, SubtreeOf, TownOf
#include "absl/time/time.h"
#include "common/errors.h"
#include "common/utf8.h"
#include "membership/shared/field_checks.h"
#include "membership/shared/member.h"
#include "membership/shared/member_access.h"

namespace gridserve::membership {

// The programme runs on China Standard Time (UTC+8, no DST): "this year" and
// "today" are decided there, not on the server's clock zone.

// The earliest year duties and commitments can be recorded for; the latest is
// next year (commitments are signed ahead of the year they are for).
inline constexpr int kFirstPledgeYear = 2000;

// Adds the violation of `year` (outside kFirstPledgeYear..next year), if any.
void CheckPledgeYear(int year, absl::Time now, const std::string& field, std::vector<FieldViolation>& violations);


// Whose record a member is, for RequireMemberAccess.
MemberOwner OwnerOf(const Member& member);

// NOT_FOUND for a member id that does not exist; the same message as
// RequireMemberAccess gives for one out of scope, so a caller cannot tell them apart.
absl::Status MemberNotFound(const std::string& member_id);

// `found` (a store's lookup of `member_id`) when the caller may act on that
// member with `permission`; NOT_FOUND alike for a missing member and one
// outside the caller's reach.
absl::StatusOr<Member> ReachableMember(absl::StatusOr<Member> found, const Principal& caller, Permission permission,
                                       const std::string& member_id);

// The user a list is limited to: "" for no limit, the caller's own user for
// a caller reaching the subtree only as a MEMBER; nullopt when such a caller
// has no subject (nothing may be listed then: "" would mean everyone).
std::optional<std::string> ListUserFilter(const MemberListScope& scope);

// Where a list ordered by branch, member name and member id stopped.
struct MemberKey {
  std::string branch_code;
  std::string full_name;
  std::string member_id;
};

// A list position as page-token cursor: the parts, base64url-encoded (so the
// cursor never holds the ':' that EncodePageToken uses as separator).
std::string EncodeCursor(const std::vector<std::string>& parts);
// The parts of a cursor, or nullopt unless it has exactly `part_count` parts.
std::optional<std::vector<std::string>> DecodeCursor(absl::string_view cursor, size_t part_count);

}  // namespace gridserve::membership
