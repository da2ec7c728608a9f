#include "membership/register/members.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/division.h"
#include "common/utf8.h"
#include "membership/shared/field_checks.h"
#include "common/errors.h"
#include "common/paging.h"
#include "common/pii.h"
#include "common/status_macros.h"
#include "membership/shared/member_access.h"
#include "membership/register/member_validation.h"

namespace gridserve::membership {
namespace {

constexpr size_t kMaxReasonChars = 200;
constexpr size_t kMaxRequestIdChars = 64;

// The fields UpdateMember may change (member.proto, UpdateMemberRequest).
const std::set<std::string, std::less<>>& UpdatablePaths() {
  static const auto* paths = new std::set<std::string, std::less<>>{
      "full_name", "gender",    "birth_month", "joined_date",       "phone", "grid",        "household",
      "courtyard", "is_group_head", "publicity_consent", "notes", "national_id", "user"};
  return *paths;
}

void CheckRequestId(const std::string& request_id, std::vector<FieldViolation>& violations) {
  if (request_id.size() > kMaxRequestIdChars) {
    violations.push_back({"request_id", "must be at most 64 characters, e.g. a UUID"});
  }
}

std::vector<FieldViolation> Prefixed(std::vector<FieldViolation> violations, absl::string_view prefix) {
  for (FieldViolation& violation : violations) violation.field = absl::StrCat(prefix, violation.field);
  return violations;
}

MemberOwner OwnerOf(const Member& member) {
  return MemberOwner{.member_id = member.member_id, .branch_code = member.branch_code, .user = member.user};
}

// What the caller may see of a stored member.
Member Visible(const Principal& caller, Member member) {
  member.national_id.clear();
  if (!MaySeeMemberPersonalData(caller, OwnerOf(member))) {
    member.phone = MaskPhone(member.phone);
    member.national_id_last4.clear();
  }
  return member;
}

// An optional "YYYY-MM-DD" request date: today when empty, never later than today.
std::optional<absl::CivilDay> RequestDate(const std::string& text, absl::CivilDay today, const std::string& field,
                                          std::vector<FieldViolation>& violations) {
  if (text.empty()) return today;
  std::optional<absl::CivilDay> day = ParseDay(text);
  if (!day) {
    violations.push_back({field, "must be a date as YYYY-MM-DD, or empty for today"});
  } else if (*day > today) {
    violations.push_back({field, absl::StrCat("must not be in the future (today is ", FormatDay(today), ")")});
    return std::nullopt;
  }
  return day;
}

// The page-token cursor: base64 of the three sort keys, so it holds no ':'.
std::string EncodeCursor(const Member& last) {
  return absl::WebSafeBase64Escape(absl::StrCat(last.branch_code, "\x1f", last.full_name, "\x1f", last.member_id));
}

std::optional<MemberListCursor> DecodeCursor(absl::string_view cursor) {
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(cursor, &decoded)) return std::nullopt;
  std::vector<std::string> parts = absl::StrSplit(decoded, '\x1f');
  if (parts.size() != 3 || !IsUuid(parts[2]) || !IsDivisionCode(parts[0])) return std::nullopt;
  return MemberListCursor{parts[0], parts[1], parts[2]};
}

bool IsEventCursor(absl::string_view cursor) {
  int64_t value = 0;
  return absl::SimpleAtoi(cursor, &value) && value > 0;
}

absl::Status NoSuchMember(const std::string& member_id) {
  return absl::NotFoundError(
      absl::StrCat("no member ", member_id, " in your scope; check the id or ask the branch that holds the record"));
}

}  // namespace

absl::string_view MemberEventKindName(MemberEventKind kind) {
  switch (kind) {
    case MemberEventKind::kRegistered: return "REGISTERED";
    case MemberEventKind::kUpdated: return "UPDATED";
    case MemberEventKind::kTransferred: return "TRANSFERRED";
    case MemberEventKind::kEnded: return "ENDED";
    case MemberEventKind::kImported: return "IMPORTED";
    case MemberEventKind::kUnspecified: return "UNSPECIFIED";
  }
  return "UNSPECIFIED";
}

