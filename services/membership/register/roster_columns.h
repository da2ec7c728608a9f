#pragma once

// From roster cells to member fields: which column holds which field (the
// Chinese headers of the attachment-1 form and their usual variants), and
// each row's cells as text in the forms member_validation.h parses. The
// rules themselves (valid phone, dates in order, ...) are not here: the
// import runs ParseAndValidateMember on what this produces.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "membership/shared/member.h"
#include "membership/roster/roster_reader.h"

namespace gridserve::membership {

enum class RosterField {
  kFullName,          // 姓名
  kGender,            // 性别
  kBirthMonth,        // 出生年月
  kJoinedDate,        // 入党时间
  kPhone,             // 联系电话
  kBranch,            // 所在党支部（网格）
  kNationalId,        // 身份证号
  kGroupHead,         // 是否组长
  kNotes,             // 备注
  kGrid,              // 网格
  kPublicityConsent,  // 公示同意
};
inline constexpr int kRosterFieldCount = 11;

// The Member proto field a roster field fills ("full_name", "branch_code", ...).
absl::string_view RosterFieldName(RosterField field);
// The field's header in the attachment-1 form ("姓名", ...), for messages.
absl::string_view RosterFieldHeader(RosterField field);

// One problem of the import report (ImportRowProblem).
struct RosterProblem {
  int row_number = 0;
  std::string column;   // the header as written in the file, "" for the whole row
  std::string field;    // Member field name, "" for the whole row
  std::string problem;  // what is wrong and how to fix it
};

// Where each field is in the file.
struct RosterColumns {
  int header_row_number = 1;
  std::array<int, kRosterFieldCount> index;  // column index, -1 when the file has no such column
  std::vector<std::string> headers;          // by column index, as written in the file

  bool Has(RosterField field) const { return index[static_cast<int>(field)] >= 0; }
  // The header as written in the file, or the form's header when the column is absent.
  std::string HeaderOf(RosterField field) const;
};

// Maps the header row. Headers are matched after removing spaces (ASCII,
// full-width, no-break), a leading '*' and turning full-width brackets into
// ASCII ones, against the form's headers and common variants (出生日期,
// 手机号码, 身份证号码, 是否组长, ...). Row-numbering columns (序号, 编号) are
// ignored. Problems (all at the header's row) for: a missing required column
// (姓名, 性别, 出生年月, 入党时间), an unknown column (so that a misspelt
// optional column such as "身分证号" cannot be dropped silently), and two
// columns for one field.
RosterColumns MapRosterHeader(const RosterRow& header, std::vector<RosterProblem>& problems);

// One data row's cells, as text in the forms the register's parsers take.
struct RosterRecord {
  int row_number = 0;
  Member member;            // full_name, gender, phone, national_id, is_group_head, notes, publicity_consent, grid
  std::string birth_month;  // "YYYY-MM" (or the cell as written when unreadable, for the validator to name)
  std::string joined_date;  // "YYYY-MM-DD" or "YYYY-MM"
  std::string branch;       // the 所在党支部 cell: a 12-digit code or a name ("" when absent)
};

// Converts one row. Cell forms understood here, because they are roster
// habits rather than register rules: dates written 1985年3月 / 1985年3月5日,
// a full date in 出生年月 (its month is kept), Excel date cells (serial days)
// and year.month numbers (1985.03) in number cells; 男/女 labels
// (ParseGenderLabel); 是/否 (also 是的, √, Y/N, yes/no, 1/0, TRUE/FALSE) for
// 是否组长 and 公示同意. Cells that cannot be read add problems; the others
// are left to ParseAndValidateMember.
RosterRecord ConvertRosterRow(const RosterRow& row, const RosterColumns& columns, bool date1904,
                              std::vector<RosterProblem>& problems);

// "1985年3月" -> "1985-3", "1985年3月5日" -> "1985-3-5"; other text unchanged
// (trimmed). Exposed for tests.
std::string NormalizeRosterDateText(absl::string_view text);

// A 所在党支部 cell split into the branch and the grid written in brackets:
// "白石村党支部（三组）" -> {"白石村党支部", "三组"}.
struct BranchCell {
  std::string branch;
  std::string grid;
};
BranchCell SplitBranchCell(absl::string_view text);

// A branch name reduced for matching: spaces removed and a trailing
// 党支部 / 党总支 / 支部 / 党委 dropped, so "白石村党支部" matches "白石村".
std::string BranchMatchKey(absl::string_view name);

}  // namespace gridserve::membership
