#include "membership/shared/field_checks.h"

#include "absl/strings/ascii.h"

namespace gridserve::membership {

absl::TimeZone ProgrammeTimeZone() { return absl::FixedTimeZone(8 * 60 * 60); }

bool IsUuid(absl::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

void CheckMemberId(const std::string& member_id, const std::string& field, std::vector<FieldViolation>& violations) {
  if (member_id.empty()) {
    violations.push_back({field, "is required: the member's id (a UUID from the member register)"});
  } else if (!IsUuid(member_id)) {
    violations.push_back({field, "must be a member id (a UUID such as 0b1c9a7e-3f43-4d55-9d1e-2b8f5e0c6a11)"});
  }
}

}  // namespace gridserve::membership
