#include "membership/register/member_validation.h"

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/division.h"
#include "common/utf8.h"

namespace gridserve::membership {
namespace {

constexpr int kEarliestYear = 1900;

bool AllDigits(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isdigit(c); });
}

// Year, month and (optionally) day separated by '-', '.' or '/'; a month or
// day may have one or two digits ("1975.3" is how many rosters write it).
std::optional<std::vector<int>> DateParts(absl::string_view text, size_t min_parts, size_t max_parts) {
  text = absl::StripAsciiWhitespace(text);
  std::vector<absl::string_view> parts = absl::StrSplit(text, absl::ByAnyChar("-./"));
  if (parts.size() < min_parts || parts.size() > max_parts) return std::nullopt;
  std::vector<int> values;
  for (size_t i = 0; i < parts.size(); ++i) {
    size_t max_digits = i == 0 ? 4 : 2;
    size_t min_digits = i == 0 ? 4 : 1;
    if (!AllDigits(parts[i]) || parts[i].size() < min_digits || parts[i].size() > max_digits) return std::nullopt;
    int value = 0;
    if (!absl::SimpleAtoi(parts[i], &value)) return std::nullopt;
    values.push_back(value);
  }
  if (values[0] < kEarliestYear || values[1] < 1 || values[1] > 12) return std::nullopt;
  return values;
}

std::optional<absl::CivilDay> RealDay(int year, int month, int day) {
  absl::CivilDay civil(year, month, day);
  if (day < 1 || civil.year() != year || civil.month() != month || civil.day() != day) return std::nullopt;
  return civil;
}

// U+FF10..U+FF19 (full-width digits) and U+FF0D (full-width hyphen) as
// ASCII; ASCII and ideographic spaces dropped.
std::string AsciiPhoneCharacters(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBC) {
      unsigned char last = text[i + 2];
      if (last >= 0x90 && last <= 0x99) {
        out.push_back(static_cast<char>('0' + (last - 0x90)));
        i += 2;
        continue;
      }
      if (last == 0x8D) {
        out.push_back('-');
        i += 2;
        continue;
      }
    }
    if (c == 0xE3 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        static_cast<unsigned char>(text[i + 2]) == 0x80) {
      i += 2;
      continue;
    }
    if (absl::ascii_isspace(c)) continue;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

