#pragma once

// Roster files made at run time for tests and the import benchmark, so no
// binary fixture is committed: XLSX written with libxlsxwriter, CSV as
// RFC 4180 text, GB18030 by converting that text with iconv.

#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace gridserve::membership::testing {

// One XLSX cell: text, a number, or a date (written as an Excel serial
// number with a date format, as Excel stores dates), or empty.
struct Blank {};
using XlsxValue = std::variant<Blank, std::string, double, absl::CivilDay>;

struct XlsxOptions {
  // libxlsxwriter's constant-memory mode writes inline strings instead of
  // the shared string table: both forms occur in real files.
  bool inline_strings = false;
};

// The bytes of a one-sheet workbook holding `rows` (row 1 first).
absl::StatusOr<std::string> MakeXlsx(const std::vector<std::vector<XlsxValue>>& rows, XlsxOptions options = {});

// RFC 4180 text of `rows`: fields with a comma, quote or line break quoted, CRLF line ends.
std::string MakeCsv(const std::vector<std::vector<std::string>>& rows);

// `utf8` converted to GB18030 (as Chinese Excel saves "CSV (逗号分隔)").
absl::StatusOr<std::string> ToGb18030(const std::string& utf8);

}  // namespace gridserve::membership::testing
