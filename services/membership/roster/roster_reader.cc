#include "membership/roster/roster_reader.h"

#include <iconv.h>
#include <zip.h>

#include <cerrno>
#include <cmath>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "pugixml.hpp"

namespace gridserve::membership {
namespace {

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsBlank(const std::vector<RosterCell>& cells) {
  for (const RosterCell& cell : cells) {
    if (!absl::StripAsciiWhitespace(cell.text).empty()) return false;
  }
  return true;
}

absl::Status TooManyRows(const RosterLimits& limits) {
  return absl::ResourceExhaustedError(
      absl::StrCat("the roster has more than ", limits.max_rows, " rows; split it into several files"));
}

// GB18030 -> UTF-8 with glibc's iconv; nullopt when the bytes are not GB18030 either.
std::optional<std::string> Gb18030ToUtf8(absl::string_view bytes) {
  iconv_t converter = iconv_open("UTF-8", "GB18030");
  if (converter == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  bool ok = true;
  while (in_left > 0) {
    if (iconv(converter, &in_ptr, &in_left, &out_ptr, &out_left) != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      // Every GB18030 sequence (1, 2 or 4 bytes) becomes at most 4 UTF-8
      // bytes, so twice the input is nearly always enough; grow if not.
      size_t used = out.size() - out_left;
      out.resize(out.size() * 2);
      out_ptr = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    ok = false;  // EILSEQ or a truncated sequence (EINVAL) at the end
    break;
  }
  iconv_close(converter);
  if (!ok) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

// --- XLSX ---------------------------------------------------------------

struct ZipCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using ZipArchive = std::unique_ptr<zip_t, ZipCloser>;

absl::Status BrokenXlsx(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "the file looks like XLSX but ", what, "; save it again from Excel/WPS as .xlsx or export it as CSV"));
}

// The uncompressed bytes of one part; nullopt when the archive has no such entry.
absl::StatusOr<std::optional<std::string>> ReadPart(zip_t* archive, const std::string& name,
                                                    const RosterLimits& limits) {
  zip_int64_t index = zip_name_locate(archive, name.c_str(), 0);
  if (index < 0) return std::optional<std::string>();
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive, index, 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE)) {
    return BrokenXlsx(absl::StrCat("its part ", name, " cannot be read"));
  }
  if (stat.size > limits.max_xml_part_bytes) {
    return BrokenXlsx(absl::StrCat("its part ", name, " unpacks to more than ", limits.max_xml_part_bytes >> 20, " MiB"));
  }
  zip_file_t* file = zip_fopen_index(archive, index, 0);
  if (file == nullptr) return BrokenXlsx(absl::StrCat("its part ", name, " cannot be opened"));
  std::string data(stat.size, '\0');
  zip_int64_t read = zip_fread(file, data.data(), stat.size);
  zip_fclose(file);
  if (read < 0 || static_cast<zip_uint64_t>(read) != stat.size) {
    return BrokenXlsx(absl::StrCat("its part ", name, " is damaged"));
  }
  return std::optional<std::string>(std::move(data));
}

absl::StatusOr<pugi::xml_document> ParseXml(const std::string& data, const std::string& name) {
  pugi::xml_document document;
  pugi::xml_parse_result parsed = document.load_buffer(data.data(), data.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) return BrokenXlsx(absl::StrCat("its part ", name, " is not well-formed XML (", parsed.description(), ")"));
  return document;
}

// Element names without a namespace prefix: some writers use "x:row".
absl::string_view LocalName(const pugi::xml_node& node) {
  absl::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == absl::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& parent, absl::string_view local_name) {
  for (pugi::xml_node child : parent.children()) {
    if (LocalName(child) == local_name) return child;
  }
  return pugi::xml_node();
}

// Attribute by local name (for "r:id", whose prefix varies).
pugi::xml_attribute Attribute(const pugi::xml_node& node, absl::string_view local_name) {
  for (pugi::xml_attribute attribute : node.attributes()) {
    absl::string_view name = attribute.name();
    size_t colon = name.find(':');
    if ((colon == absl::string_view::npos ? name : name.substr(colon + 1)) == local_name) return attribute;
  }
  return pugi::xml_attribute();
}

// Text of a string item (<si> or <is>): plain <t>, or rich-text runs <r><t>;
// phonetic guides (<rPh>) are not part of the value.
void AppendStringItem(const pugi::xml_node& item, std::string& out) {
  for (pugi::xml_node child : item.children()) {
    absl::string_view name = LocalName(child);
    if (name == "t") {
      out += child.text().get();
    } else if (name == "r") {
      if (pugi::xml_node t = Child(child, "t")) out += t.text().get();
    }
  }
}

// "xl/worksheets/sheet1.xml" for the first <sheet> of the workbook.
absl::StatusOr<std::string> FirstSheetPath(zip_t* archive, const RosterLimits& limits, bool& date1904) {
  absl::StatusOr<std::optional<std::string>> workbook_xml = ReadPart(archive, "xl/workbook.xml", limits);
  if (!workbook_xml.ok()) return workbook_xml.status();
  if (!workbook_xml->has_value()) return BrokenXlsx("it has no xl/workbook.xml");
  absl::StatusOr<pugi::xml_document> workbook = ParseXml(**workbook_xml, "xl/workbook.xml");
  if (!workbook.ok()) return workbook.status();
  pugi::xml_node root = workbook->document_element();
  if (pugi::xml_node properties = Child(root, "workbookPr")) {
    absl::string_view value = properties.attribute("date1904").value();
    date1904 = value == "1" || value == "true";
  }
  pugi::xml_node sheet = Child(Child(root, "sheets"), "sheet");
  if (!sheet) return BrokenXlsx("its workbook has no worksheet");
  std::string relation_id = Attribute(sheet, "id").value();

  absl::StatusOr<std::optional<std::string>> rels_xml = ReadPart(archive, "xl/_rels/workbook.xml.rels", limits);
  if (!rels_xml.ok()) return rels_xml.status();
  if (rels_xml->has_value() && !relation_id.empty()) {
    absl::StatusOr<pugi::xml_document> rels = ParseXml(**rels_xml, "xl/_rels/workbook.xml.rels");
    if (!rels.ok()) return rels.status();
    for (pugi::xml_node relation : rels->document_element().children()) {
      if (LocalName(relation) != "Relationship" || relation_id != relation.attribute("Id").value()) continue;
      std::string target = relation.attribute("Target").value();
      if (absl::StartsWith(target, "/")) return target.substr(1);  // absolute within the package
      return "xl/" + target;
    }
  }
  // Without a usable relationship, the conventional name of the first sheet.
  return std::string("xl/worksheets/sheet1.xml");
}

// Excel stores large whole numbers as e.g. "1.3800138E10"; a phone number
// typed into a number cell is wanted as its digits.
std::string NumberText(absl::string_view stored) {
  if (stored.find_first_of("eE") == absl::string_view::npos) return std::string(stored);
  double value;
  if (!absl::SimpleAtod(stored, &value) || std::fabs(value) >= 1e15 || value != std::floor(value)) {
    return std::string(stored);
  }
  return absl::StrFormat("%.0f", value);
}

}  // namespace

