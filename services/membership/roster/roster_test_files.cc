#include "membership/roster/roster_test_files.h"

#include <iconv.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "xlsxwriter.h"

namespace gridserve::membership::testing {

absl::StatusOr<std::string> MakeXlsx(const std::vector<std::vector<XlsxValue>>& rows, XlsxOptions options) {
  std::string dir_template = (std::filesystem::temp_directory_path() / "roster_xlsx_XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  std::filesystem::path dir(dir_template);
  std::string path = (dir / "roster.xlsx").string();
  std::string tmpdir = dir.string();
  lxw_workbook_options workbook_options{};
  workbook_options.constant_memory = options.inline_strings ? LXW_TRUE : LXW_FALSE;
  workbook_options.tmpdir = tmpdir.data();
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &workbook_options);
  if (workbook == nullptr) return absl::InternalError("workbook_new_opt failed");
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "党员名册");
  lxw_format* date_format = workbook_add_format(workbook);
  format_set_num_format(date_format, "yyyy-mm-dd");
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const XlsxValue& value = rows[r][c];
      auto row = static_cast<lxw_row_t>(r);
      auto col = static_cast<lxw_col_t>(c);
      if (const auto* text = std::get_if<std::string>(&value)) {
        worksheet_write_string(sheet, row, col, text->c_str(), nullptr);
      } else if (const auto* number = std::get_if<double>(&value)) {
        worksheet_write_number(sheet, row, col, *number, nullptr);
      } else if (const auto* day = std::get_if<absl::CivilDay>(&value)) {
        lxw_datetime datetime{static_cast<int>(day->year()), day->month(), day->day(), 0, 0, 0};
        worksheet_write_datetime(sheet, row, col, &datetime, date_format);
      }
    }
  }
  lxw_error closed = workbook_close(workbook);
  absl::StatusOr<std::string> bytes = absl::InternalError(lxw_strerror(closed));
  if (closed == LXW_NO_ERROR) {
    std::optional<std::string> read = ReadFile(path);
    bytes = read ? absl::StatusOr<std::string>(std::move(*read)) : absl::InternalError("cannot read " + path);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return bytes;
}

std::string MakeCsv(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const std::vector<std::string>& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      const std::string& field = row[i];
      if (field.find_first_of(",\"\r\n") == std::string::npos) {
        out += field;
        continue;
      }
      out += '"';
      for (char c : field) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

absl::StatusOr<std::string> ToGb18030(const std::string& utf8) {
  iconv_t converter = iconv_open("GB18030", "UTF-8");
  if (converter == reinterpret_cast<iconv_t>(-1)) return absl::InternalError("iconv cannot convert to GB18030");
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  size_t result = iconv(converter, &in_ptr, &in_left, &out_ptr, &out_left);
  int error = errno;
  iconv_close(converter);
  if (result == static_cast<size_t>(-1)) return absl::InternalError(absl::StrCat("iconv failed: errno ", error));
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace gridserve::membership::testing
