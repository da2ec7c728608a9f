#include "tools/gridctl/output.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"

namespace gridserve::gridctl {
namespace {

bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x20000 && c <= 0x3FFFD);
}

std::string Pad(const std::string& text, int width) {
  return text + std::string(std::max(0, width - DisplayWidth(text)), ' ');
}

}  // namespace

int DisplayWidth(absl::string_view utf8) {
  int width = 0;
  for (size_t i = 0; i < utf8.size();) {
    unsigned char lead = static_cast<unsigned char>(utf8[i]);
    int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
    if (i + length > utf8.size()) length = 1;
    char32_t code = length == 1 ? lead : lead & (0x7F >> length);
    for (int k = 1; k < length; ++k) code = (code << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    width += IsWide(code) ? 2 : 1;
    i += length;
  }
  return width;
}

std::string Table::Render() const {
  std::vector<int> widths;
  for (const std::string& header : headers_) widths.push_back(DisplayWidth(header));
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  auto render_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      absl::StrAppend(&line, i + 1 == widths.size() ? cell : Pad(cell, widths[i] + 2));
    }
    return std::string(absl::StripTrailingAsciiWhitespace(line)) + "\n";
  };
  std::string text = render_row(headers_);
  for (const auto& row : rows_) text += render_row(row);
  return text;
}

std::string KeyValues(const std::vector<std::pair<std::string, std::string>>& rows) {
  int width = 0;
  for (const auto& [key, value] : rows) width = std::max(width, DisplayWidth(key) + 1);
  std::string text;
  for (const auto& [key, value] : rows) absl::StrAppend(&text, Pad(key + ":", width + 2), value, "\n");
  return text;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = false;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}\n";
  if (!json.ends_with('\n')) json += '\n';
  return json;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "-";
  absl::Time time = absl::FromUnixSeconds(timestamp.seconds());
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", time, absl::LocalTimeZone());
}

std::string RoleName(v1::Role role) { return std::string(absl::StripPrefix(v1::Role_Name(role), "ROLE_")); }

std::string StatusName(v1::UserStatus status) {
  return absl::AsciiStrToLower(absl::StripPrefix(v1::UserStatus_Name(status), "USER_STATUS_"));
}

std::string BindingsText(const google::protobuf::RepeatedPtrField<v1::RoleBinding>& bindings) {
  if (bindings.empty()) return "-";
  std::vector<std::string> parts;
  for (const v1::RoleBinding& binding : bindings) {
    parts.push_back(absl::StrCat(RoleName(binding.role()), "@", binding.org_scope()));
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace gridserve::gridctl
