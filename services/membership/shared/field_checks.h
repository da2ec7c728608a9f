#pragma once

// Request checks the register and the pledge rules share.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/errors.h"

namespace gridserve::membership {

// The programme's clock: China Standard Time (UTC+8, no daylight saving),
// for "today" and "this year".
absl::TimeZone ProgrammeTimeZone();

// True for a UUID in its 36-character text form (any case).
bool IsUuid(absl::string_view text);

// Adds a violation unless `member_id` is a member id (a UUID).
void CheckMemberId(const std::string& member_id, const std::string& field, std::vector<FieldViolation>& violations);

}  // namespace gridserve::membership
