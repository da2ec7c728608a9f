#include "membership/pledges/member_reports.h"

#include "absl/strings/str_cat.h"
#include "common/division.h"
#include "common/paging.h"
#include "common/permissions.h"
#include "common/status_macros.h"
#include "membership/shared/member_access.h"

namespace gridserve::membership {
namespace {

bool IsMemberKeyCursor(absl::string_view cursor) {
  std::optional<std::vector<std::string>> parts = DecodeCursor(cursor, 3);
  return parts.has_value() && IsUuid((*parts)[2]);
}

// The request fields both reports share.
absl::Status CheckReportRequest(const std::string& org_code, int year, int page_size, absl::Time now) {
  std::vector<FieldViolation> violations;
  if (!IsDivisionCode(org_code)) {
    violations.push_back({"org_code", "must be a 12-digit division code, e.g. 500114101000 for a town"});
  }
  CheckPledgeYear(year, now, "year", violations);
  CheckPageSize(page_size, violations);
  return violations.empty() ? absl::OkStatus() : InvalidArgument(violations);
}

}  // namespace

absl::StatusOr<MembersMissingPledgesPage> MemberReports::ListMembersMissingPledges(
    const Principal& caller, const std::string& org_code, int year, int page_size, const std::string& page_token,
    absl::Time deadline) {
  RETURN_IF_ERROR(CheckReportRequest(org_code, year, page_size, now_()));
  ASSIGN_OR_RETURN(MemberListScope scope, MemberListScopeFor(caller, Permission::kMemberRead, org_code, "org_code"));
  const std::string listing = absl::StrCat("missing_pledges/", org_code, "/", year);
  std::optional<MemberKey> after;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(std::string cursor, DecodePageToken(page_token, listing, IsMemberKeyCursor, "org_code and year"));
    std::vector<std::string> parts = *DecodeCursor(cursor, 3);
    after = MemberKey{parts[0], parts[1], parts[2]};
  }
  MembersMissingPledgesPage page;
  std::optional<std::string> only_user = ListUserFilter(scope);
  if (!only_user.has_value()) return page;
  const int limit = PageLimit(page_size);
  ASSIGN_OR_RETURN(std::vector<MemberMissingPledges> rows,
                   store_.ListMembersMissingPledges(SubtreeOf(org_code), year, *only_user, after, limit + 1, deadline));
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    const MemberMissingPledges& last = rows.back();
    page.next_page_token = EncodePageToken(listing, EncodeCursor({last.branch_code, last.full_name, last.member_id}));
  }
  page.members = std::move(rows);
  return page;
}

absl::StatusOr<BranchCountsPage> MemberReports::CountMembersByBranch(const Principal& caller,
                                                                     const std::string& org_code, int year,
                                                                     int page_size, const std::string& page_token,
                                                                     absl::Time deadline) {
  RETURN_IF_ERROR(CheckReportRequest(org_code, year, page_size, now_()));
  // Counts are not personal data, but a MEMBER caller reaches the branch only
  // for its own record, so its counts cover only itself (like every list).
  ASSIGN_OR_RETURN(MemberListScope scope, MemberListScopeFor(caller, Permission::kMemberRead, org_code, "org_code"));
  const std::string listing = absl::StrCat("branch_counts/", org_code, "/", year);
  std::string after_code;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(after_code, DecodePageToken(page_token, listing, IsDivisionCode, "org_code and year"));
  }
  BranchCountsPage page;
  std::optional<std::string> only_user = ListUserFilter(scope);
  if (!only_user.has_value()) return page;
  const int limit = PageLimit(page_size);
  ASSIGN_OR_RETURN(std::vector<BranchMemberCounts> rows,
                   store_.CountMembersByBranch(SubtreeOf(org_code), year, *only_user, after_code, limit + 1, deadline));
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.next_page_token = EncodePageToken(listing, rows.back().branch_code);
  }
  page.branches = std::move(rows);
  return page;
}

}  // namespace gridserve::membership
