// Roster import through the real gateway (issue 4, deliverable 2): the
// attachment-1 roster as CSV in UTF-8, with a BOM and in GB18030, and as
// XLSX, streamed in chunks to MemberService.ImportMembers; a file with bad
// rows is refused whole with a per-row report; importing again creates no
// duplicates; a village secretary cannot import into another village.
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gridserve/membership/v1/member.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "membership/roster/roster_test_files.h"
#include "tests/e2e/two_villages.h"
#include "tools/devstack/stack.h"

namespace gridserve {
namespace {

namespace v1 = membership::v1;
using membership::testing::MakeCsv;
using membership::testing::MakeXlsx;
using membership::testing::ToGb18030;
using membership::testing::XlsxValue;

using e2e::kOtherVillage;
using e2e::kTown;
using e2e::kVillage;

const std::vector<std::string> kHeader = {"姓名", "性别", "出生年月", "入党时间", "联系电话", "所在党支部"};

struct Outcome {
  grpc::Status status;
  std::vector<v1::ImportProgress> progress;
  v1::ImportReport report;
};

class MemberImportE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto stack = e2e::StartTwoVillageStack("member-import-e2e");
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = std::move(*stack).release();
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }

  static std::shared_ptr<grpc::Channel> Channel() {
    return grpc::CreateChannel(stack_->address("gateway"), grpc::InsecureChannelCredentials());
  }
  static void Prepare(grpc::ClientContext& context, const std::string& token) {
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    context.AddMetadata("authorization", "Bearer " + token);
  }
  static std::string TownAdmin() { return stack_->MintToken("users/e2e-town-admin", {{"TOWN_ADMIN", kTown}}); }

  // Streams `file` in `chunk` byte pieces after the header; collects the answers.
  static Outcome Import(const std::string& file, const std::string& org_code, const std::string& token,
                        bool dry_run = false, size_t chunk = 4096) {
    auto stub = v1::MemberService::NewStub(Channel());
    grpc::ClientContext context;
    Prepare(context, token);
    auto stream = stub->ImportMembers(&context);
    v1::ImportMembersRequest header;
    header.mutable_header()->set_org_code(org_code);
    header.mutable_header()->set_file_name("e2e-roster");
    header.mutable_header()->set_dry_run(dry_run);
    bool sent = stream->Write(header);
    for (size_t offset = 0; sent && offset < file.size(); offset += chunk) {
      v1::ImportMembersRequest piece;
      piece.set_chunk(file.substr(offset, chunk));
      sent = stream->Write(piece);
    }
    stream->WritesDone();
    Outcome outcome;
    v1::ImportMembersResponse response;
    while (stream->Read(&response)) {
      if (response.has_progress()) outcome.progress.push_back(response.progress());
      if (response.has_report()) outcome.report = response.report();
    }
    outcome.status = stream->Finish();
    return outcome;
  }