RosterFileFormat DetectRosterFormat(absl::string_view bytes) {
  return absl::StartsWith(bytes, absl::string_view("PK\x03\x04", 4)) ? RosterFileFormat::kXlsx
                                                                     : RosterFileFormat::kCsv;
}

bool IsStrictUtf8(absl::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  while (p < end) {
    unsigned char lead = *p;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    int length;
    uint32_t code_point;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return false;  // continuation byte as lead, overlong 2-byte lead (C0, C1), or beyond U+10FFFF
    }
    if (end - p < length) return false;
    for (int i = 1; i < length; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (p[i] & 0x3F);
    }
    if ((length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000)) return false;  // overlong
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;  // UTF-16 surrogate
    if (code_point > 0x10FFFF) return false;
    p += length;
  }
  return true;
}

absl::StatusOr<DecodedText> DecodeCsvBytes(absl::string_view bytes) {
  if (absl::StartsWith(bytes, kUtf8Bom)) {
    absl::string_view rest = bytes.substr(kUtf8Bom.size());
    if (!IsStrictUtf8(rest)) {
      return absl::InvalidArgumentError(
          "the CSV file starts with a UTF-8 byte order mark but is not valid UTF-8; save it again as "
          "\"CSV UTF-8\"");
    }
    return DecodedText{std::string(rest), "UTF-8 with BOM"};
  }
  if (IsStrictUtf8(bytes)) return DecodedText{std::string(bytes), "UTF-8"};
  std::optional<std::string> converted = Gb18030ToUtf8(bytes);
  if (!converted) {
    return absl::InvalidArgumentError(
        "the CSV file is neither UTF-8 nor GB18030 (GBK) text; save it from Excel/WPS as \"CSV UTF-8\" or as XLSX");
  }
  return DecodedText{std::move(*converted), "GB18030"};
}

