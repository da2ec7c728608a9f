#include "membership/pledges/commitments.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/division.h"
#include "common/paging.h"
#include "common/pii.h"
#include "common/status_macros.h"
#include "membership/shared/member_access.h"

namespace gridserve::membership {
namespace {

constexpr size_t kMaxTargetChars = 200;
constexpr size_t kMaxMeasuresChars = 500;
constexpr size_t kMaxEvidenceIdChars = 64;
constexpr char kEvidencePrefix[] = "activities/";

const std::set<std::string>& WritablePaths() {
  static const auto* paths =
      new std::set<std::string>{"target", "measures", "due_date", "status", "evidence", "signed_date"};
  return *paths;
}

// What a member may change on its own commitments (clause 二(一)3: 践诺 is
// reported by the member; what was pledged is the branch's record).
bool IsFulfilmentReportPath(const std::string& path) { return path == "status" || path == "evidence"; }

bool Contains(const std::vector<std::string>& paths, absl::string_view path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

// A strict "YYYY-MM-DD" (absl's parser also accepts other widths).
std::optional<absl::CivilDay> ParseDay(const std::string& text) {
  absl::CivilDay day;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !absl::ParseCivilTime(text, &day)) return std::nullopt;
  if (absl::FormatCivilTime(day) != text) return std::nullopt;  // e.g. 2026-02-30 normalised to March
  return day;
}

// Evidence is a reference to an activity record. Only the shape is checked
// here: activity_tracking does not record activities yet; once it does, it
// validates that the records exist and belong to the member.
bool IsEvidenceReference(const std::string& reference) {
  if (!absl::StartsWith(reference, kEvidencePrefix)) return false;
  absl::string_view id = absl::string_view(reference).substr(sizeof(kEvidencePrefix) - 1);
  return !id.empty() && id.size() <= kMaxEvidenceIdChars && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return absl::ascii_isalnum(c) || c == '-' || c == '_';
  });
}

void CheckText(const std::string& text, size_t max_chars, bool allow_line_breaks, const std::string& field,
               absl::string_view example, std::vector<FieldViolation>& violations) {
  if (text.empty()) {
    violations.push_back({field, absl::StrCat("is required, e.g. ", example)});
  } else if (CodePoints(text) > max_chars) {
    violations.push_back({field, absl::StrCat("must be at most ", max_chars, " characters")});
  } else if (HasControlCharacters(text, allow_line_breaks)) {
    violations.push_back({field, "must not contain control characters"});
  }
}

absl::Status CommitmentNotFound(const std::string& commitment_id) {
  return absl::NotFoundError(absl::StrCat("no commitment ", commitment_id,
                                          " in your scope; check the id or ask the branch that holds the record"));
}

std::string CommitmentsListing(const std::string& org_code, int year) {
  return absl::StrCat("commitments/", org_code, "/", year);
}

// branch, member name, member id, creation time (µs), commitment id.
bool IsCommitmentCursor(absl::string_view cursor) {
  std::optional<std::vector<std::string>> parts = DecodeCursor(cursor, 5);
  int64_t micros = 0;
  return parts.has_value() && IsUuid((*parts)[2]) && absl::SimpleAtoi((*parts)[3], &micros) && IsUuid((*parts)[4]);
}

std::string Quoted(const Commitment& commitment) {
  return absl::StrCat("「", commitment.target, "」 (commitments/", commitment.commitment_id, ")");
}

}  // namespace

absl::string_view FulfilmentStatusName(FulfilmentStatus status) {
  switch (status) {
    case FulfilmentStatus::kPledged: return "PLEDGED";
    case FulfilmentStatus::kInProgress: return "IN_PROGRESS";
    case FulfilmentStatus::kFulfilled: return "FULFILLED";
    case FulfilmentStatus::kNotFulfilled: return "NOT_FULFILLED";
    case FulfilmentStatus::kUnspecified: return "UNSPECIFIED";
  }
  return "UNSPECIFIED";
}

std::optional<FulfilmentStatus> FulfilmentStatusFromName(absl::string_view name) {
  for (FulfilmentStatus status : {FulfilmentStatus::kPledged, FulfilmentStatus::kInProgress,
                                  FulfilmentStatus::kFulfilled, FulfilmentStatus::kNotFulfilled}) {
    if (FulfilmentStatusName(status) == name) return status;
  }
  return std::nullopt;
}

