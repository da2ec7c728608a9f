#include "common/division.h"

#include "absl/strings/str_cat.h"

#include <algorithm>

#include "absl/strings/match.h"

namespace gridserve {
namespace {

bool AllZero(absl::string_view digits) {
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c == '0'; });
}

size_t PrefixLength(DivisionLevel level) {
  switch (level) {
    case DivisionLevel::kProvince: return 2;
    case DivisionLevel::kCity: return 4;
    case DivisionLevel::kCounty: return 6;
    case DivisionLevel::kTown: return 9;
    case DivisionLevel::kVillage: return 12;
  }
  return 12;
}

}  // namespace

bool IsDivisionCode(absl::string_view code) {
  return code.size() == 12 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

DivisionLevel LevelOf(absl::string_view code) {
  if (!AllZero(code.substr(9, 3))) return DivisionLevel::kVillage;
  if (!AllZero(code.substr(6, 3))) return DivisionLevel::kTown;
  if (!AllZero(code.substr(4, 2))) return DivisionLevel::kCounty;
  if (!AllZero(code.substr(2, 2))) return DivisionLevel::kCity;
  return DivisionLevel::kProvince;
}

absl::string_view SignificantPrefix(absl::string_view code) {
  return code.substr(0, PrefixLength(LevelOf(code)));
}

bool IsTownCode(absl::string_view code) { return IsDivisionCode(code) && LevelOf(code) == DivisionLevel::kTown; }

bool ScopeCovers(absl::string_view scope, absl::string_view code) {
  if (!IsDivisionCode(scope) || !IsDivisionCode(code)) return false;
  return absl::StartsWith(code, SignificantPrefix(scope));
}

std::string CountyOf(absl::string_view code) {
  if (!IsDivisionCode(code)) return "";
  return absl::StrCat(code.substr(0, 6), "000000");
}

std::string TownOf(absl::string_view code) {
  if (!IsDivisionCode(code) || LevelOf(code) < DivisionLevel::kTown) return "";
  return absl::StrCat(code.substr(0, 9), "000");
}

CodeRange SubtreeOf(absl::string_view code) {
  std::string prefix(SignificantPrefix(code));
  return {prefix + std::string(12 - prefix.size(), '0'), prefix + std::string(12 - prefix.size(), '9')};
}

}  // namespace gridserve