bool IsMobile(absl::string_view digits) {
  return digits.size() == 11 && AllDigits(digits) && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

// 0 + a 2-3 digit area code (not starting with 0).
bool IsAreaCode(absl::string_view code) {
  return (code.size() == 3 || code.size() == 4) && AllDigits(code) && code[0] == '0' && code[1] != '0';
}

// 7-8 digits, not starting with 0 or 1 (those are prefixes, not local numbers).
bool IsLocalNumber(absl::string_view number) {
  return (number.size() == 7 || number.size() == 8) && AllDigits(number) && number[0] >= '2';
}

bool IsValidCollectionId(absl::string_view id) {
  return !id.empty() && id.size() <= 64 &&
         std::all_of(id.begin(), id.end(), [](char c) { return absl::ascii_isalnum(c) || c == '-' || c == '_'; });
}

constexpr std::array<int, 17> kIdWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kIdCheckCharacters[] = "10X98765432";

void CheckReference(absl::string_view value, absl::string_view collection, absl::string_view field,
                    std::vector<FieldViolation>& violations) {
  if (value.empty() || IsResourceName(value, collection)) return;
  violations.push_back({std::string(field), absl::StrCat("must be empty or \"", collection,
                                                         "/<id>\" (id of letters, digits, '-' or '_', at most 64)")});
}

// ValidateMember with the rules that compare a date skipped for a date the
// caller could not parse (it has reported that date already).
std::vector<FieldViolation> Validate(const Member& member, absl::CivilDay today, bool birth_known,
                                     bool joined_known) {
  std::vector<FieldViolation> violations;
  // Attachment 1 (承诺践诺书): 姓名.
  if (member.full_name.empty()) {
    violations.push_back({"full_name", "is required (姓名)"});
  } else if (CodePoints(member.full_name) > kMaxFullNameChars) {
    violations.push_back({"full_name", absl::StrCat("must be at most ", kMaxFullNameChars, " characters")});
  } else if (HasControlCharacters(member.full_name)) {
    violations.push_back({"full_name", "must not contain control characters"});
  }
  // 性别.
  if (member.gender == Gender::kUnspecified) violations.push_back({"gender", "is required (性别): MALE or FEMALE"});
  // 出生年月.
  absl::CivilMonth this_month(today);
  if (birth_known && (member.birth_month.year() < kEarliestYear || member.birth_month > this_month)) {
    violations.push_back({"birth_month", absl::StrCat("must be a month between ", kEarliestYear, "-01 and ",
                                                      FormatBirthMonth(this_month), ", as YYYY-MM")});
  }
  // 入党时间: not in the future, after birth, at 18 or older. Birth is known
  // to the month only, so age is compared in months: joining in the month
  // of the 18th birthday counts as 18 (the birthday may be the 1st), with a
  // full joined date as with a month-only one.
  if (joined_known) {
    absl::CivilMonth joined_month(member.joined_date);
    bool in_future = member.joined_month_only ? joined_month > this_month : member.joined_date > today;
    if (in_future) {
      violations.push_back({"joined_date", absl::StrCat("must not be in the future (today is ", FormatDay(today), ")")});
    } else if (birth_known && joined_month <= member.birth_month) {
      violations.push_back({"joined_date", "must be after the birth month (出生年月)"});
    } else if (birth_known && joined_month < member.birth_month + 12 * kMinAgeAtJoining) {
      violations.push_back({"joined_date", absl::StrCat("must be at least ", kMinAgeAtJoining,
                                                        " years after the birth month (", FormatBirthMonth(member.birth_month),
                                                        "): a member joins the party at 18 or older")});
    }
  }
  // 联系电话.
  if (!member.phone.empty() && !IsValidPhone(member.phone)) {
    violations.push_back({"phone", "must be a mainland mobile number (11 digits, 13x-19x, e.g. 13812348000) or a "
                                   "landline with area code (e.g. 023-79223456)"});
  }
  // 所在党支部.
  if (member.branch_code.empty()) {
    violations.push_back({"branch_code", "is required: the 12-digit code of the village or community, e.g. 500114101201"});
  } else if (!IsBranchCode(member.branch_code)) {
    violations.push_back({"branch_code", "must be the 12-digit code of a village or community (its last three digits "
                                         "not 000), e.g. 500114101201"});
  }
  CheckReference(member.grid, "grids", "grid", violations);
  CheckReference(member.household, "households", "household", violations);
  CheckReference(member.courtyard, "courtyards", "courtyard", violations);
  CheckReference(member.user, "users", "user", violations);
  if (CodePoints(member.notes) > kMaxNotesChars) {
    violations.push_back({"notes", absl::StrCat("must be at most ", kMaxNotesChars, " characters")});
  }
  // 身份证号 (optional): checksum, and consistent with birth month and gender.
  if (!member.national_id.empty()) {
    if (!IsValidNationalId(member.national_id)) {
      violations.push_back({"national_id", "must be an 18-character resident id number with a valid check character "
                                           "(last character a digit or X)"});
    } else {
      std::optional<absl::CivilMonth> id_month = NationalIdBirthMonth(member.national_id);
      if (birth_known && id_month != member.birth_month) {
        violations.push_back({"national_id", absl::StrCat("encodes birth month ", FormatBirthMonth(*id_month),
                                                          ", not birth_month ", FormatBirthMonth(member.birth_month),
                                                          "; correct one of them")});
      }
      // GB 11643: the 17th digit is odd for men, even for women.
      Gender id_gender = (member.national_id[16] - '0') % 2 == 1 ? Gender::kMale : Gender::kFemale;
      if (member.gender != Gender::kUnspecified && id_gender != member.gender) {
        violations.push_back({"national_id", absl::StrCat("encodes gender ", GenderName(id_gender), ", not ",
                                                          GenderName(member.gender), "; correct one of them")});
      }
    }
  }
  return violations;
}

}  // namespace

std::optional<absl::CivilMonth> ParseBirthMonth(absl::string_view text) {
  std::optional<std::vector<int>> parts = DateParts(text, 2, 2);
  if (!parts) return std::nullopt;
  return absl::CivilMonth((*parts)[0], (*parts)[1]);
}

std::optional<JoinedDate> ParseJoinedDate(absl::string_view text) {
  std::optional<std::vector<int>> parts = DateParts(text, 2, 3);
  if (!parts) return std::nullopt;
  if (parts->size() == 2) return JoinedDate{absl::CivilDay((*parts)[0], (*parts)[1], 1), true};
  std::optional<absl::CivilDay> day = RealDay((*parts)[0], (*parts)[1], (*parts)[2]);
  if (!day) return std::nullopt;
  return JoinedDate{*day, false};
}