  static std::vector<v1::Member> MembersOf(const std::string& org_code) {
    auto stub = v1::MemberService::NewStub(Channel());
    std::vector<v1::Member> members;
    v1::ListMembersRequest request;
    request.set_org_code(org_code);
    request.set_page_size(500);
    do {
      grpc::ClientContext context;
      Prepare(context, stack_->AdminToken());
      v1::ListMembersResponse response;
      grpc::Status status = stub->ListMembers(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      members.insert(members.end(), response.members().begin(), response.members().end());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return members;
  }

  static int CountNamed(const std::vector<v1::Member>& members, const std::string& name) {
    return static_cast<int>(
        std::count_if(members.begin(), members.end(), [&](const v1::Member& m) { return m.full_name() == name; }));
  }

  static inline devstack::Stack* stack_ = nullptr;
};

TEST_F(MemberImportE2eTest, Utf8CsvImportsOnceAndReimportChangesNothing) {
  std::string csv = MakeCsv({kHeader,
                             {"甲导入", "男", "1970-05", "1998-07-01", "13911110001", "演示一村"},
                             {"乙导入", "女", "1985年3月", "2010-06", "023-79223456", kOtherVillage},
                             {"丙导入", "男", "1990.11", "2015-12-20", "", "演示二村党支部"}});
  Outcome first = Import(csv, kTown, TownAdmin(), /*dry_run=*/false, /*chunk=*/7);  // many small chunks
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  EXPECT_TRUE(first.report.committed());
  EXPECT_EQ(first.report.detected_encoding(), "UTF-8");
  EXPECT_EQ(first.report.rows_total(), 3);
  EXPECT_EQ(first.report.created(), 3);
  EXPECT_EQ(first.report.rows_with_problems(), 0);
  EXPECT_FALSE(first.progress.empty()) << "the server reports progress before the report";

  Outcome again = Import(csv, kTown, TownAdmin());
  ASSERT_TRUE(again.status.ok()) << again.status.error_message();
  EXPECT_EQ(again.report.created(), 0);
  EXPECT_EQ(again.report.unchanged(), 3);
  std::vector<v1::Member> members = MembersOf(kTown);
  EXPECT_EQ(CountNamed(members, "甲导入"), 1);
  EXPECT_EQ(CountNamed(members, "乙导入"), 1);
  EXPECT_EQ(CountNamed(members, "丙导入"), 1);
}

TEST_F(MemberImportE2eTest, Gb18030AndBomCsvAreReadAsChinese) {
  std::string utf8 = MakeCsv({kHeader, {"丁国标", "女", "1966-01", "1992-03-08", "13911110002", "演示一村"}});
  absl::StatusOr<std::string> gb18030 = ToGb18030(utf8);
  ASSERT_TRUE(gb18030.ok()) << gb18030.status();
  ASSERT_NE(*gb18030, utf8) << "the Chinese text must really be re-encoded";
  Outcome converted = Import(*gb18030, kVillage, TownAdmin());
  ASSERT_TRUE(converted.status.ok()) << converted.status.error_message();
  EXPECT_EQ(converted.report.detected_encoding(), "GB18030");
  EXPECT_EQ(converted.report.created(), 1);

  std::string bom = "\xEF\xBB\xBF" + MakeCsv({kHeader, {"戊带头", "男", "1977-07", "2001-07-01", "", ""}});
  Outcome with_bom = Import(bom, kVillage, TownAdmin());
  ASSERT_TRUE(with_bom.status.ok()) << with_bom.status.error_message();
  EXPECT_EQ(with_bom.report.detected_encoding(), "UTF-8 with BOM");
  EXPECT_EQ(with_bom.report.created(), 1) << "an empty 所在党支部 goes to the village imported into";

  std::vector<v1::Member> members = MembersOf(kVillage);
  EXPECT_EQ(CountNamed(members, "丁国标"), 1) << "the GB18030 name arrives as the same Chinese text";
  EXPECT_EQ(CountNamed(members, "戊带头"), 1);
}

TEST_F(MemberImportE2eTest, XlsxWithDateCellsImports) {
  std::vector<std::vector<XlsxValue>> rows = {
      {std::string("姓名"), std::string("性别"), std::string("出生年月"), std::string("入党时间"),
       std::string("联系电话")},
      {std::string("己表格"), std::string("女"), absl::CivilDay(1980, 2, 1), absl::CivilDay(2005, 7, 1),
       std::string("13911110003")},
      {std::string("庚表格"), std::string("男"), std::string("1975-09"), absl::CivilDay(1999, 12, 1),
       membership::testing::Blank{}}};
  absl::StatusOr<std::string> xlsx = MakeXlsx(rows);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  Outcome imported = Import(*xlsx, kVillage, TownAdmin());
  ASSERT_TRUE(imported.status.ok()) << imported.status.error_message();
  EXPECT_EQ(imported.report.detected_encoding(), "XLSX");
  EXPECT_EQ(imported.report.created(), 2) << imported.report.DebugString();
  for (const v1::Member& member : MembersOf(kVillage)) {
    if (member.full_name() == "己表格") {
      EXPECT_EQ(member.birth_month(), "1980-02");
      EXPECT_EQ(member.joined_date(), "2005-07-01");
    }
  }
}

TEST_F(MemberImportE2eTest, BadRowsAreReportedAndNothingIsWritten) {
  std::string csv = MakeCsv({kHeader,
                             {"辛正常", "男", "1970-01", "1995-01-01", "13911110004", ""},
                             {"壬电话", "男", "1971-01", "1996-01-01", "12345", ""},
                             {"癸未成年", "女", "2000-06", "2010-01-01", "", ""},
                             {"子未来", "男", "1980-01", "2999-01-01", "", ""}});
  Outcome dry = Import(csv, kVillage, TownAdmin(), /*dry_run=*/true);
  ASSERT_TRUE(dry.status.ok()) << dry.status.error_message();
  EXPECT_TRUE(dry.report.dry_run());
  EXPECT_FALSE(dry.report.committed());

  Outcome refused = Import(csv, kVillage, TownAdmin());
  ASSERT_TRUE(refused.status.ok()) << "problems are a report, not a failed call: " << refused.status.error_message();
  EXPECT_FALSE(refused.report.committed());
  EXPECT_EQ(refused.report.rows_with_problems(), 3);
  std::map<int, std::string> fields;
  for (const v1::ImportRowProblem& problem : refused.report.problems()) {
    fields[problem.row_number()] = problem.field();
    EXPECT_FALSE(problem.problem().empty());
  }
  EXPECT_EQ(fields[3], "phone") << refused.report.DebugString();
  EXPECT_EQ(fields[4], "joined_date") << "under 18 at joining (二(一), attachment 1)";
  EXPECT_EQ(fields[5], "joined_date") << "joining in the future";
  EXPECT_EQ(CountNamed(MembersOf(kVillage), "辛正常"), 0) << "the good row is not written either";
}

TEST_F(MemberImportE2eTest, SecretaryCannotImportIntoAnotherVillage) {
  std::string secretary = stack_->MintToken("users/e2e-secretary", {{"VILLAGE_SECRETARY", kVillage}});
  std::string csv = MakeCsv({kHeader, {"丑越界", "男", "1970-01", "1995-01-01", "", ""}});
  Outcome other = Import(csv, kOtherVillage, secretary);
  EXPECT_EQ(other.status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << other.status.error_message();
  std::string naming_other = MakeCsv({kHeader, {"寅越界", "男", "1970-01", "1995-01-01", "", kOtherVillage}});
  Outcome row = Import(naming_other, kVillage, secretary);
  ASSERT_TRUE(row.status.ok()) << row.status.error_message();
  EXPECT_FALSE(row.report.committed()) << "a row naming a branch outside the village is a problem";
  std::string member = stack_->MintToken("users/e2e-member", {{"MEMBER", kVillage}});
  EXPECT_EQ(Import(csv, kVillage, member).status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CountNamed(MembersOf(kTown), "丑越界") + CountNamed(MembersOf(kTown), "寅越界"), 0);
}

}  // namespace
}  // namespace gridserve
