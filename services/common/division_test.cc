#include "common/division.h"

#include "gtest/gtest.h"

namespace gridserve {
namespace {

// Codes of 黔江区 (500114) and its towns and villages; DESIGN.md §2 glossary:
// 12-digit statistical division codes, scope checks are prefix checks.
constexpr char kDistrict[] = "500114000000";
constexpr char kTown[] = "500114101000";
constexpr char kOtherTown[] = "500114102000";
constexpr char kVillage[] = "500114101201";
constexpr char kCommunity[] = "500114101001";
constexpr char kOtherTownsVillage[] = "500114102201";
constexpr char kOtherDistrictsTown[] = "500115101000";

TEST(IsDivisionCodeTest, AcceptsTwelveDigits) {
  EXPECT_TRUE(IsDivisionCode(kVillage));
  EXPECT_TRUE(IsDivisionCode(kDistrict));
  EXPECT_TRUE(IsDivisionCode("000000000000"));
}

TEST(IsDivisionCodeTest, RejectsOtherShapes) {
  EXPECT_FALSE(IsDivisionCode(""));
  EXPECT_FALSE(IsDivisionCode("50011410120"));    // 11 digits
  EXPECT_FALSE(IsDivisionCode("5001141012011"));  // 13 digits
  EXPECT_FALSE(IsDivisionCode("50011410120x"));
  EXPECT_FALSE(IsDivisionCode(" 50011410120"));
  EXPECT_FALSE(IsDivisionCode("５00114101201"));  // full-width digit (UTF-8)
  EXPECT_FALSE(IsDivisionCode("-50011410120"));
}

TEST(LevelOfTest, DeepestNonZeroSegmentGivesTheLevel) {
  EXPECT_EQ(LevelOf("500000000000"), DivisionLevel::kProvince);
  EXPECT_EQ(LevelOf("500100000000"), DivisionLevel::kCity);
  EXPECT_EQ(LevelOf(kDistrict), DivisionLevel::kCounty);
  EXPECT_EQ(LevelOf(kTown), DivisionLevel::kTown);
  EXPECT_EQ(LevelOf("500114001000"), DivisionLevel::kTown);  // 街道 0xx
  EXPECT_EQ(LevelOf(kVillage), DivisionLevel::kVillage);
  EXPECT_EQ(LevelOf(kCommunity), DivisionLevel::kVillage);
}

TEST(SignificantPrefixTest, DropsTheTrailingZeroSegments) {
  EXPECT_EQ(SignificantPrefix("500000000000"), "50");
  EXPECT_EQ(SignificantPrefix("500100000000"), "5001");
  EXPECT_EQ(SignificantPrefix(kDistrict), "500114");
  EXPECT_EQ(SignificantPrefix(kTown), "500114101");
  EXPECT_EQ(SignificantPrefix(kVillage), kVillage);
  // Zeros inside a segment are kept: the town segment 100 is not empty.
  EXPECT_EQ(SignificantPrefix("500114100000"), "500114100");
}

TEST(ScopeCoversTest, DistrictCoversItselfItsTownsAndVillages) {
  EXPECT_TRUE(ScopeCovers(kDistrict, kDistrict));
  EXPECT_TRUE(ScopeCovers(kDistrict, kTown));
  EXPECT_TRUE(ScopeCovers(kDistrict, kOtherTown));
  EXPECT_TRUE(ScopeCovers(kDistrict, kVillage));
  EXPECT_TRUE(ScopeCovers(kDistrict, kOtherTownsVillage));
  EXPECT_FALSE(ScopeCovers(kDistrict, kOtherDistrictsTown));
}

TEST(ScopeCoversTest, TownCoversItsVillagesButNotAnotherTowns) {
  EXPECT_TRUE(ScopeCovers(kTown, kTown));
  EXPECT_TRUE(ScopeCovers(kTown, kVillage));
  EXPECT_TRUE(ScopeCovers(kTown, kCommunity));
  EXPECT_FALSE(ScopeCovers(kTown, kOtherTown));
  EXPECT_FALSE(ScopeCovers(kTown, kOtherTownsVillage));
  EXPECT_FALSE(ScopeCovers(kTown, kDistrict));  // a town does not cover its district
}

TEST(ScopeCoversTest, VillageCoversOnlyItself) {
  EXPECT_TRUE(ScopeCovers(kVillage, kVillage));
  EXPECT_FALSE(ScopeCovers(kVillage, kCommunity));
  EXPECT_FALSE(ScopeCovers(kVillage, "500114101202"));
  EXPECT_FALSE(ScopeCovers(kVillage, kTown));
  EXPECT_FALSE(ScopeCovers(kVillage, kDistrict));
}

TEST(ScopeCoversTest, InvalidInputsCoverNothing) {
  EXPECT_FALSE(ScopeCovers("", kVillage));
  EXPECT_FALSE(ScopeCovers(kVillage, ""));
  EXPECT_FALSE(ScopeCovers("500114", kVillage));      // a bare prefix is not a scope
  EXPECT_FALSE(ScopeCovers(kTown, "500114101"));      // nor a code
  EXPECT_FALSE(ScopeCovers(kTown, "500114101201x"));  // 13 characters
  EXPECT_FALSE(ScopeCovers("50011410100x", kVillage));
}

TEST(DivisionTest, CountyTownAndSubtreeOfACode) {
  EXPECT_EQ(CountyOf("500114101201"), "500114000000");
  EXPECT_EQ(TownOf("500114101201"), "500114101000");
  EXPECT_EQ(TownOf("500114101000"), "500114101000");
  EXPECT_EQ(TownOf("500114000000"), "") << "a district has no town";
  EXPECT_EQ(TownOf("5001141012"), "") << "not a code";
  EXPECT_EQ(CountyOf("x"), "");
  CodeRange town = SubtreeOf("500114101000");
  EXPECT_EQ(town.low, "500114101000");
  EXPECT_EQ(town.high, "500114101999");
  CodeRange village = SubtreeOf("500114101201");
  EXPECT_EQ(village.low, "500114101201");
  EXPECT_EQ(village.high, "500114101201");
}

}  // namespace
}  // namespace gridserve