std::optional<MemberEventKind> MemberEventKindFromName(absl::string_view name) {
  for (MemberEventKind kind : {MemberEventKind::kRegistered, MemberEventKind::kUpdated, MemberEventKind::kTransferred,
                               MemberEventKind::kEnded, MemberEventKind::kImported}) {
    if (MemberEventKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

absl::CivilDay ChinaDay(absl::Time time) { return absl::ToCivilDay(time, ProgrammeTimeZone()); }

absl::StatusOr<Member> Members::Reachable(const Principal& caller, Permission permission,
                                          const std::string& member_id, absl::Time deadline) {
  absl::StatusOr<Member> found = store_.Get(member_id, deadline);
  if (found.status().code() == absl::StatusCode::kNotFound) return NoSuchMember(member_id);
  if (!found.ok()) return found.status();
  RETURN_IF_ERROR(RequireMemberAccess(caller, permission, OwnerOf(*found)));
  return found;
}

absl::StatusOr<Member> Members::Create(const Principal& caller, MemberDraft draft, const std::string& request_id,
                                       absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberWrite, "registering a member"));
  Member member = std::move(draft.member);
  member.member_id.clear();
  member.national_id_last4.clear();
  member.status = MemberStatus::kActive;
  member.end_reason = EndReason::kUnspecified;
  member.end_note.clear();
  member.end_date.reset();
  NormalizeMember(member);
  absl::CivilDay today = Today();
  std::vector<FieldViolation> violations =
      Prefixed(ParseAndValidateMember(draft.birth_month, draft.joined_date, member, today), "member.");
  CheckRequestId(request_id, violations);
  if (!violations.empty()) return InvalidArgument(violations);
  RETURN_IF_ERROR(RequirePermissionAt(caller, Permission::kMemberWrite, member.branch_code, "member.branch_code"));
  MemberChange change{.actor = caller.subject, .effective_date = today, .detail = "", .request_id = request_id};
  ASSIGN_OR_RETURN(Member created, store_.Create(member, sealer_.SealIdentity(member), change, deadline));
  return Visible(caller, std::move(created));
}

absl::StatusOr<Member> Members::Get(const Principal& caller, const std::string& member_id, absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberRead, "reading a member"));
  std::vector<FieldViolation> violations;
  CheckMemberId(member_id, "member_id", violations);
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(Member found, Reachable(caller, Permission::kMemberRead, member_id, deadline));
  return Visible(caller, std::move(found));
}

absl::StatusOr<MemberPage> Members::List(const Principal& caller, const ListMembersQuery& query,
                                         absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberRead, "listing members"));
  std::vector<FieldViolation> violations;
  if (!IsDivisionCode(query.org_code)) {
    violations.push_back({"org_code", "is required: the 12-digit code of the district, town, village or community "
                                      "whose members to list, e.g. 500114101201"});
  }
  if (!query.grid.empty() && !IsResourceName(query.grid, "grids")) {
    violations.push_back({"grid", "must be empty or \"grids/<id>\""});
  }
  std::string name_prefix(absl::StripAsciiWhitespace(query.name_prefix));
  if (CodePoints(name_prefix) > kMaxFullNameChars) {
    violations.push_back({"name_prefix", absl::StrCat("must be at most ", kMaxFullNameChars, " characters")});
  }
  if (query.joined_year != 0 && (query.joined_year < 1900 || query.joined_year > 9999)) {
    violations.push_back({"joined_year", "must be a year such as 2001, or 0 for any"});
  }
  CheckPageSize(query.page_size, violations);
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(MemberListScope scope,
                   MemberListScopeFor(caller, Permission::kMemberRead, query.org_code, "org_code"));
  MemberFilter filter{.branch_prefix = std::string(SignificantPrefix(query.org_code)),
                      .status = query.status == MemberStatus::kUnspecified ? MemberStatus::kActive : query.status,
                      .grid = query.grid,
                      .name_prefix = name_prefix,
                      .joined_year = query.joined_year,
                      .user = scope.self_only ? scope.self_user : ""};
  // A token is valid only for the listing it came from, caller's self-scope included.
  std::string listing = absl::StrCat("members|", query.org_code, "|", MemberStatusName(filter.status), "|", filter.grid,
                                     "|", filter.name_prefix, "|", filter.joined_year, "|", filter.user);
  MemberListCursor after;
  if (!query.page_token.empty()) {
    ASSIGN_OR_RETURN(std::string cursor,
                     DecodePageToken(query.page_token, listing,
                                     [](absl::string_view text) { return DecodeCursor(text).has_value(); },
                                     "org_code, status, grid, name_prefix and joined_year"));
    after = *DecodeCursor(cursor);
  }
  int limit = PageLimit(query.page_size);
  ASSIGN_OR_RETURN(std::vector<Member> rows, store_.List(filter, after, limit + 1, deadline));
  MemberPage page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.next_page_token = EncodePageToken(listing, EncodeCursor(rows.back()));
  }
  for (Member& member : rows) page.members.push_back(Visible(caller, std::move(member)));
  return page;
}

