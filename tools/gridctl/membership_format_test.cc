#include "tools/gridctl/membership_format.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/gridctl/commands.h"

namespace gridserve::gridctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class MembershipFormatTest : public ::testing::Test {
 protected:
  CommandLine Parse(std::vector<std::string> args) {
    absl::StatusOr<CommandLine> line = ParseCommandLine(args, commands_.specs());
    EXPECT_TRUE(line.ok()) << line.status();
    return line.ok() ? *line : CommandLine{};
  }
  CommandSet commands_ = AllCommands();
};

TEST(EnumTextTest, RoundTripsAsPeopleTypeThem) {
  EXPECT_EQ(GenderText(mv1::GENDER_FEMALE), "female");
  EXPECT_EQ(EndReasonText(mv1::END_REASON_TRANSFERRED_OUT), "transferred-out");
  EXPECT_EQ(FulfilmentStatusText(mv1::FULFILMENT_STATUS_NOT_FULFILLED), "not-fulfilled");
  EXPECT_EQ(MemberStatusText(mv1::MEMBER_STATUS_UNSPECIFIED), "-");
  EXPECT_EQ(MemberEventKindText(mv1::MEMBER_EVENT_KIND_TRANSFERRED), "transferred");

  EXPECT_EQ(*ParseGender("gender", "male"), mv1::GENDER_MALE);
  EXPECT_EQ(*ParseGender("gender", "女"), mv1::GENDER_FEMALE);
  EXPECT_EQ(*ParseEndReason("reason", "transferred-out"), mv1::END_REASON_TRANSFERRED_OUT);
  EXPECT_EQ(*ParseEndReason("reason", "DECEASED"), mv1::END_REASON_DECEASED);
  EXPECT_EQ(*ParseFulfilmentStatus("status", "in-progress"), mv1::FULFILMENT_STATUS_IN_PROGRESS);
  EXPECT_EQ(*ParseFulfilmentStatus("status", "in_progress"), mv1::FULFILMENT_STATUS_IN_PROGRESS);
  EXPECT_EQ(*ParseMemberStatus("status", "ended"), mv1::MEMBER_STATUS_ENDED);
  EXPECT_TRUE(*ParseBoolFlag("group-head", "是"));
  EXPECT_FALSE(*ParseBoolFlag("group-head", "false"));
}

TEST(EnumTextTest, BadValuesAreUsageErrorsListingTheChoices) {
  for (const auto& [status, part] : std::vector<std::pair<absl::Status, std::string>>{
           {ParseGender("gender", "x").status(), "--gender must be male or female"},
           {ParseGender("gender", "unspecified").status(), "--gender must be"},
           {ParseEndReason("reason", "moved").status(), "transferred-out, deceased, withdrawn, expelled or other"},
           {ParseFulfilmentStatus("status", "").status(), "pledged, in-progress, fulfilled or not-fulfilled"},
           {ParseMemberStatus("status", "locked").status(), "active or ended"},
           {ParseBoolFlag("group-head", "maybe").status(), "--group-head must be true or false"},
       }) {
    EXPECT_TRUE(IsUsageError(status)) << status;
    EXPECT_THAT(std::string(status.message()), HasSubstr(part));
  }
}

TEST(DutyAreaFlagTest, CodeBeforeTheFirstColonNameAfter) {
  absl::StatusOr<mv1::DutyArea> area = ParseDutyAreaFlag("SAFETY:安全生产监督");
  ASSERT_TRUE(area.ok()) << area.status();
  EXPECT_EQ(area->code(), "SAFETY");
  EXPECT_EQ(area->display_name(), "安全生产监督");
  EXPECT_EQ(ParseDutyAreaFlag("A: 名称:含冒号")->display_name(), "名称:含冒号");
  for (const char* bad : {"SAFETY", ":名称", "SAFETY:", ""}) {
    absl::StatusOr<mv1::DutyArea> parsed = ParseDutyAreaFlag(bad);
    EXPECT_TRUE(IsUsageError(parsed.status())) << bad;
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("CODE:名称")) << bad;
  }
}

