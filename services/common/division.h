#pragma once

#include "absl/strings/string_view.h"
#include <string>
#include <string_view>

namespace gridserve {

// Statistical division codes (统计用区划代码): 12 digits, 2 province, 2 city,
// 2 county, 3 town, 3 village. A caller's org scope is such a code; it
// covers every code that starts with its significant prefix.

enum class DivisionLevel { kProvince, kCity, kCounty, kTown, kVillage };

// True for exactly 12 ASCII digits.
bool IsDivisionCode(absl::string_view code);

// The level of a valid code: the deepest non-zero segment.
DivisionLevel LevelOf(absl::string_view code);

// The significant prefix of a valid code: "500114" for 500114000000,
// "500114101" for 500114101000, the whole code for a village.
absl::string_view SignificantPrefix(absl::string_view code);

// True for a valid code at town level (镇/街道/乡): digits 7-9 non-zero, 10-12 zero.
bool IsTownCode(absl::string_view code);

// True when `code` lies in the subtree of `scope` (both valid codes).
bool ScopeCovers(absl::string_view scope, absl::string_view code);

// The district (county) of a valid code: its first 6 digits + "000000".
std::string CountyOf(absl::string_view code);
// The town (镇/街道/乡) of a valid town, village or community code: its first
// 9 digits + "000"; "" for a code above town level or not a code.
std::string TownOf(absl::string_view code);

// The codes a subtree spans: every 12-digit code between low and high
// (inclusive) lies under the organisation (digit strings of equal length
// compare like numbers, so an index on the code serves the range).
struct CodeRange {
  std::string low;
  std::string high;
};
CodeRange SubtreeOf(absl::string_view code);

}  // namespace gridserve