absl::StatusOr<std::vector<RosterRow>> ParseCsv(absl::string_view text, const RosterLimits& limits) {
  std::vector<RosterRow> rows;
  std::vector<RosterCell> cells;
  std::string field;
  int row_number = 1;
  bool in_quotes = false;
  bool after_quote = false;  // the field's closing quote was seen
  bool record_has_content = false;  // anything at all on this line (even an empty field before a comma)
  auto end_field = [&] {
    cells.push_back(RosterCell{std::move(field), false});
    field.clear();
    after_quote = false;
  };
  auto end_record = [&]() -> absl::Status {
    end_field();
    if (!IsBlank(cells)) {
      if (static_cast<int>(rows.size()) >= limits.max_rows) return TooManyRows(limits);
      if (static_cast<int>(cells.size()) > limits.max_columns) {
        return absl::InvalidArgumentError(absl::StrCat("row ", row_number, " has more than ", limits.max_columns,
                                                       " columns; is the file really a roster?"));
      }
      rows.push_back(RosterRow{row_number, std::move(cells)});
    }
    cells.clear();
    ++row_number;
    record_has_content = false;
    return absl::OkStatus();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
          after_quote = true;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == ',') {
      end_field();
      record_has_content = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (absl::Status status = end_record(); !status.ok()) return status;
    } else if (after_quote) {
      return absl::InvalidArgumentError(absl::StrCat(
          "row ", row_number, ": text after a closing quote; inside a quoted field write a quote as \"\""));
    } else if (c == '"' && field.empty()) {
      in_quotes = true;
      record_has_content = true;
    } else {
      // A quote inside an unquoted field is kept as is (Excel does the same).
      field += c;
      record_has_content = true;
    }
  }
  if (in_quotes) {
    return absl::InvalidArgumentError(
        absl::StrCat("row ", row_number, ": a quoted field is not closed before the end of the file"));
  }
  if (record_has_content || !field.empty() || !cells.empty()) {
    if (absl::Status status = end_record(); !status.ok()) return status;
  }
  return rows;
}

int ColumnIndexOfReference(absl::string_view reference) {
  int column = 0;
  size_t i = 0;
  while (i < reference.size() && absl::ascii_isalpha(reference[i])) {
    column = column * 26 + (absl::ascii_toupper(reference[i]) - 'A' + 1);
    if (column > 16384) return -1;  // beyond XFD, Excel's last column
    ++i;
  }
  if (i == 0) return -1;
  return column - 1;
}

std::optional<absl::CivilDay> ExcelSerialToDay(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0 || serial > 2958465) return std::nullopt;  // 9999-12-31
  auto days = static_cast<int64_t>(std::floor(serial));
  absl::CivilDay day;
  if (date1904) {
    day = absl::CivilDay(1904, 1, 1) + days;
  } else {
    if (days == 0 || days == 60) return std::nullopt;  // "1900-01-00" and the phantom 1900-02-29
    // Excel treats 1900 as a leap year, so serials after its phantom day are one too high.
    day = days < 60 ? absl::CivilDay(1899, 12, 31) + days : absl::CivilDay(1899, 12, 30) + days;
  }
  return day;
}

