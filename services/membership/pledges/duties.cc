#include "membership/pledges/duties.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/division.h"
#include "common/paging.h"
#include "common/permissions.h"
#include "common/status_macros.h"
#include "membership/shared/member_access.h"

namespace gridserve::membership {
namespace {

constexpr size_t kMaxAreas = 30;
constexpr size_t kMaxAreaNameChars = 30;
constexpr size_t kMaxFreeTextChars = 500;

bool IsAreaCode(absl::string_view code) {
  if (code.size() < 2 || code.size() > 40 || !absl::ascii_isupper(static_cast<unsigned char>(code[0]))) return false;
  return std::all_of(code.begin(), code.end(), [](unsigned char c) {
    return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

std::string Codes(const std::vector<DutyArea>& areas, bool active_only) {
  std::vector<std::string> codes;
  for (const DutyArea& area : areas) {
    if (!active_only || !area.retired) codes.push_back(area.code);
  }
  return codes.empty() ? "(none)" : absl::StrJoin(codes, ", ");
}

std::vector<DutyArea> WithStandardFlags(std::vector<DutyArea> areas) {
  for (DutyArea& area : areas) area.standard = IsStandardDutyArea(area.code);
  return areas;
}

// The areas a member of the town may choose: the town's own list, or the
// standard one while the town has not configured any.
const std::vector<DutyArea>& EffectiveAreas(const std::vector<DutyArea>& configured) {
  return configured.empty() ? StandardDutyAreas() : configured;
}

std::string MemberDutiesListing(const std::string& org_code, int year) {
  return absl::StrCat("member_duties/", org_code, "/", year);
}

bool IsMemberKeyCursor(absl::string_view cursor) {
  std::optional<std::vector<std::string>> parts = DecodeCursor(cursor, 3);
  return parts.has_value() && IsUuid((*parts)[2]);
}

}  // namespace

const std::vector<DutyArea>& StandardDutyAreas() {
  static const auto* areas = new std::vector<DutyArea>{
      {.code = "INDUSTRY_GUIDANCE", .display_name = "指导帮扶产业发展", .standard = true},
      {.code = "DISPUTE_MEDIATION", .display_name = "矛盾纠纷化解", .standard = true},
      {.code = "POLICY_PUBLICITY", .display_name = "政策宣传", .standard = true},
      {.code = "ENVIRONMENT_SUPERVISION", .display_name = "环境监督", .standard = true},
  };
  return *areas;
}

bool IsStandardDutyArea(absl::string_view code) {
  const std::vector<DutyArea>& standard = StandardDutyAreas();
  return std::any_of(standard.begin(), standard.end(), [&](const DutyArea& area) { return area.code == code; });
}

std::vector<FieldViolation> ValidateDutyAreas(const std::vector<DutyArea>& areas) {
  std::vector<FieldViolation> violations;
  if (areas.empty() || areas.size() > kMaxAreas) {
    violations.push_back({"areas", absl::StrCat("must list 1 to ", kMaxAreas, " duty areas (the complete list; ",
                                                "mark areas no longer offered as retired)")});
  }
  std::set<std::string> codes;
  std::set<std::string> names;
  for (size_t i = 0; i < areas.size(); ++i) {
    const DutyArea& area = areas[i];
    const std::string field = absl::StrCat("areas[", i, "]");
    if (!IsAreaCode(area.code)) {
      violations.push_back({field + ".code", "must be 2-40 upper-case letters, digits or '_', starting with a letter, "
                                             "e.g. INDUSTRY_GUIDANCE"});
    } else if (!codes.insert(area.code).second) {
      violations.push_back({field + ".code", absl::StrCat(area.code, " is listed twice; list each area once")});
    }
    std::string name(absl::StripAsciiWhitespace(area.display_name));
    if (name.empty() || CodePoints(name) > kMaxAreaNameChars || HasControlCharacters(name, false)) {
      violations.push_back({field + ".display_name", absl::StrCat("must be 1-", kMaxAreaNameChars,
                                                                  " characters without control characters, "
                                                                  "e.g. 指导帮扶产业发展")});
    } else if (!names.insert(name).second) {
      violations.push_back({field + ".display_name", absl::StrCat(name, " is used by two areas; names must be distinct")});
    }
  }
  return violations;
}

absl::StatusOr<TownDutyAreas> Duties::ListAreas(const Principal& caller, const std::string& town_code,
                                                absl::Time deadline) {
  if (!IsTownCode(town_code)) {
    return InvalidField("town_code", "must be a town's 12-digit code ending in 000, e.g. 500114101000");
  }
  // Like the town's policies: the villages work under their town's list, so
  // it is readable from the town, below it and above it.
  RETURN_IF_ERROR(RequirePermissionAtOrAbove(caller, Permission::kPolicyRead, town_code, "town_code"));
  ASSIGN_OR_RETURN(std::vector<DutyArea> configured, store_.GetTownDutyAreas(town_code, deadline));
  TownDutyAreas result;
  result.configured = !configured.empty();
  result.areas = WithStandardFlags(result.configured ? std::move(configured) : StandardDutyAreas());
  return result;
}

absl::StatusOr<std::vector<DutyArea>> Duties::UpdateAreas(const Principal& caller, const std::string& town_code,
                                                          std::vector<DutyArea> areas, absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kPolicyWrite, "changing a town's duty areas"));
  std::vector<FieldViolation> violations;
  if (!IsTownCode(town_code)) {
    violations.push_back({"town_code", "must be a town's 12-digit code ending in 000, e.g. 500114101000"});
  }
  for (const FieldViolation& violation : ValidateDutyAreas(areas)) violations.push_back(violation);
  if (!violations.empty()) return InvalidArgument(violations);
  RETURN_IF_ERROR(RequirePermissionAt(caller, Permission::kPolicyWrite, town_code, "town_code"));
  for (DutyArea& area : areas) area.display_name = std::string(absl::StripAsciiWhitespace(area.display_name));
  auto refuse_dropping_used = [&](const std::vector<DutyAreaUse>& dropped_in_use) -> absl::Status {
    if (dropped_in_use.empty()) return absl::OkStatus();
    std::vector<std::string> uses;
    for (const DutyAreaUse& use : dropped_in_use) {
      uses.push_back(absl::StrCat(use.code, " (in the duties of ", use.members, use.members == 1 ? " member)" : " members)"));
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot remove duty area ", absl::StrJoin(uses, ", "), " from town ", town_code,
        ": members' duties use it; keep it in the list with retired = true so it is no longer offered"));
  };
  ASSIGN_OR_RETURN(std::vector<DutyArea> stored,
                   store_.ReplaceTownDutyAreas(town_code, areas, refuse_dropping_used, deadline));
  return WithStandardFlags(std::move(stored));
}

absl::StatusOr<MemberDuties> Duties::Set(const Principal& caller, MemberDuties duties, absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberWrite, "setting a member's duties"));
  std::vector<FieldViolation> violations;
  CheckMemberId(duties.member_id, "duties.member_id", violations);
  CheckPledgeYear(duties.year, now_(), "duties.year", violations);
  std::set<std::string> seen;
  for (size_t i = 0; i < duties.area_codes.size(); ++i) {
    const std::string& code = duties.area_codes[i];
    const std::string field = absl::StrCat("duties.area_codes[", i, "]");
    if (!IsAreaCode(code)) {
      violations.push_back({field, "must be the code of a duty area of the member's town, e.g. INDUSTRY_GUIDANCE "
                                   "(see ListDutyAreas)"});
    } else if (!seen.insert(code).second) {
      violations.push_back({field, absl::StrCat(code, " is listed twice; list each area once")});
    }
  }
  duties.free_text = std::string(absl::StripAsciiWhitespace(duties.free_text));
  if (CodePoints(duties.free_text) > kMaxFreeTextChars) {
    violations.push_back({"duties.free_text", absl::StrCat("must be at most ", kMaxFreeTextChars, " characters")});
  } else if (HasControlCharacters(duties.free_text, true)) {
    violations.push_back({"duties.free_text", "must not contain control characters other than line breaks"});
  }
  if (duties.area_codes.empty() && duties.free_text.empty()) {
    violations.push_back({"duties.area_codes", "at least one duty area or a free_text description is required "
                                               "(clause 二(一)2: every member's duties are made explicit)"});
  }
  if (!violations.empty()) return InvalidArgument(violations);

  ASSIGN_OR_RETURN(Member member,
                   ReachableMember(store_.GetMember(duties.member_id, deadline), caller, Permission::kMemberWrite, duties.member_id));
  if (member.status != MemberStatus::kActive) {
    return absl::FailedPreconditionError(absl::StrCat("member ", duties.member_id,
                                                      " is no longer an active member; duties are set for active "
                                                      "members only"));
  }
  const std::string town = TownOf(member.branch_code);
  auto check_areas = [&](const std::vector<DutyArea>& configured,
                         const std::vector<std::string>& current_codes) -> absl::Status {
    const std::vector<DutyArea>& offered = EffectiveAreas(configured);
    std::vector<FieldViolation> unknown;
    for (size_t i = 0; i < duties.area_codes.size(); ++i) {
      const std::string& code = duties.area_codes[i];
      auto area = std::find_if(offered.begin(), offered.end(), [&](const DutyArea& a) { return a.code == code; });
      // A retired area stays acceptable in duties that already had it, so
      // editing the free text does not force dropping it.
      bool kept = std::find(current_codes.begin(), current_codes.end(), code) != current_codes.end();
      if (area == offered.end() || (area->retired && !kept)) {
        unknown.push_back({absl::StrCat("duties.area_codes[", i, "]"),
                           absl::StrCat(code, " is not an active duty area of town ", town, "; choose among ",
                                        Codes(offered, true))});
      }
    }
    return unknown.empty() ? absl::OkStatus() : InvalidArgument(unknown);
  };
  ASSIGN_OR_RETURN(MemberDuties stored, store_.SetMemberDuties(duties, town, check_areas, deadline));
  stored.member_full_name = member.full_name;
  stored.branch_code = member.branch_code;
  return stored;
}

