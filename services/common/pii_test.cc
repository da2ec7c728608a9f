#include "common/pii.h"

#include "gtest/gtest.h"

namespace gridserve {
namespace {

// Issue 3 item 7: phone numbers and residents' names are masked for callers
// without PII_READ, e.g. 138****8000.
TEST(MaskPhoneTest, MobileKeepsFirstThreeAndLastFour) {
  EXPECT_EQ(MaskPhone("13812348000"), "138****8000");
  EXPECT_EQ(MaskPhone("19900001111"), "199****1111");
}

TEST(MaskPhoneTest, LandlineKeepsAreaCodeAndLastTwo) {
  EXPECT_EQ(MaskPhone("023-79223456"), "023-******56");
  EXPECT_EQ(MaskPhone("02379223456"), "023******56");
  EXPECT_EQ(MaskPhone("01087654321"), "010******21");
  EXPECT_EQ(MaskPhone("0851-8612345"), "0851-*****45");
  EXPECT_EQ(MaskPhone("08518612345"), "0851*****45");
}

TEST(MaskPhoneTest, AnythingElseKeepsOnlyLastTwo) {
  EXPECT_EQ(MaskPhone(""), "");
  EXPECT_EQ(MaskPhone("12345"), "***45");
  EXPECT_EQ(MaskPhone("12"), "**");
  EXPECT_EQ(MaskPhone("+8613812348000"), "************00");
  // An 11-digit number that is not a mobile (second digit 2) is not shown as one.
  EXPECT_EQ(MaskPhone("12812348000"), "*********00");
}

TEST(MaskNameTest, KeepsFirstCharacterOnly) {
  EXPECT_EQ(MaskName("张三丰"), "张**");
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧***");
  EXPECT_EQ(MaskName("张"), "*");
  EXPECT_EQ(MaskName(""), "");
  EXPECT_EQ(MaskName("Li Lei"), "L*****");
}

TEST(MayReadPersonalDataTest, NeedsPiiReadOverTheDataOrganisation) {
  Principal town_admin{.subject = "users/1", .bindings = {{"TOWN_ADMIN", "500114101000"}}};
  EXPECT_TRUE(MayReadPersonalData(town_admin, "500114101201"));
  EXPECT_TRUE(MayReadPersonalData(town_admin, "500114101000"));
  EXPECT_FALSE(MayReadPersonalData(town_admin, "500114102201"));  // another town
  EXPECT_FALSE(MayReadPersonalData(town_admin, "500114000000"));  // the district above
  EXPECT_FALSE(MayReadPersonalData(town_admin, "not-a-code"));

  Principal auditor{.subject = "users/2", .bindings = {{"AUDITOR", "500114000000"}}};
  EXPECT_FALSE(MayReadPersonalData(auditor, "500114101201"));  // AUDITOR has no PII_READ
  Principal nobody{.subject = "users/3"};
  EXPECT_FALSE(MayReadPersonalData(nobody, "500114101201"));
  Principal both{.subject = "users/4",
                 .bindings = {{"AUDITOR", "500114000000"}, {"VILLAGE_SECRETARY", "500114101201"}}};
  EXPECT_TRUE(MayReadPersonalData(both, "500114101201"));
  EXPECT_FALSE(MayReadPersonalData(both, "500114101202"));
}

}  // namespace
}  // namespace gridserve
