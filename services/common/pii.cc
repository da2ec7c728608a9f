#include "common/pii.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/division.h"
#include "common/permissions.h"

namespace gridserve {
namespace {

bool AllDigits(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return absl::ascii_isdigit(c); });
}

bool IsMobile(absl::string_view phone) {
  return phone.size() == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9' && AllDigits(phone);
}

// Mainland area codes: 010 and 02x have three digits, the others four.
size_t AreaCodeLength(absl::string_view digits) {
  if (digits.size() < 3 || digits[0] != '0') return 0;
  return digits[1] == '1' || digits[1] == '2' ? 3 : 4;
}

// Keeps the last `keep` characters of `text`; every other one becomes '*'.
std::string KeepTail(absl::string_view text, size_t keep) {
  if (text.size() <= keep) return std::string(text.size(), '*');
  return absl::StrCat(std::string(text.size() - keep, '*'), text.substr(text.size() - keep));
}

}  // namespace

std::string MaskPhone(absl::string_view phone) {
  if (phone.empty()) return "";
  if (IsMobile(phone)) return absl::StrCat(phone.substr(0, 3), "****", phone.substr(7));
  size_t dash = phone.find('-');
  if (dash != absl::string_view::npos && dash > 0 && AllDigits(phone.substr(0, dash)) && phone[0] == '0' &&
      AllDigits(phone.substr(dash + 1))) {
    return absl::StrCat(phone.substr(0, dash + 1), KeepTail(phone.substr(dash + 1), 2));
  }
  size_t area = AllDigits(phone) ? AreaCodeLength(phone) : 0;
  if (area > 0 && phone.size() > area + 2) {
    return absl::StrCat(phone.substr(0, area), KeepTail(phone.substr(area), 2));
  }
  return KeepTail(phone, 2);
}

std::string MaskName(absl::string_view name) {
  // Code points start at bytes that are not UTF-8 continuation bytes (10xxxxxx).
  size_t first_end = 0;
  size_t code_points = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    if ((static_cast<unsigned char>(name[i]) & 0xC0) == 0x80) continue;
    if (++code_points == 2) first_end = i;
  }
  if (code_points == 0) return "";
  if (code_points == 1) return "*";
  return absl::StrCat(name.substr(0, first_end), std::string(code_points - 1, '*'));
}

bool MayReadPersonalData(const Principal& caller, absl::string_view org_code) {
  if (!IsDivisionCode(org_code)) return false;
  return std::any_of(caller.bindings.begin(), caller.bindings.end(), [&](const RoleBinding& binding) {
    return RoleGrants(binding.role, Permission::kPiiRead) && IsDivisionCode(binding.org_scope) &&
           ScopeCovers(binding.org_scope, org_code);
  });
}

}  // namespace gridserve
