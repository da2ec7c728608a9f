#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/errors.h"
#include "membership/shared/member.h"

namespace gridserve::membership {

// The register's field rules (clause 二(一), attachment 1 of the seed), as
// pure functions shared by MemberService and the roster import: the import
// calls them for every row, so a row and a CreateMember call are judged alike.
// Field names in violations are the proto field names without a prefix
// ("phone", "joined_date"); callers add "member." or map them to a column.

inline constexpr int kMaxFullNameChars = 30;
inline constexpr int kMaxNotesChars = 500;
inline constexpr int kMinAgeAtJoining = 18;

// --- Dates -----------------------------------------------------------------

// "YYYY-MM" (出生年月), e.g. "1975-03"; nullopt otherwise. Also accepts
// "YYYY.MM" and "YYYY/MM", as Chinese rosters often write them.
std::optional<absl::CivilMonth> ParseBirthMonth(absl::string_view text);

// 入党时间: "YYYY-MM-DD", or "YYYY-MM" when only the month is known (then
// `day` is the 1st and `month_only` is set). '.' and '/' separators are
// accepted like '-'. nullopt when the text is neither or names no real day.
struct JoinedDate {
  absl::CivilDay day;
  bool month_only = false;
};
std::optional<JoinedDate> ParseJoinedDate(absl::string_view text);

// "YYYY-MM-DD" only (end dates, effective dates of transfers).
std::optional<absl::CivilDay> ParseDay(absl::string_view text);

std::string FormatBirthMonth(absl::CivilMonth month);            // "1975-03"
std::string FormatJoinedDate(absl::CivilDay day, bool month_only);  // "2001-07-01" or "2001-07"
std::string FormatDay(absl::CivilDay day);                        // "2001-07-01"

// --- Phone -----------------------------------------------------------------

// The phone as stored: surrounding and inner spaces removed, full-width
// digits and hyphens made ASCII, a leading "+86"/"86" of a mobile dropped,
// hyphens inside a mobile removed ("138-1234-5678" -> "13812345678"); a
// landline keeps at most the one hyphen after its area code. Text that is
// no phone at all is returned trimmed, for IsValidPhone to reject.
std::string NormalizePhone(absl::string_view phone);

// True for a normalised mainland mobile (1[3-9] and 9 more digits) or a
// landline with area code: 0 + 2-3 digit area code, optional '-', 7-8
// digits ("023-79223456", "01012345678").
bool IsValidPhone(absl::string_view normalized_phone);

// --- National id (身份证号) -------------------------------------------------

// Trimmed, inner spaces removed, final 'x' upper-cased.
std::string NormalizeNationalId(absl::string_view national_id);

// True for an 18-character resident id (GB 11643-1999): 17 digits, a check
// character (digit or 'X') matching the ISO 7064 MOD 11-2 checksum, and a
// real birth date in characters 7-14.
bool IsValidNationalId(absl::string_view normalized_id);

// The birth month encoded in a valid id (characters 7-12).
std::optional<absl::CivilMonth> NationalIdBirthMonth(absl::string_view normalized_id);

// --- Enums and references ----------------------------------------------------

absl::string_view GenderName(Gender gender);  // "MALE", "FEMALE", "UNSPECIFIED"
std::optional<Gender> GenderFromName(absl::string_view name);  // inverse of GenderName (not UNSPECIFIED)
// A roster's 性别 cell: 男/女 (also 男性/女性, M/F, MALE/FEMALE in any case).
std::optional<Gender> ParseGenderLabel(absl::string_view label);

absl::string_view MemberStatusName(MemberStatus status);  // "ACTIVE", "ENDED"
std::optional<MemberStatus> MemberStatusFromName(absl::string_view name);
absl::string_view EndReasonName(EndReason reason);  // "TRANSFERRED_OUT", ..., "OTHER"
std::optional<EndReason> EndReasonFromName(absl::string_view name);

// True for the 12-digit code of a village or community (所在党支部): county,
// town and village segments all non-zero. Whether it exists is the store's
// business.
bool IsBranchCode(absl::string_view code);

// True for "<collection>/<id>" with id 1-64 characters of [A-Za-z0-9_-],
// e.g. IsResourceName("grids/7f3a", "grids").
bool IsResourceName(absl::string_view name, absl::string_view collection);

// --- Whole member -----------------------------------------------------------

// Trims the name and notes and normalises phone and national id in place.
void NormalizeMember(Member& member);

// Every violation of a (normalised) member, dates already parsed:
//  full_name 1-30 characters, no control characters; gender given;
//  birth_month not in the future; joined_date not in the future, after the
//  birth month, and at age >= 18 — with month precision when
//  joined_month_only (then the 18th birthday month itself counts as old
//  enough, since the day within the month is unknown); phone valid when
//  given; branch_code a village/community code; grid/household/courtyard/
//  user empty or resource names; notes at most 500 characters; national id,
//  when given, valid and born in birth_month.
// Status, end fields and output-only fields are not looked at.
std::vector<FieldViolation> ValidateMember(const Member& member, absl::CivilDay today);

// For callers holding the dates as text (proto fields, roster cells): parses
// `birth_month` and `joined_date` into `member` and returns every violation,
// as ValidateMember, except that an empty or unparseable date is reported
// once on its own field and the rules comparing it are skipped.
std::vector<FieldViolation> ParseAndValidateMember(absl::string_view birth_month, absl::string_view joined_date,
                                                   Member& member, absl::CivilDay today);

}  // namespace gridserve::membership