std::optional<absl::CivilDay> ParseDay(absl::string_view text) {
  // Strictly YYYY-MM-DD: these dates come from programs, not from rosters.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0, month = 0, day = 0;
  if (!AllDigits(text.substr(0, 4)) || !AllDigits(text.substr(5, 2)) || !AllDigits(text.substr(8, 2)) ||
      !absl::SimpleAtoi(text.substr(0, 4), &year) || !absl::SimpleAtoi(text.substr(5, 2), &month) ||
      !absl::SimpleAtoi(text.substr(8, 2), &day) || year < kEarliestYear) {
    return std::nullopt;
  }
  return RealDay(year, month, day);
}

std::string FormatBirthMonth(absl::CivilMonth month) {
  return absl::StrFormat("%04d-%02d", month.year(), month.month());
}

std::string FormatJoinedDate(absl::CivilDay day, bool month_only) {
  return month_only ? FormatBirthMonth(absl::CivilMonth(day)) : FormatDay(day);
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string NormalizePhone(absl::string_view phone) {
  std::string text = AsciiPhoneCharacters(phone);
  if (text.empty()) return text;
  // (023)79223456 -> 023-79223456
  if (text[0] == '(') {
    size_t close = text.find(')');
    if (close != std::string::npos && IsAreaCode(text.substr(1, close - 1))) {
      absl::string_view rest = absl::string_view(text).substr(close + 1);
      absl::ConsumePrefix(&rest, "-");
      text = absl::StrCat(text.substr(1, close - 1), "-", rest);
    }
  }
  std::string digits = text;
  digits.erase(std::remove(digits.begin(), digits.end(), '-'), digits.end());
  absl::string_view mobile = digits;
  if (!absl::ConsumePrefix(&mobile, "+86")) absl::ConsumePrefix(&mobile, "86");
  if (IsMobile(mobile)) return std::string(mobile);
  if (IsMobile(digits)) return digits;
  // A landline keeps the hyphen after its area code and loses any other.
  size_t first_hyphen = text.find('-');
  if (first_hyphen != std::string::npos && IsAreaCode(text.substr(0, first_hyphen))) {
    std::string local = text.substr(first_hyphen + 1);
    local.erase(std::remove(local.begin(), local.end(), '-'), local.end());
    return absl::StrCat(text.substr(0, first_hyphen), "-", local);
  }
  return text;
}

bool IsValidPhone(absl::string_view phone) {
  if (IsMobile(phone)) return true;
  size_t hyphen = phone.find('-');
  if (hyphen != absl::string_view::npos) {
    return IsAreaCode(phone.substr(0, hyphen)) && IsLocalNumber(phone.substr(hyphen + 1));
  }
  // Without the hyphen some split into area code and local number must fit.
  for (size_t area_length : {3, 4}) {
    if (phone.size() > area_length && IsAreaCode(phone.substr(0, area_length)) &&
        IsLocalNumber(phone.substr(area_length))) {
      return true;
    }
  }
  return false;
}

std::string NormalizeNationalId(absl::string_view national_id) {
  std::string id;
  for (char c : national_id) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) id.push_back(c);
  }
  if (!id.empty() && id.back() == 'x') id.back() = 'X';
  return id;
}

bool IsValidNationalId(absl::string_view id) {
  if (id.size() != 18 || !AllDigits(id.substr(0, 17))) return false;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (id[i] - '0') * kIdWeights[i];
  if (id[17] != kIdCheckCharacters[sum % 11]) return false;
  int year = 0, month = 0, day = 0;
  (void)absl::SimpleAtoi(id.substr(6, 4), &year);
  (void)absl::SimpleAtoi(id.substr(10, 2), &month);
  (void)absl::SimpleAtoi(id.substr(12, 2), &day);
  return year >= kEarliestYear && RealDay(year, month, day).has_value();
}

std::optional<absl::CivilMonth> NationalIdBirthMonth(absl::string_view id) {
  if (!IsValidNationalId(id)) return std::nullopt;
  int year = 0, month = 0;
  (void)absl::SimpleAtoi(id.substr(6, 4), &year);
  (void)absl::SimpleAtoi(id.substr(10, 2), &month);
  return absl::CivilMonth(year, month);
}

