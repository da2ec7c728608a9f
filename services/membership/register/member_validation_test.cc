#include "membership/register/member_validation.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::membership {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// Clause 二(一) of the seed and its attachment 1 (承诺践诺书) list what the
// register holds of a member: 姓名, 性别, 出生年月, 入党时间, 联系电话, 所在党支部.
// Issue 4 adds the rules: phone format, dates in order, age at joining, an
// optional national id with its checksum.

const absl::CivilDay kToday(2026, 11, 28);

// 11010519491231002X is the GB 11643-1999 standard's own example (female,
// born 1949-12-31); the others are built with the same checksum.
constexpr char kFemaleId1949[] = "11010519491231002X";
constexpr char kMaleId1975[] = "500114197503150013";

Member ValidMember() {
  Member member;
  member.full_name = "张三";
  member.gender = Gender::kMale;
  member.birth_month = absl::CivilMonth(1975, 3);
  member.joined_date = absl::CivilDay(2001, 7, 1);
  member.phone = "13812348000";
  member.branch_code = "500114101201";
  return member;
}

std::vector<std::string> FieldsOf(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : violations) fields.push_back(violation.field);
  return fields;
}

std::vector<std::string> Violations(const Member& member) { return FieldsOf(ValidateMember(member, kToday)); }

TEST(MemberValidationTest, ValidMemberOfAttachment1HasNoViolations) {
  EXPECT_THAT(ValidateMember(ValidMember(), kToday), IsEmpty());
}

TEST(MemberValidationTest, Attachment1NameIsRequiredAndAtMost30Characters) {
  Member member = ValidMember();
  member.full_name = "";
  EXPECT_THAT(Violations(member), ElementsAre("full_name"));
  // 30 Chinese characters (90 bytes) are fine; 31 are not.
  std::string thirty;
  for (int i = 0; i < 30; ++i) thirty += "张";
  member.full_name = thirty;
  EXPECT_THAT(Violations(member), IsEmpty());
  member.full_name = thirty + "三";
  EXPECT_THAT(Violations(member), ElementsAre("full_name"));
  member.full_name = "张\t三";
  EXPECT_THAT(Violations(member), ElementsAre("full_name"));
}

TEST(MemberValidationTest, Attachment1GenderIsRequired) {
  Member member = ValidMember();
  member.gender = Gender::kUnspecified;
  EXPECT_THAT(Violations(member), ElementsAre("gender"));
}

TEST(MemberValidationTest, Issue4PhoneIsMainlandMobileOrLandlineWithAreaCode) {
  Member member = ValidMember();
  for (const char* valid : {"13812348000", "19912345678", "023-79223456", "010-22345678", "0571-87654321",
                            "02379223456", "05718765432", ""}) {
    member.phone = valid;
    EXPECT_THAT(Violations(member), IsEmpty()) << valid;
  }
  for (const char* invalid : {"12812348000", "1381234800", "138123480000", "79223456", "023-1234567",
                              "23-79223456", "0023-7922345", "023-792234567", "abc", "138-1234-8000"}) {
    member.phone = invalid;
    EXPECT_THAT(Violations(member), ElementsAre("phone")) << invalid;
  }
}

TEST(MemberValidationTest, NormalizePhoneCleansRosterSpellings) {
  EXPECT_EQ(NormalizePhone(" 138 1234 8000 "), "13812348000");
  EXPECT_EQ(NormalizePhone("138-1234-8000"), "13812348000");
  EXPECT_EQ(NormalizePhone("+86 13812348000"), "13812348000");
  EXPECT_EQ(NormalizePhone("8613812348000"), "13812348000");
  EXPECT_EQ(NormalizePhone("１３８１２３４８０００"), "13812348000");  // full-width digits
  EXPECT_EQ(NormalizePhone("023－79223456"), "023-79223456");          // full-width hyphen
  EXPECT_EQ(NormalizePhone("(023)79223456"), "023-79223456");
  EXPECT_EQ(NormalizePhone("023-7922-3456"), "023-79223456");
  EXPECT_EQ(NormalizePhone("not a phone"), "notaphone");
  EXPECT_FALSE(IsValidPhone(NormalizePhone("not a phone")));
}

TEST(MemberValidationTest, Issue4BornBeforeJoining) {
  Member member = ValidMember();
  member.joined_date = absl::CivilDay(1975, 3, 20);  // the birth month itself
  EXPECT_THAT(Violations(member), ElementsAre("joined_date"));
  member.joined_date = absl::CivilDay(1970, 1, 1);
  EXPECT_THAT(Violations(member), ElementsAre("joined_date"));
}

