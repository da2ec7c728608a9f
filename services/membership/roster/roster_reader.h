#pragma once

// Reading a roster file (党员名册) into rows of cell texts: format detection,
// CSV decoding (UTF-8 with or without BOM, GB18030 as saved by Chinese Excel)
// and RFC 4180 parsing, and the first worksheet of an XLSX workbook. No
// knowledge of members here: roster_columns.h maps the cells to fields.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace gridserve::membership {

enum class RosterFileFormat { kCsv, kXlsx };

// XLSX when the bytes start like a zip archive ("PK\x03\x04"), else CSV.
RosterFileFormat DetectRosterFormat(absl::string_view bytes);

struct RosterCell {
  std::string text;  // UTF-8; for a numeric XLSX cell, the number as stored (e.g. "31107")
  // A numeric XLSX cell: dates are stored this way, as Excel serial days.
  bool numeric = false;
};

struct RosterRow {
  int row_number = 0;  // as a spreadsheet shows it: the first row is 1
  std::vector<RosterCell> cells;  // by column, "A" = 0; missing trailing cells are absent
};

struct RosterTable {
  // "UTF-8", "UTF-8 with BOM", "GB18030" or "XLSX".
  std::string detected_encoding;
  // Rows in file order. Rows whose cells are all blank are left out, but the
  // others keep their spreadsheet row numbers.
  std::vector<RosterRow> rows;
  // The workbook counts serial days from 1904-01-01 (old Mac Excel) instead of 1900.
  bool date1904 = false;
};

// Limits that keep a hostile file from exhausting memory: the largest
// uncompressed XLSX part read, and the most rows/columns accepted.
struct RosterLimits {
  size_t max_xml_part_bytes = 256u << 20;
  int max_rows = 50'001;  // RESOURCE_EXHAUSTED beyond: 50,000 members and the header row
  int max_columns = 200;
};

// UTF-8 text of a CSV file and the encoding it was read as: strictly valid
// UTF-8 (minus a BOM) is taken as UTF-8; anything else is converted from
// GB18030, and INVALID_ARGUMENT when that fails too.
struct DecodedText {
  std::string utf8;
  std::string encoding;
};
absl::StatusOr<DecodedText> DecodeCsvBytes(absl::string_view bytes);

// True when `bytes` is well-formed UTF-8 (no overlong forms, surrogates or
// code points above U+10FFFF).
bool IsStrictUtf8(absl::string_view bytes);

// RFC 4180 records of `utf8`: comma separated, double-quoted fields may hold
// commas, quotes ("") and line breaks; CRLF, LF or CR end a record.
// INVALID_ARGUMENT for an unterminated quote or text after a closing quote.
absl::StatusOr<std::vector<RosterRow>> ParseCsv(absl::string_view utf8, const RosterLimits& limits = {});

// The first worksheet of an XLSX workbook (as ordered in xl/workbook.xml):
// shared, inline and formula strings, numbers, booleans; sparse cells are
// placed by their reference ("C5"). INVALID_ARGUMENT for a broken file.
absl::StatusOr<RosterTable> ReadXlsx(absl::string_view bytes, const RosterLimits& limits = {});

// Either of the above, by `format` (nullopt: detected).
absl::StatusOr<RosterTable> ReadRoster(absl::string_view bytes, std::optional<RosterFileFormat> format,
                                       const RosterLimits& limits = {});

// The day of an Excel serial date (the integer part; the fraction is the
// time of day). 1900 system: serial 1 is 1900-01-01 and Excel's phantom
// 1900-02-29 (serial 60) is refused; 1904 system: serial 0 is 1904-01-01.
// nullopt outside 1900..9999.
std::optional<absl::CivilDay> ExcelSerialToDay(double serial, bool date1904);

// Zero-based column index of a cell reference such as "C5" (2), or -1.
int ColumnIndexOfReference(absl::string_view reference);

}  // namespace gridserve::membership
