#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "common/token.h"

namespace gridserve {

// Personal data in responses: every service masks phone numbers and
// residents' names with these functions unless MayReadPersonalData says the
// caller may see them in full (DESIGN.md §5).

// "13812348000" -> "138****8000"; a landline keeps its area code and last two
// digits ("023-79223456" -> "023-******56", "02379223456" -> "023******56");
// anything else keeps only its last two characters. "" stays "".
std::string MaskPhone(absl::string_view phone);

// "张三丰" -> "张**": the first character (family name) is kept, every other
// character becomes '*'; a one-character name becomes "*". UTF-8 aware.
std::string MaskName(absl::string_view name);

// True when some binding of `caller` grants Permission::kPiiRead over a scope
// covering `org_code` (the organisation the personal data belongs to).
bool MayReadPersonalData(const Principal& caller, absl::string_view org_code);

}  // namespace gridserve
