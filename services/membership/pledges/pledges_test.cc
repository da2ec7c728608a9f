// Unit tests of the rules of 亮职责 and 亮承诺 (clause 二(一)2-3, rules R2 and
// R3) that need no database: validation, status transitions, cursors.
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "membership/pledges/commitments.h"
#include "membership/pledges/duties.h"
#include "membership/pledges/pledge_common.h"

namespace gridserve::membership {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using S = FulfilmentStatus;

std::vector<std::string> FieldsOf(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : violations) fields.push_back(violation.field);
  return fields;
}

std::string Repeat(const std::string& text, int times) {
  std::string result;
  for (int i = 0; i < times; ++i) result += text;
  return result;
}

const std::vector<std::string> kAllFields = {"target", "measures", "due_date", "status", "evidence", "signed_date"};
const absl::CivilDay kToday(2026, 6, 15);

Commitment ValidCommitment() {
  Commitment commitment;
  commitment.member_id = "0b1c9a7e-3f43-4d55-9d1e-2b8f5e0c6a11";
  commitment.year = 2026;
  commitment.target = "帮助本组3户群众发展中药材种植";
  commitment.measures = "每季度入户走访一次，联系技术员现场指导";
  commitment.due_date = "2026-12-31";
  commitment.status = S::kPledged;
  commitment.evidence = {"activities/8f14e45f"};
  commitment.signed_date = "2026-03-01";
  return commitment;
}

// 二(一) 主要任务 2: the standard areas are 指导帮扶产业发展、矛盾纠纷化解、政策宣传、环境监督.
TEST(StandardDutyAreasTest, AreTheFourAreasOfClause2_1Task2) {
  std::vector<std::string> names;
  for (const DutyArea& area : StandardDutyAreas()) {
    names.push_back(area.code + " " + area.display_name);
    EXPECT_TRUE(area.standard);
    EXPECT_FALSE(area.retired);
  }
  EXPECT_THAT(names, ElementsAre("INDUSTRY_GUIDANCE 指导帮扶产业发展", "DISPUTE_MEDIATION 矛盾纠纷化解",
                                 "POLICY_PUBLICITY 政策宣传", "ENVIRONMENT_SUPERVISION 环境监督"));
  EXPECT_TRUE(IsStandardDutyArea("DISPUTE_MEDIATION"));
  EXPECT_FALSE(IsStandardDutyArea("TOURISM_GUIDANCE"));
}

// R2: a town may replace the list; codes upper-case and unique, names 1-30 characters and unique, 1-30 areas.
TEST(ValidateDutyAreasTest, R2_TownListRules) {
  EXPECT_THAT(ValidateDutyAreas({{.code = "TOURISM", .display_name = "乡村旅游引导"}}), IsEmpty());
  EXPECT_THAT(FieldsOf(ValidateDutyAreas({})), ElementsAre("areas"));
  EXPECT_THAT(FieldsOf(ValidateDutyAreas({{.code = "tourism", .display_name = "乡村旅游"},
                                          {.code = "A", .display_name = "一"},
                                          {.code = "GOOD", .display_name = ""}})),
              ElementsAre("areas[0].code", "areas[1].code", "areas[2].display_name"));
  EXPECT_THAT(FieldsOf(ValidateDutyAreas({{.code = "SAME", .display_name = "甲"},
                                          {.code = "SAME", .display_name = "乙"},
                                          {.code = "OTHER", .display_name = "甲"}})),
              ElementsAre("areas[1].code", "areas[2].display_name"));
  EXPECT_THAT(FieldsOf(ValidateDutyAreas({{.code = "LONG", .display_name = Repeat("长", 31)}})),
              ElementsAre("areas[0].display_name"));
  std::vector<DutyArea> too_many;
  for (int i = 0; i < 31; ++i) too_many.push_back({.code = "AREA_" + std::to_string(i), .display_name = "区" + std::to_string(i)});
  EXPECT_THAT(FieldsOf(ValidateDutyAreas(too_many)), ElementsAre("areas"));
}