absl::StatusOr<Member> Members::Update(const Principal& caller, const std::string& member_id,
                                       const MemberDraft& draft, const std::vector<std::string>& paths,
                                       absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberWrite, "updating a member"));
  std::vector<FieldViolation> violations;
  CheckMemberId(member_id, "member.member_id", violations);
  std::set<std::string, std::less<>> changed;
  if (paths.empty()) {
    violations.push_back({"update_mask", absl::StrCat("is required; name the fields to change among: ",
                                                      absl::StrJoin(UpdatablePaths(), ", "))});
  }
  for (const std::string& path : paths) {
    if (path == "branch_code") {
      violations.push_back({"update_mask", "branch_code cannot be updated; use TransferMember (it keeps the history)"});
    } else if (path == "status" || path == "end_reason" || path == "end_note" || path == "end_date") {
      violations.push_back({"update_mask", absl::StrCat(path, " cannot be updated; use EndMembership")});
    } else if (!UpdatablePaths().contains(path)) {
      violations.push_back({"update_mask", absl::StrCat("field '", path, "' cannot be updated; the fields are: ",
                                                        absl::StrJoin(UpdatablePaths(), ", "))});
    } else {
      changed.insert(path);
    }
  }
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(Member current, Reachable(caller, Permission::kMemberWrite, member_id, deadline));

  Member updated = current;
  const Member& input = draft.member;
  std::string birth_month = FormatBirthMonth(current.birth_month);
  std::string joined_date = FormatJoinedDate(current.joined_date, current.joined_month_only);
  if (changed.contains("full_name")) updated.full_name = input.full_name;
  if (changed.contains("gender")) updated.gender = input.gender;
  if (changed.contains("birth_month")) birth_month = draft.birth_month;
  if (changed.contains("joined_date")) joined_date = draft.joined_date;
  if (changed.contains("phone")) updated.phone = input.phone;
  if (changed.contains("grid")) updated.grid = input.grid;
  if (changed.contains("household")) updated.household = input.household;
  if (changed.contains("courtyard")) updated.courtyard = input.courtyard;
  if (changed.contains("is_group_head")) updated.is_group_head = input.is_group_head;
  if (changed.contains("publicity_consent")) updated.publicity_consent = input.publicity_consent;
  if (changed.contains("notes")) updated.notes = input.notes;
  if (changed.contains("national_id")) updated.national_id = input.national_id;
  if (changed.contains("user")) updated.user = input.user;
  NormalizeMember(updated);
  // The stored national id is not decrypted here, so a new birth month or
  // gender is checked against it only when national_id is sent again too.
  violations = Prefixed(ParseAndValidateMember(birth_month, joined_date, updated, Today()), "member.");
  if (!violations.empty()) return InvalidArgument(violations);

  // The person key follows the identity: a new national id (or its removal)
  // re-seals it; without a stored id the key is of name and birth month, so
  // it follows those. A stored id keeps its key.
  std::optional<SealedIdentity> identity;
  bool has_stored_id = !current.national_id_last4.empty();
  if (changed.contains("national_id") ||
      (!has_stored_id && (changed.contains("full_name") || changed.contains("birth_month")))) {
    identity = sealer_.SealIdentity(updated);
  }
  MemberChange change{.actor = caller.subject,
                      .effective_date = Today(),
                      .detail = absl::StrCat("changed: ", absl::StrJoin(changed, ", ")),
                      .request_id = ""};
  ASSIGN_OR_RETURN(Member stored, store_.Update(updated, identity, current.update_time, change, deadline));
  return Visible(caller, std::move(stored));
}