std::string StatusTransitionProblem(FulfilmentStatus from, FulfilmentStatus to, bool by_branch) {
  using S = FulfilmentStatus;
  if (to == S::kUnspecified) return "status must be PLEDGED, IN_PROGRESS, FULFILLED or NOT_FULFILLED";
  if (from == to) return "";
  const bool final_status = from == S::kFulfilled || from == S::kNotFulfilled;
  if ((from == S::kPledged && (to == S::kInProgress || to == S::kNotFulfilled)) ||
      (from == S::kInProgress && (to == S::kFulfilled || to == S::kNotFulfilled || to == S::kPledged))) {
    return "";
  }
  if (final_status && to == S::kInProgress) {
    if (by_branch) return "";
    return absl::StrCat("a ", FulfilmentStatusName(from), " commitment can be reopened (set IN_PROGRESS) only by its ",
                        "branch; ask the branch secretary");
  }
  if (from == S::kPledged && to == S::kFulfilled) {
    return "a PLEDGED commitment becomes FULFILLED through IN_PROGRESS: set IN_PROGRESS first (and attach the "
           "activities as evidence)";
  }
  if (final_status) {
    return absl::StrCat("a ", FulfilmentStatusName(from), " commitment cannot become ", FulfilmentStatusName(to),
                        by_branch ? "; set IN_PROGRESS first to correct the verdict"
                                  : "; ask the branch secretary to correct the verdict");
  }
  return absl::StrCat("status cannot change from ", FulfilmentStatusName(from), " to ", FulfilmentStatusName(to));
}

std::vector<FieldViolation> ValidateCommitmentFields(const Commitment& commitment,
                                                     const std::vector<std::string>& paths, absl::CivilDay today) {
  std::vector<FieldViolation> violations;
  if (Contains(paths, "target")) {
    CheckText(commitment.target, kMaxTargetChars, false, "commitment.target", "帮助本组3户群众发展中药材种植",
              violations);
  }
  if (Contains(paths, "measures")) {
    CheckText(commitment.measures, kMaxMeasuresChars, true, "commitment.measures",
              "每季度入户走访一次，联系技术员现场指导", violations);
  }
  if (Contains(paths, "due_date") && !commitment.due_date.empty()) {
    std::optional<absl::CivilDay> due = ParseDay(commitment.due_date);
    if (!due.has_value()) {
      violations.push_back({"commitment.due_date", "must be a date YYYY-MM-DD, e.g. 2026-12-31, or empty"});
    } else if (due->year() < commitment.year || due->year() > commitment.year + 1) {
      violations.push_back({"commitment.due_date", absl::StrCat("must fall in ", commitment.year, " or ",
                                                                commitment.year + 1, " (the commitment's year or the next)")});
    }
  }
  if (Contains(paths, "status") && commitment.status == FulfilmentStatus::kUnspecified) {
    violations.push_back({"commitment.status", "must be PLEDGED, IN_PROGRESS, FULFILLED or NOT_FULFILLED"});
  }
  if (Contains(paths, "evidence")) {
    if (commitment.evidence.size() > static_cast<size_t>(kMaxEvidence)) {
      violations.push_back({"commitment.evidence", absl::StrCat("must list at most ", kMaxEvidence, " activity records")});
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < commitment.evidence.size(); ++i) {
      const std::string field = absl::StrCat("commitment.evidence[", i, "]");
      if (!IsEvidenceReference(commitment.evidence[i])) {
        violations.push_back({field, "must reference an activity record as activities/{id}, e.g. activities/8f14e45f"});
      } else if (!seen.insert(commitment.evidence[i]).second) {
        violations.push_back({field, absl::StrCat(commitment.evidence[i], " is listed twice")});
      }
    }
  }
  if (Contains(paths, "signed_date") && !commitment.signed_date.empty()) {
    std::optional<absl::CivilDay> signed_day = ParseDay(commitment.signed_date);
    if (!signed_day.has_value()) {
      violations.push_back({"commitment.signed_date", "must be a date YYYY-MM-DD, e.g. 2026-03-01, or empty"});
    } else if (*signed_day > today) {
      violations.push_back({"commitment.signed_date", absl::StrCat("must not be in the future (today is ",
                                                                   absl::FormatCivilTime(today), ")")});
    } else if (signed_day->year() < commitment.year - 1) {
      violations.push_back({"commitment.signed_date", absl::StrCat("must not be before ", commitment.year - 1,
                                                                   " (a form is signed at most a year ahead)")});
    }
  }
  return violations;
}