TEST_F(MembershipFormatTest, MemberUpdateMaskNamesExactlyTheGivenFlags) {
  absl::StatusOr<mv1::UpdateMemberRequest> request = MemberUpdateFromFlags(
      Parse({"member", "update", "members/m-1", "--phone=", "--gender=女", "--group-head=true", "--notes=搬家"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->member().member_id(), "m-1");
  EXPECT_THAT(request->update_mask().paths(), ElementsAre("gender", "phone", "notes", "is_group_head"));
  EXPECT_EQ(request->member().phone(), "");  // given empty: cleared, and in the mask
  EXPECT_EQ(request->member().gender(), mv1::GENDER_FEMALE);
  EXPECT_TRUE(request->member().is_group_head());

  // false must reach the server as a masked false, not as "not given".
  request = MemberUpdateFromFlags(Parse({"member", "update", "m-1", "--publicity-consent=false"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(request->update_mask().paths(), ElementsAre("publicity_consent"));

  absl::StatusOr<mv1::UpdateMemberRequest> nothing = MemberUpdateFromFlags(Parse({"member", "update", "m-1"}));
  EXPECT_TRUE(IsUsageError(nothing.status()));
  EXPECT_THAT(std::string(nothing.status().message()), HasSubstr("nothing to update"));
  EXPECT_TRUE(IsUsageError(
      MemberUpdateFromFlags(Parse({"member", "update", "m-1", "--group-head=perhaps"})).status()));
}

TEST_F(MembershipFormatTest, CommitmentUpdateTakesRepeatedEvidence) {
  absl::StatusOr<mv1::UpdateCommitmentRequest> request =
      CommitmentUpdateFromFlags(Parse({"commitment", "update", "commitments/c-1", "--status=fulfilled",
                                       "--evidence=activities/a", "--evidence", "activities/b"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->commitment().commitment_id(), "c-1");
  EXPECT_THAT(request->update_mask().paths(), ElementsAre("status", "evidence"));
  EXPECT_THAT(request->commitment().evidence(), ElementsAre("activities/a", "activities/b"));

  request = CommitmentUpdateFromFlags(Parse({"commitment", "update", "c-1", "--evidence="}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(request->update_mask().paths(), ElementsAre("evidence"));
  EXPECT_TRUE(request->commitment().evidence().empty());

  EXPECT_TRUE(IsUsageError(CommitmentUpdateFromFlags(Parse({"commitment", "update", "c-1"})).status()));
}

mv1::CommitmentForm SampleForm() {
  mv1::CommitmentForm form;
  form.set_year(2026);
  form.set_full_name("张三");
  form.set_gender(mv1::GENDER_MALE);
  form.set_birth_month("1980-05");
  form.set_joined_date("2005-07-01");
  form.set_phone("138****8000");
  form.set_branch_code("500114101201");
  form.set_branch_name("一村");
  form.mutable_duties()->add_area_codes("POLICY_PUBLICITY");
  mv1::Commitment* first = form.add_commitments();
  first->set_target("帮助3户发展产业");
  first->set_measures("每月走访一次\n协调技术指导");
  first->set_due_date("2026-12-31");
  first->set_status(mv1::FULFILMENT_STATUS_PLEDGED);
  mv1::Commitment* second = form.add_commitments();
  second->set_target("调解邻里纠纷");
  second->set_measures("及时上门");
  second->set_status(mv1::FULFILMENT_STATUS_FULFILLED);
  second->add_evidence("activities/a1");
  return form;
}

TEST(CommitmentFormTextTest, EveryFieldOfAttachmentOneUnderItsChineseLabel) {
  std::string text = CommitmentFormText(SampleForm());
  EXPECT_TRUE(text.starts_with("党员承诺践诺书（2026年度）\n")) << text;
  for (const char* line : {"姓名：", "性别：", "出生年月：", "入党时间：", "联系电话：", "所在党支部（网格）：",
                           "联系的群众：", "服务承诺：", "签名日期："}) {
    EXPECT_THAT(text, HasSubstr(line)) << text;
  }
  EXPECT_THAT(text, HasSubstr("姓名：" + std::string(15, ' ') + "张三\n")) << text;  // values line up under the longest label
  EXPECT_THAT(text, HasSubstr("性别："));
  EXPECT_THAT(text, HasSubstr("男\n"));
  EXPECT_THAT(text, HasSubstr("一村 500114101201（网格数据暂不可用）"));
  EXPECT_THAT(text, HasSubstr("（网格数据暂不可用）\n"));
  EXPECT_THAT(text, HasSubstr("  1.  目标任务： 帮助3户发展产业\n"));
  EXPECT_THAT(text, HasSubstr("\n      服务举措： 每月走访一次\n" + std::string(17, ' ') + "协调技术指导\n")) << text;
  EXPECT_THAT(text, HasSubstr("  2.  目标任务： 调解邻里纠纷\n"));
  EXPECT_THAT(text, HasSubstr("践诺情况： 已践诺"));
  EXPECT_THAT(text, HasSubstr("践诺证明： activities/a1"));
  EXPECT_THAT(text, HasSubstr("签名日期： （未签名）"));
  EXPECT_THAT(text, HasSubstr("职责："));
  EXPECT_THAT(text, HasSubstr("POLICY_PUBLICITY"));
}

TEST(CommitmentFormTextTest, GridDataWhenAvailableAndNoCommitments) {
  mv1::CommitmentForm form = SampleForm();
  form.clear_commitments();
  form.set_grid_data_available(true);
  form.set_grid_name("一组网格");
  form.add_linked_households("households/1 李**");
  form.set_signed_date("2026-03-01");
  std::string text = CommitmentFormText(form);
  EXPECT_THAT(text, HasSubstr("一村 500114101201（一组网格）"));
  EXPECT_THAT(text, HasSubstr("households/1 李**"));
  EXPECT_THAT(text, HasSubstr("服务承诺： （尚无承诺）"));
  EXPECT_THAT(text, HasSubstr("签名日期： 2026-03-01"));
  EXPECT_THAT(text, Not(HasSubstr("暂不可用")));
}

TEST(ImportReportTextTest, ProblemsAreATableAndNothingIsSaidToBeWritten) {
  mv1::ImportReport report;
  report.set_detected_encoding("UTF-8");
  report.set_rows_total(3);
  report.set_rows_with_problems(1);
  report.set_created(2);
  mv1::ImportRowProblem* problem = report.add_problems();
  problem->set_row_number(3);
  problem->set_column("联系电话");
  problem->set_field("phone");
  problem->set_problem("must be a mainland mobile number");
  std::string text = ImportReportText(report, "一村.csv", "req-1");
  EXPECT_THAT(text, HasSubstr("一村.csv (UTF-8): 1 of 3 rows have problems; nothing was written."));
  EXPECT_THAT(text, HasSubstr("rows with problems:  1"));
  EXPECT_THAT(text, HasSubstr("request id:          req-1"));
  EXPECT_THAT(text, HasSubstr("ROW  COLUMN    FIELD  PROBLEM\n3    联系电话  phone  must be a mainland mobile number\n"))
      << text;
}

TEST(ImportReportTextTest, CommittedAndDryRunCounts) {
  mv1::ImportReport report;
  report.set_detected_encoding("XLSX");
  report.set_rows_total(3);
  report.set_committed(true);
  report.set_created(1);
  report.set_unchanged(2);
  std::string committed = ImportReportText(report, "a.xlsx", "r");
  EXPECT_THAT(committed, HasSubstr("Imported a.xlsx (XLSX): 3 rows."));
  EXPECT_THAT(committed, HasSubstr("created:"));
  EXPECT_THAT(committed, HasSubstr("unchanged:           2"));
  EXPECT_THAT(committed, Not(HasSubstr("ROW")));

  report.set_committed(false);
  report.set_dry_run(true);
  std::string dry = ImportReportText(report, "a.xlsx", "r");
  EXPECT_THAT(dry, HasSubstr("Dry run of a.xlsx (XLSX): all 3 rows are valid; nothing was written."));
  EXPECT_THAT(dry, HasSubstr("would create:        1"));
}

}  // namespace
}  // namespace gridserve::gridctl
