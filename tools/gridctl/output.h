#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "gridserve/gateway/v1/account.pb.h"
#include "gridserve/gateway/v1/auth.pb.h"

namespace gridserve::gridctl {

namespace v1 = ::gridserve::gateway::v1;

// Terminal columns taken by UTF-8 text: East Asian wide characters (汉字,
// full-width forms) count two, so tables with Chinese names stay aligned.
int DisplayWidth(absl::string_view utf8);

// A text table: a header row and columns padded to their widest cell.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "key:  value" lines with the values aligned.
std::string KeyValues(const std::vector<std::pair<std::string, std::string>>& rows);

// Protobuf JSON (proto3 mapping, indented), ending with a newline.
std::string ToJson(const google::protobuf::Message& message);

// Local time "2024-05-01 10:00:00 +08:00"; "-" when unset.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

// Enum values without their prefix, as people type them: "TOWN_ADMIN", "active".
std::string RoleName(v1::Role role);
std::string StatusName(v1::UserStatus status);
// "TOWN_ADMIN@500114101000, MEMBER@500114101201"
std::string BindingsText(const google::protobuf::RepeatedPtrField<v1::RoleBinding>& bindings);

}  // namespace gridserve::gridctl