absl::CivilDay Commitments::Today() const { return absl::ToCivilDay(now_(), ProgrammeTimeZone()); }

absl::StatusOr<std::pair<Member, Commitment>> Commitments::AccessCommitment(const Principal& caller,
                                                                            Permission permission,
                                                                            const std::string& commitment_id,
                                                                            absl::Time deadline) {
  absl::StatusOr<Commitment> commitment = store_.GetCommitment(commitment_id, deadline);
  if (absl::IsNotFound(commitment.status())) return CommitmentNotFound(commitment_id);
  if (!commitment.ok()) return commitment.status();
  absl::StatusOr<Member> member = store_.GetMember(commitment->member_id, deadline);
  if (absl::IsNotFound(member.status())) return CommitmentNotFound(commitment_id);
  if (!member.ok()) return member.status();
  absl::Status access = RequireMemberAccess(caller, permission, OwnerOf(*member));
  if (absl::IsNotFound(access)) return CommitmentNotFound(commitment_id);
  if (!access.ok()) return access;
  return std::make_pair(*std::move(member), *std::move(commitment));
}

absl::StatusOr<Commitment> Commitments::Create(const Principal& caller, Commitment commitment,
                                               const std::string& request_id, absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberWrite, "adding a commitment"));
  commitment.target = std::string(absl::StripAsciiWhitespace(commitment.target));
  commitment.measures = std::string(absl::StripAsciiWhitespace(commitment.measures));
  std::vector<FieldViolation> violations;
  CheckMemberId(commitment.member_id, "commitment.member_id", violations);
  CheckPledgeYear(commitment.year, now_(), "commitment.year", violations);
  if (commitment.status != FulfilmentStatus::kUnspecified && commitment.status != FulfilmentStatus::kPledged) {
    violations.push_back({"commitment.status", "must be empty or PLEDGED: a new commitment starts as pledged; "
                                               "report progress with UpdateCommitment"});
  }
  const std::vector<std::string> new_fields = {"target", "measures", "due_date", "evidence", "signed_date"};
  for (FieldViolation& violation : ValidateCommitmentFields(commitment, new_fields, Today())) {
    violations.push_back(std::move(violation));
  }
  if (request_id.size() > 64) violations.push_back({"request_id", "must be at most 64 characters, e.g. a UUID"});
  if (!violations.empty()) return InvalidArgument(violations);

  ASSIGN_OR_RETURN(Member member,
                   ReachableMember(store_.GetMember(commitment.member_id, deadline), caller, Permission::kMemberWrite, commitment.member_id));
  commitment.status = FulfilmentStatus::kPledged;

  auto check = [&](const Member& current, const std::vector<Commitment>& same_year) -> absl::Status {
    if (current.status != MemberStatus::kActive) {
      return absl::FailedPreconditionError(absl::StrCat("member ", current.member_id,
                                                        " is no longer an active member; only active members make "
                                                        "new commitments"));
    }
    if (same_year.size() >= static_cast<size_t>(kMaxCommitmentsPerYear)) {
      std::vector<std::string> existing;
      for (const Commitment& c : same_year) existing.push_back(Quoted(c));
      return absl::FailedPreconditionError(absl::StrCat(
          "member ", current.member_id, " already has ", same_year.size(), " commitments for ", commitment.year, ": ",
          absl::StrJoin(existing, " and "), "; rule R3 (clause 二(一)3, 提出1—2件为民服务事项) allows 1-2 per member "
          "per year. Change one of them with UpdateCommitment, or delete one that is still PLEDGED first"));
    }
    return absl::OkStatus();
  };
  return store_.CreateCommitment(commitment, request_id, check, deadline);
}