absl::StatusOr<Member> Members::Transfer(const Principal& caller, const std::string& member_id,
                                         const std::string& to_branch_code, const std::string& reason,
                                         const std::string& effective_date, const std::string& request_id,
                                         absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberWrite, "transferring a member"));
  std::vector<FieldViolation> violations;
  CheckMemberId(member_id, "member_id", violations);
  if (!IsBranchCode(to_branch_code)) {
    violations.push_back({"to_branch_code", "must be the 12-digit code of the receiving village or community, "
                                            "e.g. 500114101202"});
  }
  std::string why(absl::StripAsciiWhitespace(reason));
  if (why.empty()) {
    violations.push_back({"reason", "is required: why the member moves (e.g. 搬迁)"});
  } else if (CodePoints(why) > kMaxReasonChars) {
    violations.push_back({"reason", absl::StrCat("must be at most ", kMaxReasonChars, " characters")});
  }
  absl::CivilDay today = Today();
  std::optional<absl::CivilDay> effective = RequestDate(effective_date, today, "effective_date", violations);
  CheckRequestId(request_id, violations);
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(Member current, Reachable(caller, Permission::kMemberWrite, member_id, deadline));
  // Both ends are the caller's business: it must be able to write the receiving branch too.
  RETURN_IF_ERROR(RequirePermissionAt(caller, Permission::kMemberWrite, to_branch_code, "to_branch_code"));
  if (*effective < current.joined_date) {
    return InvalidField("effective_date", absl::StrCat("must not be before the member joined the party (",
                                                       FormatJoinedDate(current.joined_date, current.joined_month_only), ")"));
  }
  MemberChange change{.actor = caller.subject, .effective_date = *effective, .detail = why, .request_id = request_id};
  ASSIGN_OR_RETURN(Member moved, store_.Transfer(member_id, to_branch_code, current.update_time, change, deadline));
  return Visible(caller, std::move(moved));
}

absl::StatusOr<Member> Members::EndMembership(const Principal& caller, const std::string& member_id,
                                              EndReason reason, const std::string& note,
                                              const std::string& end_date, absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberWrite, "ending a membership"));
  std::vector<FieldViolation> violations;
  CheckMemberId(member_id, "member_id", violations);
  if (reason == EndReason::kUnspecified) {
    violations.push_back({"reason", "is required: TRANSFERRED_OUT, DECEASED, WITHDRAWN, EXPELLED or OTHER"});
  }
  std::string end_note(absl::StripAsciiWhitespace(note));
  if (reason == EndReason::kOther && end_note.empty()) {
    violations.push_back({"note", "is required when reason is OTHER: say why the membership ends"});
  } else if (CodePoints(end_note) > kMaxReasonChars) {
    violations.push_back({"note", absl::StrCat("must be at most ", kMaxReasonChars, " characters")});
  }
  std::optional<absl::CivilDay> day = RequestDate(end_date, Today(), "end_date", violations);
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(Member current, Reachable(caller, Permission::kMemberWrite, member_id, deadline));
  if (current.status != MemberStatus::kActive) {
    // EndMembership carries no request_id: a retry of the same call (same
    // reason and note, and the same date when one was given) answers as the
    // first one did instead of failing.
    bool same_call = current.end_reason == reason && current.end_note == end_note &&
                     (end_date.empty() || current.end_date == *day);
    if (same_call) return Visible(caller, std::move(current));
    return absl::FailedPreconditionError(absl::StrCat("membership of ", member_id, " has already ended (",
                                                      EndReasonName(current.end_reason), ")"));
  }
  if (*day < current.joined_date) {
    return InvalidField("end_date", absl::StrCat("must not be before the member joined the party (",
                                                 FormatJoinedDate(current.joined_date, current.joined_month_only), ")"));
  }
  MemberChange change{.actor = caller.subject,
                      .effective_date = *day,
                      .detail = end_note.empty() ? std::string(EndReasonName(reason))
                                                 : absl::StrCat(EndReasonName(reason), ": ", end_note),
                      .request_id = ""};
  ASSIGN_OR_RETURN(Member ended, store_.End(member_id, reason, end_note, current.update_time, change, deadline));
  return Visible(caller, std::move(ended));
}

absl::StatusOr<MemberEventPage> Members::ListEvents(const Principal& caller, const std::string& member_id,
                                                    int page_size, const std::string& page_token,
                                                    absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberRead, "reading a member's history"));
  std::vector<FieldViolation> violations;
  CheckMemberId(member_id, "member_id", violations);
  CheckPageSize(page_size, violations);
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(Member member, Reachable(caller, Permission::kMemberRead, member_id, deadline));
  std::string listing = absl::StrCat("member_events|", member_id);
  int64_t after_event_id = 0;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(std::string cursor, DecodePageToken(page_token, listing, IsEventCursor, "member_id"));
    (void)absl::SimpleAtoi(cursor, &after_event_id);
  }
  int limit = PageLimit(page_size);
  ASSIGN_OR_RETURN(std::vector<MemberEvent> events, store_.ListEvents(member_id, after_event_id, limit + 1, deadline));
  MemberEventPage page;
  if (static_cast<int>(events.size()) > limit) {
    events.resize(limit);
    page.next_page_token = EncodePageToken(listing, absl::StrCat(events.back().event_id));
  }
  page.events = std::move(events);
  return page;
}

}  // namespace gridserve::membership