TEST(MemberValidationTest, Issue4JoiningNotInTheFuture) {
  Member member = ValidMember();
  member.joined_date = kToday;
  EXPECT_THAT(Violations(member), IsEmpty());
  member.joined_date = kToday + 1;
  EXPECT_THAT(Violations(member), ElementsAre("joined_date"));
  // Month precision: the current month is not in the future, the next is.
  member.joined_month_only = true;
  member.joined_date = absl::CivilDay(2026, 11, 1);
  EXPECT_THAT(Violations(member), IsEmpty());
  member.joined_date = absl::CivilDay(2026, 12, 1);
  EXPECT_THAT(Violations(member), ElementsAre("joined_date"));
}

TEST(MemberValidationTest, Issue4BirthMonthNotInTheFuture) {
  Member member = ValidMember();
  member.birth_month = absl::CivilMonth(2026, 12);
  member.joined_date = kToday;
  EXPECT_THAT(Violations(member), Contains("birth_month"));
}

// Birth is known to the month only, so age at joining is compared in months:
// joining in the month of the 18th birthday counts as 18 (the birthday may
// be the 1st), with a full joined date and with a month-only one alike.
TEST(MemberValidationTest, Issue4AtLeast18AtJoiningWithMonthPrecision) {
  Member member = ValidMember();  // born 1975-03
  member.joined_date = absl::CivilDay(1993, 3, 1);
  EXPECT_THAT(Violations(member), IsEmpty());
  member.joined_date = absl::CivilDay(1993, 2, 28);
  EXPECT_THAT(Violations(member), ElementsAre("joined_date"));
  member.joined_month_only = true;
  member.joined_date = absl::CivilDay(1993, 3, 1);
  EXPECT_THAT(Violations(member), IsEmpty());
  member.joined_date = absl::CivilDay(1993, 2, 1);
  EXPECT_THAT(Violations(member), ElementsAre("joined_date"));
}

TEST(MemberValidationTest, Seed2_1BranchIsAVillageOrCommunityCode) {
  Member member = ValidMember();
  for (const char* valid : {"500114101201", "500114001001"}) {
    member.branch_code = valid;
    EXPECT_THAT(Violations(member), IsEmpty()) << valid;
  }
  for (const char* invalid : {"", "500114101000", "500114000000", "500114000201", "50011410120", "50011410120a"}) {
    member.branch_code = invalid;
    EXPECT_THAT(Violations(member), ElementsAre("branch_code")) << invalid;
  }
}

TEST(MemberValidationTest, ReferencesAreEmptyOrResourceNames) {
  Member member = ValidMember();
  member.grid = "grids/7f3a-1";
  member.household = "households/h_1";
  member.courtyard = "courtyards/c1";
  member.user = "users/0b6f1e9c-5a4b-4c1e-9d7a-2f3e4d5c6b7a";
  EXPECT_THAT(Violations(member), IsEmpty());
  member.grid = "grid/1";
  member.household = "households/";
  member.courtyard = "courtyards/a b";
  member.user = "u1";
  EXPECT_THAT(Violations(member), ElementsAre("grid", "household", "courtyard", "user"));
}

TEST(MemberValidationTest, NotesAtMost500Characters) {
  Member member = ValidMember();
  member.notes = "";
  for (int i = 0; i < 500; ++i) member.notes += "注";
  EXPECT_THAT(Violations(member), IsEmpty());
  member.notes += "x";
  EXPECT_THAT(Violations(member), ElementsAre("notes"));
}

TEST(MemberValidationTest, NationalIdChecksumGb11643) {
  EXPECT_TRUE(IsValidNationalId(kFemaleId1949));
  EXPECT_TRUE(IsValidNationalId(kMaleId1975));
  EXPECT_FALSE(IsValidNationalId("110105194912310021"));   // wrong check character
  EXPECT_FALSE(IsValidNationalId("11010519491231002"));    // 17 characters
  EXPECT_FALSE(IsValidNationalId("110105194913310021"));   // valid checksum, but month 13
  EXPECT_FALSE(IsValidNationalId("1101051949123100XX"));
  EXPECT_EQ(NormalizeNationalId(" 11010519491231002x "), kFemaleId1949);
  EXPECT_EQ(NationalIdBirthMonth(kFemaleId1949), absl::CivilMonth(1949, 12));
}