// R3 / 二(一)3: target and measures (明确目标任务、细化服务举措) are required with their lengths.
TEST(ValidateCommitmentFieldsTest, R3_TargetAndMeasuresRequiredWithinLimits) {
  EXPECT_THAT(ValidateCommitmentFields(ValidCommitment(), kAllFields, kToday), IsEmpty());
  Commitment commitment = ValidCommitment();
  commitment.target = "";
  commitment.measures = Repeat("措", 501);
  EXPECT_THAT(FieldsOf(ValidateCommitmentFields(commitment, kAllFields, kToday)),
              ElementsAre("commitment.target", "commitment.measures"));
  commitment.target = Repeat("目", 200);
  commitment.measures = Repeat("措", 500);
  EXPECT_THAT(ValidateCommitmentFields(commitment, kAllFields, kToday), IsEmpty());
  commitment.target = Repeat("目", 201);
  EXPECT_THAT(FieldsOf(ValidateCommitmentFields(commitment, kAllFields, kToday)), ElementsAre("commitment.target"));
  // Only the named fields are checked (an update mask).
  EXPECT_THAT(ValidateCommitmentFields(commitment, {"status"}, kToday), IsEmpty());
}

// R3: the due date falls in the commitment's year or the next.
TEST(ValidateCommitmentFieldsTest, R3_DueDateInTheYearOrTheNext) {
  Commitment commitment = ValidCommitment();
  for (const char* ok : {"2026-01-01", "2027-12-31", ""}) {
    commitment.due_date = ok;
    EXPECT_THAT(ValidateCommitmentFields(commitment, {"due_date"}, kToday), IsEmpty()) << ok;
  }
  for (const char* bad : {"2025-12-31", "2028-01-01", "2026-02-30", "2026-6-1", "31.12.2026"}) {
    commitment.due_date = bad;
    EXPECT_THAT(FieldsOf(ValidateCommitmentFields(commitment, {"due_date"}, kToday)),
                ElementsAre("commitment.due_date"))
        << bad;
  }
}

// Attachment 1 签名 年月日: not in the future, not more than a year ahead of the commitment's year.
TEST(ValidateCommitmentFieldsTest, Attachment1_SignedDateNotInTheFuture) {
  Commitment commitment = ValidCommitment();
  commitment.signed_date = "2026-06-15";
  EXPECT_THAT(ValidateCommitmentFields(commitment, {"signed_date"}, kToday), IsEmpty());
  commitment.signed_date = "2026-06-16";
  std::vector<FieldViolation> violations = ValidateCommitmentFields(commitment, {"signed_date"}, kToday);
  ASSERT_THAT(FieldsOf(violations), ElementsAre("commitment.signed_date"));
  EXPECT_THAT(violations[0].description, HasSubstr("future"));
  commitment.signed_date = "2024-12-31";
  EXPECT_THAT(FieldsOf(ValidateCommitmentFields(commitment, {"signed_date"}, kToday)),
              ElementsAre("commitment.signed_date"));
  commitment.year = 2027;
  commitment.signed_date = "2026-12-20";  // signed in December for the next year
  EXPECT_THAT(ValidateCommitmentFields(commitment, {"signed_date"}, kToday.year() == 2026 ? absl::CivilDay(2026, 12, 31) : kToday),
              IsEmpty());
}

// R3 践诺 evidence: up to 20 activity records, "activities/{id}", no repeats.
TEST(ValidateCommitmentFieldsTest, R3_EvidenceIsUpToTwentyActivityReferences) {
  Commitment commitment = ValidCommitment();
  commitment.evidence.clear();
  for (int i = 0; i < 20; ++i) commitment.evidence.push_back("activities/a" + std::to_string(i));
  EXPECT_THAT(ValidateCommitmentFields(commitment, {"evidence"}, kToday), IsEmpty());
  commitment.evidence.push_back("activities/a20");
  EXPECT_THAT(FieldsOf(ValidateCommitmentFields(commitment, {"evidence"}, kToday)), ElementsAre("commitment.evidence"));
  commitment.evidence = {"photos/1", "activities/", "activities/a b", "activities/ok", "activities/ok"};
  EXPECT_THAT(FieldsOf(ValidateCommitmentFields(commitment, {"evidence"}, kToday)),
              ElementsAre("commitment.evidence[0]", "commitment.evidence[1]", "commitment.evidence[2]",
                          "commitment.evidence[4]"));
}

// R3 践诺 status: PLEDGED -> IN_PROGRESS -> FULFILLED / NOT_FULFILLED.
TEST(StatusTransitionTest, R3_ForwardPathIsOpenToTheMember) {
  EXPECT_EQ(StatusTransitionProblem(S::kPledged, S::kInProgress, false), "");
  EXPECT_EQ(StatusTransitionProblem(S::kInProgress, S::kFulfilled, false), "");
  EXPECT_EQ(StatusTransitionProblem(S::kInProgress, S::kNotFulfilled, false), "");
  EXPECT_EQ(StatusTransitionProblem(S::kPledged, S::kNotFulfilled, false), "");  // never started
  EXPECT_EQ(StatusTransitionProblem(S::kInProgress, S::kPledged, false), "");    // started by mistake
  EXPECT_EQ(StatusTransitionProblem(S::kFulfilled, S::kFulfilled, false), "");   // a repeat
}