absl::StatusOr<RosterTable> ReadXlsx(absl::string_view bytes, const RosterLimits& limits) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return absl::ResourceExhaustedError("cannot open the XLSX file in memory");
  }
  ZipArchive archive(zip_open_from_source(source, ZIP_RDONLY, &error));
  if (!archive) {
    zip_source_free(source);
    std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    return BrokenXlsx(absl::StrCat("it is not a readable zip archive (", reason, ")"));
  }
  zip_error_fini(&error);

  RosterTable table;
  table.detected_encoding = "XLSX";
  absl::StatusOr<std::string> sheet_path = FirstSheetPath(archive.get(), limits, table.date1904);
  if (!sheet_path.ok()) return sheet_path.status();

  std::vector<std::string> shared_strings;
  absl::StatusOr<std::optional<std::string>> shared_xml = ReadPart(archive.get(), "xl/sharedStrings.xml", limits);
  if (!shared_xml.ok()) return shared_xml.status();
  if (shared_xml->has_value()) {
    absl::StatusOr<pugi::xml_document> shared = ParseXml(**shared_xml, "xl/sharedStrings.xml");
    if (!shared.ok()) return shared.status();
    for (pugi::xml_node item : shared->document_element().children()) {
      if (LocalName(item) != "si") continue;
      std::string text;
      AppendStringItem(item, text);
      shared_strings.push_back(std::move(text));
    }
  }

  absl::StatusOr<std::optional<std::string>> sheet_xml = ReadPart(archive.get(), *sheet_path, limits);
  if (!sheet_xml.ok()) return sheet_xml.status();
  if (!sheet_xml->has_value()) return BrokenXlsx(absl::StrCat("its first worksheet ", *sheet_path, " is missing"));
  absl::StatusOr<pugi::xml_document> sheet = ParseXml(**sheet_xml, *sheet_path);
  if (!sheet.ok()) return sheet.status();
  sheet_xml->reset();  // the parsed tree has its own copy; free the text early

  int next_row_number = 1;
  for (pugi::xml_node row : Child(sheet->document_element(), "sheetData").children()) {
    if (LocalName(row) != "row") continue;
    int row_number = row.attribute("r").as_int(next_row_number);
    if (row_number < next_row_number) {
      return BrokenXlsx(absl::StrCat("its worksheet lists row ", row_number, " out of order"));
    }
    next_row_number = row_number + 1;
    std::vector<RosterCell> cells;
    int next_column = 0;
    for (pugi::xml_node cell : row.children()) {
      if (LocalName(cell) != "c") continue;
      int column = next_column;
      if (pugi::xml_attribute reference = cell.attribute("r")) column = ColumnIndexOfReference(reference.value());
      if (column < 0) return BrokenXlsx(absl::StrCat("row ", row_number, " has a bad cell reference"));
      if (column >= limits.max_columns) {
        return absl::InvalidArgumentError(absl::StrCat("row ", row_number, " has more than ", limits.max_columns,
                                                       " columns; is the file really a roster?"));
      }
      next_column = column + 1;
      absl::string_view type = cell.attribute("t").value();
      pugi::xml_node value = Child(cell, "v");
      RosterCell parsed;
      if (type == "s") {
        int index = value.text().as_int(-1);
        if (index < 0 || index >= static_cast<int>(shared_strings.size())) {
          return BrokenXlsx(absl::StrCat("cell ", cell.attribute("r").value(), " names a missing shared string"));
        }
        parsed.text = shared_strings[index];
      } else if (type == "inlineStr") {
        AppendStringItem(Child(cell, "is"), parsed.text);
      } else if (type == "str" || type == "e") {
        parsed.text = value.text().get();  // a formula's string result, or an error such as #N/A
      } else if (type == "b") {
        parsed.text = value.text().as_int() != 0 ? "TRUE" : "FALSE";
      } else {
        // "n" or absent: a number (dates included). ISO dates ("d") are rare
        // and arrive as their text.
        parsed.text = type == "d" ? value.text().get() : NumberText(value.text().get());
        parsed.numeric = type != "d" && !parsed.text.empty();
      }
      if (static_cast<int>(cells.size()) <= column) cells.resize(column + 1);
      cells[column] = std::move(parsed);
    }
    if (IsBlank(cells)) continue;
    if (static_cast<int>(table.rows.size()) >= limits.max_rows) return TooManyRows(limits);
    table.rows.push_back(RosterRow{row_number, std::move(cells)});
  }
  return table;
}

absl::StatusOr<RosterTable> ReadRoster(absl::string_view bytes, std::optional<RosterFileFormat> format,
                                       const RosterLimits& limits) {
  RosterFileFormat actual = format.value_or(DetectRosterFormat(bytes));
  if (actual == RosterFileFormat::kXlsx) {
    if (DetectRosterFormat(bytes) != RosterFileFormat::kXlsx) {
      return absl::InvalidArgumentError("the file was sent as XLSX but is not a zip archive; is it a CSV or an old .xls?");
    }
    return ReadXlsx(bytes, limits);
  }
  if (absl::StartsWith(bytes, absl::string_view("\xD0\xCF\x11\xE0", 4))) {
    return absl::InvalidArgumentError("the file is an old Excel 97-2003 workbook (.xls); save it as .xlsx or CSV");
  }
  absl::StatusOr<DecodedText> decoded = DecodeCsvBytes(bytes);
  if (!decoded.ok()) return decoded.status();
  absl::StatusOr<std::vector<RosterRow>> rows = ParseCsv(decoded->utf8, limits);
  if (!rows.ok()) return rows.status();
  return RosterTable{.detected_encoding = std::move(decoded->encoding), .rows = std::move(*rows)};
}

}  // namespace gridserve::membership