TEST(MemberValidationTest, Issue4NationalIdIsOptionalValidAndMatchesBirthMonthAndGender) {
  Member member = ValidMember();
  member.national_id = kMaleId1975;
  EXPECT_THAT(Violations(member), IsEmpty());
  member.national_id = "500114197503150010";  // bad checksum
  EXPECT_THAT(Violations(member), ElementsAre("national_id"));
  member.national_id = kMaleId1975;
  member.birth_month = absl::CivilMonth(1975, 4);
  EXPECT_THAT(Violations(member), ElementsAre("national_id"));
  member.birth_month = absl::CivilMonth(1975, 3);
  member.gender = Gender::kFemale;  // the 17th digit (1) is odd: male
  EXPECT_THAT(Violations(member), ElementsAre("national_id"));
}

TEST(MemberValidationTest, ParsesRosterDates) {
  EXPECT_EQ(ParseBirthMonth("1975-03"), absl::CivilMonth(1975, 3));
  EXPECT_EQ(ParseBirthMonth("1975.3"), absl::CivilMonth(1975, 3));
  EXPECT_EQ(ParseBirthMonth("1975/12"), absl::CivilMonth(1975, 12));
  EXPECT_EQ(ParseBirthMonth("1975-13"), std::nullopt);
  EXPECT_EQ(ParseBirthMonth("1975-03-01"), std::nullopt);
  EXPECT_EQ(ParseBirthMonth("75-03"), std::nullopt);
  EXPECT_EQ(ParseBirthMonth(""), std::nullopt);

  std::optional<JoinedDate> full = ParseJoinedDate("2001-07-01");
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->day, absl::CivilDay(2001, 7, 1));
  EXPECT_FALSE(full->month_only);
  std::optional<JoinedDate> month = ParseJoinedDate("2001.7");
  ASSERT_TRUE(month.has_value());
  EXPECT_EQ(month->day, absl::CivilDay(2001, 7, 1));
  EXPECT_TRUE(month->month_only);
  EXPECT_EQ(ParseJoinedDate("2001-02-30"), std::nullopt);
  EXPECT_EQ(ParseJoinedDate("2001-07-01-01"), std::nullopt);

  EXPECT_EQ(ParseDay("2026-02-28"), absl::CivilDay(2026, 2, 28));
  EXPECT_EQ(ParseDay("2026-2-28"), std::nullopt);
  EXPECT_EQ(FormatJoinedDate(absl::CivilDay(2001, 7, 1), true), "2001-07");
  EXPECT_EQ(FormatJoinedDate(absl::CivilDay(2001, 7, 1), false), "2001-07-01");
  EXPECT_EQ(FormatBirthMonth(absl::CivilMonth(1975, 3)), "1975-03");
}

TEST(MemberValidationTest, ParseAndValidateReportsABadDateOnceAndSkipsItsComparisons) {
  Member member = ValidMember();
  std::vector<FieldViolation> violations = ParseAndValidateMember("1975-3x", "2001-07", member, kToday);
  EXPECT_THAT(FieldsOf(violations), ElementsAre("birth_month"));
  EXPECT_TRUE(member.joined_month_only);
  EXPECT_EQ(member.joined_date, absl::CivilDay(2001, 7, 1));

  violations = ParseAndValidateMember("", "", member, kToday);
  EXPECT_THAT(FieldsOf(violations), ElementsAre("birth_month", "joined_date"));

  violations = ParseAndValidateMember("1990-05", "2001-07", member, kToday);  // 11 years old
  EXPECT_THAT(FieldsOf(violations), ElementsAre("joined_date"));
}

TEST(MemberValidationTest, GenderLabelsOfRosters) {
  EXPECT_EQ(ParseGenderLabel("男"), Gender::kMale);
  EXPECT_EQ(ParseGenderLabel(" 女 "), Gender::kFemale);
  EXPECT_EQ(ParseGenderLabel("female"), Gender::kFemale);
  EXPECT_EQ(ParseGenderLabel("?"), std::nullopt);
  EXPECT_EQ(GenderName(Gender::kMale), "MALE");
  EXPECT_EQ(GenderFromName("FEMALE"), Gender::kFemale);
}

TEST(MemberValidationTest, NormalizeMemberTrimsAndNormalises) {
  Member member = ValidMember();
  member.full_name = "  张三 ";
  member.phone = "138 1234 8000";
  member.national_id = "11010519491231002x";
  member.notes = " 备注 ";
  NormalizeMember(member);
  EXPECT_EQ(member.full_name, "张三");
  EXPECT_EQ(member.phone, "13812348000");
  EXPECT_EQ(member.national_id, kFemaleId1949);
  EXPECT_EQ(member.notes, "备注");
}

}  // namespace
}  // namespace gridserve::membership
