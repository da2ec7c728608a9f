#include "membership/pledges/pledge_common.h"

#include "common/status_macros.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/division.h"

namespace gridserve::membership {
namespace {

constexpr char kCursorSeparator = '\x1f';  // ASCII unit separator: never in names or codes

}  // namespace

void CheckPledgeYear(int year, absl::Time now, const std::string& field, std::vector<FieldViolation>& violations) {
  const int next_year = static_cast<int>(absl::ToCivilYear(now, ProgrammeTimeZone()).year()) + 1;
  if (year < kFirstPledgeYear || year > next_year) {
    violations.push_back({field, absl::StrCat("must be a year from ", kFirstPledgeYear, " to ", next_year,
                                              " (next year at the latest), e.g. ", next_year - 1)});
  }
}

MemberOwner OwnerOf(const Member& member) {
  return {.member_id = member.member_id, .branch_code = member.branch_code, .user = member.user};
}

absl::Status MemberNotFound(const std::string& member_id) {
  return absl::NotFoundError(
      absl::StrCat("no member ", member_id, " in your scope; check the id or ask the branch that holds the record"));
}

absl::StatusOr<Member> ReachableMember(absl::StatusOr<Member> found, const Principal& caller, Permission permission,
                                       const std::string& member_id) {
  if (absl::IsNotFound(found.status())) return MemberNotFound(member_id);
  if (!found.ok()) return found.status();
  RETURN_IF_ERROR(RequireMemberAccess(caller, permission, OwnerOf(*found)));
  return found;
}

std::optional<std::string> ListUserFilter(const MemberListScope& scope) {
  if (!scope.self_only) return std::string();
  if (scope.self_user.empty()) return std::nullopt;
  return scope.self_user;
}

std::string EncodeCursor(const std::vector<std::string>& parts) {
  return absl::WebSafeBase64Escape(absl::StrJoin(parts, std::string(1, kCursorSeparator)));
}

std::optional<std::vector<std::string>> DecodeCursor(absl::string_view cursor, size_t part_count) {
  std::string joined;
  if (!absl::WebSafeBase64Unescape(cursor, &joined)) return std::nullopt;
  std::vector<std::string> parts = absl::StrSplit(joined, kCursorSeparator);
  if (parts.size() != part_count) return std::nullopt;
  return parts;
}

}  // namespace gridserve::membership