absl::StatusOr<MemberDuties> Duties::Get(const Principal& caller, const std::string& member_id, int year,
                                         absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kMemberRead, "reading a member's duties"));
  std::vector<FieldViolation> violations;
  CheckMemberId(member_id, "member_id", violations);
  CheckPledgeYear(year, now_(), "year", violations);
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(Member member,
                   ReachableMember(store_.GetMember(member_id, deadline), caller, Permission::kMemberRead, member_id));
  absl::StatusOr<MemberDuties> duties = store_.GetMemberDuties(member_id, year, deadline);
  if (absl::IsNotFound(duties.status())) {
    return absl::NotFoundError(absl::StrCat("member ", member_id, " has no duties for ", year,
                                            "; the branch sets them with SetMemberDuties"));
  }
  if (!duties.ok()) return duties.status();
  duties->member_full_name = member.full_name;
  duties->branch_code = member.branch_code;
  return duties;
}

absl::StatusOr<MemberDutiesPage> Duties::List(const Principal& caller, const std::string& org_code, int year,
                                              int page_size, const std::string& page_token, absl::Time deadline) {
  std::vector<FieldViolation> violations;
  if (!IsDivisionCode(org_code)) {
    violations.push_back({"org_code", "must be a 12-digit division code, e.g. 500114101201"});
  }
  CheckPledgeYear(year, now_(), "year", violations);
  CheckPageSize(page_size, violations);
  if (!violations.empty()) return InvalidArgument(violations);
  ASSIGN_OR_RETURN(MemberListScope scope, MemberListScopeFor(caller, Permission::kMemberRead, org_code, "org_code"));
  const std::string listing = MemberDutiesListing(org_code, year);
  std::optional<MemberKey> after;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(std::string cursor, DecodePageToken(page_token, listing, IsMemberKeyCursor, "org_code and year"));
    std::vector<std::string> parts = *DecodeCursor(cursor, 3);
    after = MemberKey{parts[0], parts[1], parts[2]};
  }
  MemberDutiesPage page;
  std::optional<std::string> only_user = ListUserFilter(scope);
  if (!only_user.has_value()) return page;
  const int limit = PageLimit(page_size);
  ASSIGN_OR_RETURN(std::vector<MemberDuties> rows,
                   store_.ListMemberDuties(SubtreeOf(org_code), year, *only_user, after, limit + 1, deadline));
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    const MemberDuties& last = rows.back();
    page.next_page_token = EncodePageToken(listing, EncodeCursor({last.branch_code, last.member_full_name, last.member_id}));
  }
  page.duties = std::move(rows);
  return page;
}

}  // namespace gridserve::membership