absl::StatusOr<Commitment> Commitments::Get(const Principal& caller, const std::string& commitment_id,
                                            absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberRead, "reading a commitment"));
  if (!IsUuid(commitment_id)) return InvalidField("commitment_id", "must be a commitment id (a UUID)");
  ASSIGN_OR_RETURN(auto owned, AccessCommitment(caller, Permission::kMemberRead, commitment_id, deadline));
  return std::move(owned.second);
}

absl::StatusOr<CommitmentPage> Commitments::List(const Principal& caller, const std::string& member_id,
                                                 const std::string& org_code, int year, int page_size,
                                                 const std::string& page_token, absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberRead, "listing commitments"));
  std::vector<FieldViolation> violations;
  if (member_id.empty() == org_code.empty()) {
    violations.push_back({"member_id", "give exactly one of member_id (one member's commitments) and org_code "
                                       "(every member under an organisation)"});
  } else if (!member_id.empty()) {
    CheckMemberId(member_id, "member_id", violations);
  } else if (!IsDivisionCode(org_code)) {
    violations.push_back({"org_code", "must be a 12-digit division code, e.g. 500114101201"});
  }
  CheckPledgeYear(year, now_(), "year", violations);
  CheckPageSize(page_size, violations);
  if (!violations.empty()) return InvalidArgument(violations);

  CommitmentPage page;
  if (!member_id.empty()) {
    // At most two a year (R3): one page always holds them all.
    ASSIGN_OR_RETURN(Member member,
                     ReachableMember(store_.GetMember(member_id, deadline), caller, Permission::kMemberRead, member_id));
    ASSIGN_OR_RETURN(page.commitments, store_.ListMemberCommitments(member_id, year, deadline));
    return page;
  }
  ASSIGN_OR_RETURN(MemberListScope scope, MemberListScopeFor(caller, Permission::kMemberRead, org_code, "org_code"));
  const std::string listing = CommitmentsListing(org_code, year);
  std::optional<std::vector<std::string>> after;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(std::string cursor, DecodePageToken(page_token, listing, IsCommitmentCursor, "org_code and year"));
    after = DecodeCursor(cursor, 5);
  }
  std::optional<std::string> only_user = ListUserFilter(scope);
  if (!only_user.has_value()) return page;
  const int limit = PageLimit(page_size);
  ASSIGN_OR_RETURN(std::vector<CommitmentListing> rows,
                   store_.ListCommitmentsInSubtree(SubtreeOf(org_code), year, *only_user, after, limit + 1, deadline));
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    const CommitmentListing& last = rows.back();
    page.next_page_token = EncodePageToken(
        listing, EncodeCursor({last.branch_code, last.member_full_name, last.commitment.member_id,
                               absl::StrCat(absl::ToUnixMicros(last.commitment.create_time)),
                               last.commitment.commitment_id}));
  }
  for (CommitmentListing& row : rows) page.commitments.push_back(std::move(row.commitment));
  return page;
}