TEST(StatusTransitionTest, R3_FulfilledOnlyThroughInProgress) {
  EXPECT_THAT(StatusTransitionProblem(S::kPledged, S::kFulfilled, true), HasSubstr("IN_PROGRESS first"));
  EXPECT_THAT(StatusTransitionProblem(S::kFulfilled, S::kNotFulfilled, true), HasSubstr("IN_PROGRESS first"));
  EXPECT_NE(StatusTransitionProblem(S::kFulfilled, S::kPledged, true), "");
  EXPECT_NE(StatusTransitionProblem(S::kNotFulfilled, S::kPledged, true), "");
  EXPECT_NE(StatusTransitionProblem(S::kPledged, S::kUnspecified, true), "");
}

// A verdict (FULFILLED / NOT_FULFILLED) is reopened by the branch only.
TEST(StatusTransitionTest, R3_OnlyTheBranchReopensAVerdict) {
  EXPECT_EQ(StatusTransitionProblem(S::kFulfilled, S::kInProgress, true), "");
  EXPECT_EQ(StatusTransitionProblem(S::kNotFulfilled, S::kInProgress, true), "");
  EXPECT_THAT(StatusTransitionProblem(S::kFulfilled, S::kInProgress, false), HasSubstr("branch"));
  EXPECT_THAT(StatusTransitionProblem(S::kNotFulfilled, S::kInProgress, false), HasSubstr("branch"));
}

TEST(PledgeYearTest, FromTwoThousandToNextYearInChinaTime) {
  // 2026-12-31 17:00 UTC is already 2027-01-01 in China: next year is 2028.
  absl::Time new_year_in_china = absl::FromCivil(absl::CivilSecond(2026, 12, 31, 17, 0, 0), absl::UTCTimeZone());
  std::vector<FieldViolation> violations;
  CheckPledgeYear(2028, new_year_in_china, "year", violations);
  CheckPledgeYear(2000, new_year_in_china, "year", violations);
  EXPECT_THAT(violations, IsEmpty());
  CheckPledgeYear(2029, new_year_in_china, "year", violations);
  CheckPledgeYear(1999, new_year_in_china, "year", violations);
  CheckPledgeYear(0, new_year_in_china, "year", violations);
  EXPECT_EQ(violations.size(), 3u);
}

TEST(PledgeCommonTest, SubtreeTownAndCursor) {
  EXPECT_EQ(SubtreeOf("500114101000").low, "500114101000");
  EXPECT_EQ(SubtreeOf("500114101000").high, "500114101999");
  EXPECT_EQ(SubtreeOf("500114101201").low, "500114101201");
  EXPECT_EQ(SubtreeOf("500114101201").high, "500114101201");
  EXPECT_EQ(SubtreeOf("500114000000").high, "500114999999");
  EXPECT_EQ(TownOf("500114101201"), "500114101000");
  std::string cursor = EncodeCursor({"500114101201", "张:三", "0b1c9a7e-3f43-4d55-9d1e-2b8f5e0c6a11"});
  EXPECT_EQ(cursor.find(':'), std::string::npos);
  EXPECT_THAT(DecodeCursor(cursor, 3).value_or(std::vector<std::string>{}),
              ElementsAre("500114101201", "张:三", "0b1c9a7e-3f43-4d55-9d1e-2b8f5e0c6a11"));
  EXPECT_FALSE(DecodeCursor(cursor, 5).has_value());
  EXPECT_FALSE(DecodeCursor("not base64!", 3).has_value());
  EXPECT_TRUE(IsUuid("0b1c9a7e-3f43-4d55-9d1e-2b8f5e0c6a11"));
  EXPECT_FALSE(IsUuid("0b1c9a7e3f434d559d1e2b8f5e0c6a11"));
  EXPECT_FALSE(IsUuid("0b1c9a7e-3f43-4d55-9d1e-2b8f5e0c6a1g"));
}

// Lists for a MEMBER caller are limited to its own record; without a subject nothing is listed.
TEST(PledgeCommonTest, ListUserFilterNeverWidensAMemberList) {
  EXPECT_EQ(ListUserFilter({.self_only = false}), std::optional<std::string>(""));
  EXPECT_EQ(ListUserFilter({.self_only = true, .self_user = "users/7"}), std::optional<std::string>("users/7"));
  EXPECT_EQ(ListUserFilter({.self_only = true, .self_user = ""}), std::nullopt);
}

}  // namespace
}  // namespace gridserve::membership
