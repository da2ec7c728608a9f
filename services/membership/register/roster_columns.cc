#include "membership/register/roster_columns.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "membership/register/member_validation.h"

namespace gridserve::membership {
namespace {

struct FieldInfo {
  RosterField field;
  absl::string_view name;
  absl::string_view header;
  std::vector<absl::string_view> aliases;  // normalised (see NormalizeHeader)
  bool required;
};

const std::vector<FieldInfo>& Fields() {
  static const auto* fields = new std::vector<FieldInfo>{
      {RosterField::kFullName, "full_name", "姓名", {"姓名", "党员姓名"}, true},
      {RosterField::kGender, "gender", "性别", {"性别"}, true},
      {RosterField::kBirthMonth, "birth_month", "出生年月", {"出生年月", "出生日期", "出生年月日"}, true},
      {RosterField::kJoinedDate, "joined_date", "入党时间", {"入党时间", "入党日期", "入党年月"}, true},
      {RosterField::kPhone,
       "phone",
       "联系电话",
       {"联系电话", "电话", "电话号码", "手机", "手机号", "手机号码", "联系方式"},
       false},
      {RosterField::kBranch,
       "branch_code",
       "所在党支部（网格）",
       {"所在党支部(网格)", "所在党支部", "党支部", "所在支部", "支部"},
       false},
      {RosterField::kNationalId,
       "national_id",
       "身份证号",
       {"身份证号", "身份证号码", "公民身份号码", "身份证"},
       false},
      {RosterField::kGroupHead, "is_group_head", "是否组长", {"是否组长", "组长"}, false},
      {RosterField::kNotes, "notes", "备注", {"备注"}, false},
      {RosterField::kGrid, "grid", "网格", {"网格", "所在网格"}, false},
      {RosterField::kPublicityConsent,
       "publicity_consent",
       "公示同意",
       {"公示同意", "同意公示", "是否同意公示"},
       false},
  };
  return *fields;
}

// Columns that number the rows; they carry nothing to import.
bool IsRowNumberingHeader(absl::string_view normalized) {
  return normalized == "序号" || normalized == "编号" || absl::AsciiStrToLower(normalized) == "no.";
}

// Spaces of every width removed, full-width brackets as ASCII, a leading
// required-marker '*' dropped.
std::string NormalizeHeader(absl::string_view header) {
  std::string text = absl::StrReplaceAll(header, {{"\xE3\x80\x80", ""},  // U+3000 ideographic space
                                                  {"\xC2\xA0", ""},      // U+00A0 no-break space
                                                  {"\xEF\xBC\x88", "("},  // （
                                                  {"\xEF\xBC\x89", ")"},  // ）
                                                  {"\xEF\xBC\x8A", "*"}});  // ＊
  text.erase(std::remove_if(text.begin(), text.end(), [](unsigned char c) { return absl::ascii_isspace(c); }),
             text.end());
  while (!text.empty() && text.front() == '*') text.erase(text.begin());
  return text;
}

std::string Trimmed(absl::string_view text) {
  std::string out = absl::StrReplaceAll(text, {{"\xE3\x80\x80", " "}, {"\xC2\xA0", " "}});
  return std::string(absl::StripAsciiWhitespace(out));
}

const RosterCell* CellAt(const RosterRow& row, int index) {
  if (index < 0 || index >= static_cast<int>(row.cells.size())) return nullptr;
  return &row.cells[index];
}

std::optional<bool> ParseYesNo(absl::string_view text) {
  std::string value = absl::AsciiStrToLower(Trimmed(text));
  if (value.empty() || value == "否" || value == "不是" || value == "n" || value == "no" || value == "0" ||
      value == "false" || value == "不同意" || value == "×") {
    return false;
  }
  if (value == "是" || value == "是的" || value == "y" || value == "yes" || value == "1" || value == "true" ||
      value == "同意" || value == "√" || value == "✓") {
    return true;
  }
  return std::nullopt;
}

// A date column's cell as text for the register's date parsers; nullopt
// after adding a problem when the cell cannot be a date at all.
std::optional<std::string> DateCellText(const RosterCell& cell, bool month_only, bool date1904, int row_number,
                                        const std::string& column, absl::string_view field,
                                        std::vector<RosterProblem>& problems) {
  auto problem = [&](std::string text) {
    problems.push_back({row_number, column, std::string(field), std::move(text)});
    return std::nullopt;
  };
  if (!cell.numeric) {
    std::string text = NormalizeRosterDateText(cell.text);
    if (month_only) {
      // A full date in 出生年月: the form asks for the month only.
      std::vector<std::string> parts = absl::StrSplit(text, absl::ByAnyChar("-./"));
      if (parts.size() == 3) text = absl::StrCat(parts[0], "-", parts[1]);
    }
    return text;
  }
  double value = 0;
  if (!absl::SimpleAtod(cell.text, &value)) return problem(absl::StrCat("\"", cell.text, "\" is not a date"));
  if (value >= 1900 && value < 2100) {
    // year.month typed into a number cell, e.g. 1985.03 (stored as 1985.03).
    std::vector<absl::string_view> parts = absl::StrSplit(cell.text, '.');
    if (parts.size() != 2) {
      return problem(absl::StrCat(cell.text, " has no month; write year and month, e.g. ", cell.text, "-03"));
    }
    if (parts[1] == "1") {
      return problem(absl::StrCat(
          "the number ", cell.text,
          " is ambiguous: Excel stores 1985.10 as 1985.1; format the column as text or write ",
          parts[0], "-01 or ", parts[0], "-10"));
    }
    return absl::StrCat(parts[0], "-", parts[1]);
  }
  std::optional<absl::CivilDay> day = ExcelSerialToDay(value, date1904);
  if (!day) return problem(absl::StrCat("the number ", cell.text, " is not a date; write e.g. 1985-03"));
  if (month_only) return absl::StrFormat("%04d-%02d", day->year(), day->month());
  return absl::StrFormat("%04d-%02d-%02d", day->year(), day->month(), day->day());
}

}  // namespace

absl::string_view RosterFieldName(RosterField field) { return Fields()[static_cast<int>(field)].name; }
absl::string_view RosterFieldHeader(RosterField field) { return Fields()[static_cast<int>(field)].header; }

std::string RosterColumns::HeaderOf(RosterField field) const {
  int column = index[static_cast<int>(field)];
  if (column >= 0 && column < static_cast<int>(headers.size())) return headers[column];
  return std::string(RosterFieldHeader(field));
}

RosterColumns MapRosterHeader(const RosterRow& header, std::vector<RosterProblem>& problems) {
  RosterColumns columns;
  columns.header_row_number = header.row_number;
  columns.index.fill(-1);
  std::vector<std::string> unknown;
  for (int i = 0; i < static_cast<int>(header.cells.size()); ++i) {
    std::string written = Trimmed(header.cells[i].text);
    columns.headers.push_back(written);
    std::string normalized = NormalizeHeader(written);
    if (normalized.empty() || IsRowNumberingHeader(normalized)) continue;
    bool known = false;
    for (const FieldInfo& info : Fields()) {
      if (std::find(info.aliases.begin(), info.aliases.end(), normalized) == info.aliases.end()) continue;
      known = true;
      int& slot = columns.index[static_cast<int>(info.field)];
      if (slot >= 0) {
        problems.push_back({header.row_number, written, std::string(info.name),
                            absl::StrCat("columns ", columns.headers[slot], " and ", written, " both give ",
                                         info.header, "; keep one of them")});
      } else {
        slot = i;
      }
      break;
    }
    if (!known) unknown.push_back(written);
  }
  for (const std::string& column : unknown) {
    problems.push_back({header.row_number, column, "",
                        absl::StrCat("unknown column ", column,
                                     "; rename it to one of 姓名, 性别, 出生年月, 入党时间, 联系电话, 所在党支部（网格）, "
                                     "身份证号, 是否组长, 备注, 网格, 公示同意, or delete it")});
  }
  for (const FieldInfo& info : Fields()) {
    if (info.required && !columns.Has(info.field)) {
      problems.push_back({header.row_number, std::string(info.header), std::string(info.name),
                          absl::StrCat("the roster has no ", info.header, " column; add it (header row ",
                                       header.row_number, ")")});
    }
  }
  return columns;
}

std::string NormalizeRosterDateText(absl::string_view text) {
  std::string out = Trimmed(text);
  // 1985年3月5日 -> 1985-3-5; 1985年3月 -> 1985-3 (a trailing separator is dropped).
  out = absl::StrReplaceAll(out, {{"年", "-"}, {"月", "-"}, {"日", ""}, {"号", ""}});
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

BranchCell SplitBranchCell(absl::string_view text) {
  std::string cell = absl::StrReplaceAll(Trimmed(text), {{"\xEF\xBC\x88", "("}, {"\xEF\xBC\x89", ")"}});
  size_t open = cell.find('(');
  if (open == std::string::npos || cell.back() != ')') return {Trimmed(cell), ""};
  return {Trimmed(cell.substr(0, open)), Trimmed(cell.substr(open + 1, cell.size() - open - 2))};
}

std::string BranchMatchKey(absl::string_view name) {
  std::string key = NormalizeHeader(name);
  for (absl::string_view suffix : {"党支部委员会", "党总支", "党支部", "支部", "党委"}) {
    if (absl::EndsWith(key, suffix) && key.size() > suffix.size()) {
      key.resize(key.size() - suffix.size());
      break;
    }
  }
  if (absl::StartsWith(key, "中共") && key.size() > 6) key.erase(0, 6);  // "中共" is two 3-byte characters
  return key;
}

RosterRecord ConvertRosterRow(const RosterRow& row, const RosterColumns& columns, bool date1904,
                              std::vector<RosterProblem>& problems) {
  RosterRecord record;
  record.row_number = row.row_number;
  auto cell = [&](RosterField field) -> const RosterCell* {
    return CellAt(row, columns.index[static_cast<int>(field)]);
  };
  auto text = [&](RosterField field) -> std::string {
    const RosterCell* found = cell(field);
    return found == nullptr ? "" : Trimmed(found->text);
  };
  auto problem = [&](RosterField field, std::string message) {
    problems.push_back({row.row_number, columns.HeaderOf(field), std::string(RosterFieldName(field)),
                        std::move(message)});
  };

  record.member.full_name = text(RosterField::kFullName);
  std::string gender = text(RosterField::kGender);
  if (!gender.empty()) {
    std::optional<Gender> parsed = ParseGenderLabel(gender);
    if (parsed) {
      record.member.gender = *parsed;
    } else {
      problem(RosterField::kGender, absl::StrCat("\"", gender, "\" is not a gender; write 男 or 女"));
    }
  }
  for (RosterField field : {RosterField::kBirthMonth, RosterField::kJoinedDate}) {
    const RosterCell* found = cell(field);
    if (found == nullptr) continue;
    std::optional<std::string> date =
        DateCellText(*found, field == RosterField::kBirthMonth, date1904, row.row_number, columns.HeaderOf(field),
                     RosterFieldName(field), problems);
    if (!date) continue;
    (field == RosterField::kBirthMonth ? record.birth_month : record.joined_date) = std::move(*date);
  }
  record.member.phone = text(RosterField::kPhone);
  record.member.national_id = text(RosterField::kNationalId);
  record.member.notes = text(RosterField::kNotes);
  record.member.grid = text(RosterField::kGrid);
  record.branch = text(RosterField::kBranch);
  for (RosterField field : {RosterField::kGroupHead, RosterField::kPublicityConsent}) {
    std::string value = text(field);
    std::optional<bool> yes = ParseYesNo(value);
    if (!yes) {
      problem(field, absl::StrCat("\"", value, "\" is neither 是 nor 否"));
      continue;
    }
    (field == RosterField::kGroupHead ? record.member.is_group_head : record.member.publicity_consent) = *yes;
  }
  return record;
}

}  // namespace gridserve::membership