absl::StatusOr<Commitment> Commitments::Update(const Principal& caller, const Commitment& commitment,
                                               const std::vector<std::string>& update_paths, absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kPledgeReport, "updating a commitment"));
  std::vector<FieldViolation> violations;
  if (!IsUuid(commitment.commitment_id)) {
    violations.push_back({"commitment.commitment_id", "must name the commitment to update (a UUID)"});
  }
  if (update_paths.empty()) {
    violations.push_back({"update_mask", "is required: name the fields to change among target, measures, due_date, "
                                         "status, evidence, signed_date"});
  }
  for (const std::string& path : update_paths) {
    if (!WritablePaths().contains(path)) {
      violations.push_back({"update_mask", absl::StrCat("field '", path, "' cannot be changed; writable fields are ",
                                                        "target, measures, due_date, status, evidence, signed_date")});
    }
  }
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(auto owned, AccessCommitment(caller, Permission::kPledgeReport, commitment.commitment_id, deadline));
  const Member& member = owned.first;
  const bool by_branch = RequirePermissionAt(caller, Permission::kMemberWrite, member.branch_code, "").ok();
  if (!by_branch) {
    for (const std::string& path : update_paths) {
      if (!IsFulfilmentReportPath(path)) {
        return absl::PermissionDeniedError(absl::StrCat(
            "you may report only status and evidence of your own commitment, not '", path,
            "'; what was pledged is changed by your branch secretary"));
      }
    }
  }
  const absl::CivilDay today = Today();
  auto change = [&](const Commitment& current) -> absl::StatusOr<Commitment> {
    Commitment updated = current;
    for (const std::string& path : update_paths) {
      if (path == "target") updated.target = std::string(absl::StripAsciiWhitespace(commitment.target));
      if (path == "measures") updated.measures = std::string(absl::StripAsciiWhitespace(commitment.measures));
      if (path == "due_date") updated.due_date = commitment.due_date;
      if (path == "status") updated.status = commitment.status;
      if (path == "evidence") updated.evidence = commitment.evidence;
      if (path == "signed_date") updated.signed_date = commitment.signed_date;
    }
    std::vector<FieldViolation> field_violations = ValidateCommitmentFields(updated, update_paths, today);
    if (!field_violations.empty()) return InvalidArgument(field_violations);
    if (std::string problem = StatusTransitionProblem(current.status, updated.status, by_branch); !problem.empty()) {
      if (updated.status == FulfilmentStatus::kUnspecified) return InvalidField("commitment.status", problem);
      return absl::FailedPreconditionError(problem);
    }
    return updated;
  };
  return store_.UpdateCommitment(commitment.commitment_id, change, deadline);
}

absl::Status Commitments::Delete(const Principal& caller, const std::string& commitment_id, absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberWrite, "deleting a commitment"));
  if (!IsUuid(commitment_id)) return InvalidField("commitment_id", "must be a commitment id (a UUID)");
  RETURN_IF_ERROR(AccessCommitment(caller, Permission::kMemberWrite, commitment_id, deadline).status());
  return store_.DeleteCommitment(
      commitment_id,
      [&](const Commitment& current) -> absl::Status {
        if (current.status == FulfilmentStatus::kPledged) return absl::OkStatus();
        return absl::FailedPreconditionError(absl::StrCat(
            "commitment ", commitment_id, " is ", FulfilmentStatusName(current.status),
            "; only a PLEDGED commitment can be withdrawn. Record the outcome with status NOT_FULFILLED instead"));
      },
      deadline);
}

absl::StatusOr<CommitmentForm> Commitments::GetForm(const Principal& caller, const std::string& member_id, int year,
                                                    absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberRead, "reading a commitment form"));
  std::vector<FieldViolation> violations;
  CheckMemberId(member_id, "member_id", violations);
  CheckPledgeYear(year, now_(), "year", violations);
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(Member member,
                   ReachableMember(store_.GetMember(member_id, deadline), caller, Permission::kMemberRead, member_id));
  const MemberOwner owner = OwnerOf(member);

  CommitmentForm form;
  form.year = year;
  const bool personal_data = MaySeeMemberPersonalData(caller, owner);
  ASSIGN_OR_RETURN(form.commitments, store_.ListMemberCommitments(member_id, year, deadline));
  for (const Commitment& commitment : form.commitments) {
    form.signed_date = std::max(form.signed_date, commitment.signed_date);  // "YYYY-MM-DD" sorts by date
  }
  absl::StatusOr<MemberDuties> duties = duties_.GetMemberDuties(member_id, year, deadline);
  if (duties.ok()) {
    duties->member_full_name = member.full_name;
    duties->branch_code = member.branch_code;
    form.duties = *std::move(duties);
  } else if (!absl::IsNotFound(duties.status())) {
    return duties.status();
  }
  ASSIGN_OR_RETURN(form.branch_name, store_.OrganizationName(member.branch_code, deadline));
  absl::StatusOr<GridPlacement> placement = grids_.PlacementOf(member, year, personal_data, deadline);
  if (placement.ok()) {
    form.grid_name = std::move(placement->grid_name);
    form.linked_households = std::move(placement->linked_households);
    form.grid_data_available = true;
  }
  form.member = std::move(member);
  if (!personal_data) form.member.phone = MaskPhone(form.member.phone);
  return form;
}

}  // namespace gridserve::membership