absl::string_view GenderName(Gender gender) {
  switch (gender) {
    case Gender::kMale: return "MALE";
    case Gender::kFemale: return "FEMALE";
    case Gender::kUnspecified: return "UNSPECIFIED";
  }
  return "UNSPECIFIED";
}

std::optional<Gender> GenderFromName(absl::string_view name) {
  if (name == "MALE") return Gender::kMale;
  if (name == "FEMALE") return Gender::kFemale;
  return std::nullopt;
}

std::optional<Gender> ParseGenderLabel(absl::string_view label) {
  std::string text = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(label));
  if (text == "男" || text == "男性" || text == "M" || text == "MALE") return Gender::kMale;
  if (text == "女" || text == "女性" || text == "F" || text == "FEMALE") return Gender::kFemale;
  return std::nullopt;
}

absl::string_view MemberStatusName(MemberStatus status) {
  switch (status) {
    case MemberStatus::kActive: return "ACTIVE";
    case MemberStatus::kEnded: return "ENDED";
    case MemberStatus::kUnspecified: return "UNSPECIFIED";
  }
  return "UNSPECIFIED";
}

std::optional<MemberStatus> MemberStatusFromName(absl::string_view name) {
  if (name == "ACTIVE") return MemberStatus::kActive;
  if (name == "ENDED") return MemberStatus::kEnded;
  return std::nullopt;
}

absl::string_view EndReasonName(EndReason reason) {
  switch (reason) {
    case EndReason::kTransferredOut: return "TRANSFERRED_OUT";
    case EndReason::kDeceased: return "DECEASED";
    case EndReason::kWithdrawn: return "WITHDRAWN";
    case EndReason::kExpelled: return "EXPELLED";
    case EndReason::kOther: return "OTHER";
    case EndReason::kUnspecified: return "UNSPECIFIED";
  }
  return "UNSPECIFIED";
}

std::optional<EndReason> EndReasonFromName(absl::string_view name) {
  for (EndReason reason : {EndReason::kTransferredOut, EndReason::kDeceased, EndReason::kWithdrawn,
                           EndReason::kExpelled, EndReason::kOther}) {
    if (EndReasonName(reason) == name) return reason;
  }
  return std::nullopt;
}

bool IsBranchCode(absl::string_view code) {
  return IsDivisionCode(code) && code.substr(4, 2) != "00" && code.substr(6, 3) != "000" &&
         code.substr(9, 3) != "000";
}

bool IsResourceName(absl::string_view name, absl::string_view collection) {
  absl::string_view id = name;
  return absl::ConsumePrefix(&id, collection) && absl::ConsumePrefix(&id, "/") && IsValidCollectionId(id);
}

void NormalizeMember(Member& member) {
  member.full_name = std::string(absl::StripAsciiWhitespace(member.full_name));
  member.notes = std::string(absl::StripAsciiWhitespace(member.notes));
  member.phone = NormalizePhone(member.phone);
  member.national_id = NormalizeNationalId(member.national_id);
  member.branch_code = std::string(absl::StripAsciiWhitespace(member.branch_code));
}

std::vector<FieldViolation> ValidateMember(const Member& member, absl::CivilDay today) {
  return Validate(member, today, true, true);
}

std::vector<FieldViolation> ParseAndValidateMember(absl::string_view birth_month, absl::string_view joined_date,
                                                   Member& member, absl::CivilDay today) {
  std::vector<FieldViolation> violations;
  std::optional<absl::CivilMonth> birth = ParseBirthMonth(birth_month);
  if (birth) {
    member.birth_month = *birth;
  } else {
    violations.push_back({"birth_month", absl::StripAsciiWhitespace(birth_month).empty()
                                             ? "is required (出生年月), as YYYY-MM, e.g. 1975-03"
                                             : "must be a month as YYYY-MM, e.g. 1975-03"});
  }
  std::optional<JoinedDate> joined = ParseJoinedDate(joined_date);
  if (joined) {
    member.joined_date = joined->day;
    member.joined_month_only = joined->month_only;
  } else {
    violations.push_back({"joined_date", absl::StripAsciiWhitespace(joined_date).empty()
                                             ? "is required (入党时间), as YYYY-MM-DD or YYYY-MM"
                                             : "must be a date as YYYY-MM-DD, or YYYY-MM when only the month is known"});
  }
  std::vector<FieldViolation> rules = Validate(member, today, birth.has_value(), joined.has_value());
  violations.insert(violations.end(), rules.begin(), rules.end());
  return violations;
}

}  // namespace gridserve::membership
