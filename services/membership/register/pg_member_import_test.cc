#include "membership/register/pg_member_import_store.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "membership/register/member_import.h"
#include "membership/roster/roster_test_files.h"
#include "membership_sql.h"
#include "tests/support/pg_test_schema.h"

// Issue 4 deliverable 2 (bulk import of the attachment-1 roster, clause
// 二(一)) against a real PostgreSQL: all rows or none, per-row report,
// re-import without duplicates, dry run, request_id idempotency, scope.
namespace gridserve::membership {
namespace {

using ::testing::AllOf;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using testing::MakeCsv;
using testing::MakeXlsx;
using testing::ToGb18030;
using testing::XlsxValue;
using Rows = std::vector<std::vector<std::string>>;

constexpr char kDistrict[] = "500114000000";
constexpr char kTown[] = "500114101000";
constexpr char kVillage[] = "500114101201";       // 白石村
constexpr char kOtherVillage[] = "500114101202";  // 二村
constexpr char kFarTown[] = "500114102000";
constexpr char kFarVillage[] = "500114102201";  // 石会村, another town

const std::vector<std::string> kHeader = {"序号", "姓名", "性别", "出生年月", "入党时间", "联系电话",
                                          "身份证号", "是否组长", "备注"};

Rows ThreeMembers() {
  return {kHeader,
          {"1", "张三", "男", "1975-03", "2001-07-01", "13800138000", "", "是", ""},
          {"2", "李四", "女", "1980.11", "2005年6月", "023-79223456", "", "否", ""},
          {"3", "王芳", "女", "1949年12月", "1975-01", "13900139000", "11010519491231002X", "否", "老党员"}};
}

Principal Secretary(const std::string& scope) { return Principal{.subject = "users/secretary", .bindings = {{"VILLAGE_SECRETARY", scope}}}; }
Principal TownAdmin() { return Principal{.subject = "users/town", .bindings = {{"TOWN_ADMIN", kTown}}}; }

class PgMemberImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<gridserve::testing::TestSchema> schema =
        gridserve::testing::MakeTestSchema("member_import", sql::Migrations(), sql::Queries());
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = std::move(schema).value();
    ASSERT_TRUE(schema_
                    .Execute(absl::StrCat(
                        "INSERT INTO organizations (code, kind, parent_code, display_name) VALUES ('", kDistrict,
                        "', 'DISTRICT', NULL, '黔江区'), ('", kTown, "', 'TOWN', '", kDistrict, "', '邻鄂镇'), ('",
                        kVillage, "', 'VILLAGE', '", kTown, "', '白石村'), ('", kOtherVillage, "', 'VILLAGE', '", kTown,
                        "', '二村'), ('", kFarTown, "', 'TOWN', '", kDistrict, "', '石会镇'), ('", kFarVillage,
                        "', 'VILLAGE', '", kFarTown, "', '石会村')"))
                    .ok());
    absl::StatusOr<PersonalDataSealer> sealer = PersonalDataSealer::Create(std::string(32, 'k'));
    ASSERT_TRUE(sealer.ok()) << sealer.status();
    sealer_ = std::make_unique<PersonalDataSealer>(*std::move(sealer));
    store_ = std::make_unique<PgMemberImportStore>(*schema_.pool);
    import_ = std::make_unique<MemberImport>(*store_, *sealer_,
                                             [] { return absl::FromCivil(absl::CivilDay(2024, 6, 1), absl::UTCTimeZone()); });
  }

  absl::StatusOr<v1::ImportReport> Import(const std::string& file, const std::string& org_code = kVillage,
                                          const Principal& caller = Secretary(kVillage), bool dry_run = false,
                                          const std::string& request_id = "") {
    v1::ImportHeader header;
    header.set_org_code(org_code);
    header.set_file_name("名册.csv");
    header.set_dry_run(dry_run);
    header.set_request_id(request_id);
    progress_.clear();
    return import_->Import(caller, header, file, [&](const v1::ImportProgress& p) { progress_.push_back(p); },
                           absl::Now() + absl::Seconds(30));
  }

  std::string Text(const std::string& sql) {
    absl::StatusOr<std::string> text =
        schema_.pool->Transact(absl::Now() + absl::Seconds(10), [&](PgTransaction& txn) -> absl::StatusOr<std::string> {
          return txn.exec1(sql)[0].as<std::string>();
        });
    EXPECT_TRUE(text.ok()) << text.status();
    return text.value_or("");
  }

  int64_t Count(const std::string& sql) { return std::stoll(Text(sql)); }

  int64_t Members() { return Count("SELECT count(*) FROM members"); }

  gridserve::testing::TestSchema schema_;
  std::unique_ptr<PersonalDataSealer> sealer_;
  std::unique_ptr<PgMemberImportStore> store_;
  std::unique_ptr<MemberImport> import_;
  std::vector<v1::ImportProgress> progress_;
};

MATCHER_P3(Problem, row, column, field, "") {
  return arg.row_number() == row && arg.column() == column && arg.field() == field;
}

TEST_F(PgMemberImportTest, ImportCreatesMembersWithImportedEvents) {
  absl::StatusOr<v1::ImportReport> report = Import(MakeCsv(ThreeMembers()));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->problems(), IsEmpty());
  EXPECT_TRUE(report->committed());
  EXPECT_EQ(report->detected_encoding(), "UTF-8");
  EXPECT_EQ(report->rows_total(), 3);
  EXPECT_EQ(report->created(), 3);
  EXPECT_EQ(Members(), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM member_events WHERE kind = 'IMPORTED' AND actor = 'users/secretary'"), 3);
  // Roster forms end up in the register's forms.
  EXPECT_EQ(Text("SELECT birth_month::text FROM members WHERE full_name = '李四'"), "1980-11-01");
  EXPECT_EQ(Text("SELECT joined_date::text || joined_month_only FROM members WHERE full_name = '李四'"),
            "2005-06-01true");
  EXPECT_EQ(Count("SELECT count(*) FROM members WHERE full_name = '张三' AND is_group_head"), 1);
  // The national id is sealed, never stored in clear.
  EXPECT_EQ(Text("SELECT national_id_last4 FROM members WHERE full_name = '王芳'"), "002X");
  EXPECT_EQ(Count("SELECT count(*) FROM members WHERE position('\\x3131303130' in national_id_sealed::text) > 0"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM members WHERE national_id_sealed IS NOT NULL"), 1);
  // Progress went through validating and writing.
  ASSERT_FALSE(progress_.empty());
  EXPECT_EQ(progress_.back().phase(), v1::IMPORT_PHASE_WRITING);
  EXPECT_EQ(progress_.back().rows_done(), 3);
}

// Issue 8: the import's one transaction is retried after a serialization
// failure (forced once, after the rows were copied and matched, by a trigger
// whose sequence survives the rollback); the answer and the register hold
// every row once.
TEST_F(PgMemberImportTest, RetriedWriteCountsAndStoresEveryRowOnce) {
  ASSERT_TRUE(schema_
                  .Execute("CREATE SEQUENCE insert_attempts;"
                           "CREATE FUNCTION fail_first_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                           "  IF nextval('insert_attempts') = 1 THEN "
                           "    RAISE EXCEPTION 'forced conflict' USING ERRCODE = 'serialization_failure'; "
                           "  END IF; RETURN NULL; END $$;"
                           "CREATE TRIGGER fail_first_insert AFTER INSERT ON members "
                           "  FOR EACH STATEMENT EXECUTE FUNCTION fail_first_insert()")
                  .ok());
  absl::StatusOr<v1::ImportReport> report = Import(MakeCsv(ThreeMembers()));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(Count("SELECT last_value FROM insert_attempts"), 2);  // the write ran twice
  EXPECT_TRUE(report->committed());
  EXPECT_EQ(report->created(), 3);
  EXPECT_EQ(report->updated(), 0);
  EXPECT_EQ(Members(), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM member_events WHERE kind = 'IMPORTED'"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM member_imports"), 1);
  // Progress came from outside the transaction: writing started once and ended once.
  int writing = 0;
  for (const v1::ImportProgress& p : progress_) writing += p.phase() == v1::IMPORT_PHASE_WRITING;
  EXPECT_EQ(writing, 2);
}

TEST_F(PgMemberImportTest, ReimportingTheSameFileCreatesNoDuplicates) {
  ASSERT_TRUE(Import(MakeCsv(ThreeMembers())).ok());
  absl::StatusOr<v1::ImportReport> again = Import(MakeCsv(ThreeMembers()));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->committed());
  EXPECT_EQ(again->created(), 0);
  EXPECT_EQ(again->updated(), 0);
  EXPECT_EQ(again->unchanged(), 3);
  EXPECT_EQ(Members(), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM member_events"), 3);
}

TEST_F(PgMemberImportTest, ChangedPhoneUpdatesTheRecord) {
  ASSERT_TRUE(Import(MakeCsv(ThreeMembers())).ok());
  Rows changed = ThreeMembers();
  changed[1][5] = "13700137000";
  absl::StatusOr<v1::ImportReport> report = Import(MakeCsv(changed));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->created(), 0);
  EXPECT_EQ(report->updated(), 1);
  EXPECT_EQ(report->unchanged(), 2);
  EXPECT_EQ(Members(), 3);
  EXPECT_EQ(Text("SELECT phone FROM members WHERE full_name = '张三'"), "13700137000");
  EXPECT_EQ(Text("SELECT detail FROM member_events WHERE event_id = (SELECT max(event_id) FROM member_events)"),
            "updated from roster 名册.csv: phone");
}

TEST_F(PgMemberImportTest, BadRowsAreAllReportedAndNothingIsWritten) {
  Rows rows = ThreeMembers();
  rows.push_back({"4", "赵六", "未知", "1985-03", "2010-07-01", "13800138001", "", "否", ""});
  rows.push_back({"5", "钱七", "男", "1990-01", "2003-07-01", "12345", "", "否", ""});  // joined at 13; bad phone
  rows.push_back({"6", "孙八", "男", "1990-13", "2012-07-01", "", "", "也许", ""});
  absl::StatusOr<v1::ImportReport> report = Import(MakeCsv(rows));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->committed());
  EXPECT_EQ(report->rows_with_problems(), 3);
  EXPECT_THAT(report->problems(),
              ::testing::UnorderedElementsAre(Problem(5, "性别", "gender"), Problem(6, "入党时间", "joined_date"),
                                              Problem(6, "联系电话", "phone"), Problem(7, "出生年月", "birth_month"),
                                              Problem(7, "是否组长", "is_group_head")));
  for (const v1::ImportRowProblem& problem : report->problems()) EXPECT_FALSE(problem.problem().empty());
  EXPECT_EQ(report->problems(0).row_number(), 5);  // ordered by row
  // The valid rows still say what a corrected file would do.
  EXPECT_EQ(report->created(), 3);
  EXPECT_EQ(Members(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM member_imports"), 0);
}

TEST_F(PgMemberImportTest, MissingAndUnknownColumnsAreProblemsOfTheHeaderRow) {
  absl::StatusOr<v1::ImportReport> report =
      Import(MakeCsv({{"姓名", "性别", "出生年月", "身分证号"}, {"张三", "男", "1975-03", ""}}));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->committed());
  EXPECT_THAT(report->problems(),
              ::testing::UnorderedElementsAre(Problem(1, "身分证号", ""), Problem(1, "入党时间", "joined_date")));
  EXPECT_EQ(Members(), 0);
}

TEST_F(PgMemberImportTest, DryRunWritesNothing) {
  absl::StatusOr<v1::ImportReport> report = Import(MakeCsv(ThreeMembers()), kVillage, Secretary(kVillage), true);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->dry_run());
  EXPECT_FALSE(report->committed());
  EXPECT_EQ(report->created(), 3);
  EXPECT_EQ(Members(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM member_events"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM member_imports"), 0);
}

TEST_F(PgMemberImportTest, SamePersonTwiceInOneFileIsAProblemOfTheLaterRow) {
  Rows rows = ThreeMembers();
  rows.push_back({"4", "张三", "男", "1975-03", "2001-07-01", "13800138009", "", "否", ""});
  absl::StatusOr<v1::ImportReport> report = Import(MakeCsv(rows));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_THAT(report->problems(), SizeIs(1));
  EXPECT_EQ(report->problems(0).row_number(), 5);
  EXPECT_THAT(report->problems(0).problem(), HasSubstr("row 2"));
  EXPECT_EQ(Members(), 0);
}

TEST_F(PgMemberImportTest, TownImportNamesBranchesByNameOrCode) {
  absl::StatusOr<v1::ImportReport> report = Import(
      MakeCsv({{"姓名", "性别", "出生年月", "入党时间", "所在党支部（网格）"},
               {"张三", "男", "1975-03", "2001-07-01", "白石村党支部"},
               {"李四", "女", "1980-11", "2005-06", kOtherVillage},
               {"王五", "男", "1970-01", "1999-07", ""}}),
      kTown, TownAdmin());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->problems(), ::testing::ElementsAre(Problem(4, "所在党支部（网格）", "branch_code")));
  Rows fixed = {{"姓名", "性别", "出生年月", "入党时间", "所在党支部（网格）"},
                {"张三", "男", "1975-03", "2001-07-01", "白石村党支部"},
                {"李四", "女", "1980-11", "2005-06", kOtherVillage}};
  report = Import(MakeCsv(fixed), kTown, TownAdmin());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->created(), 2);
  EXPECT_EQ(Text("SELECT branch_code FROM members WHERE full_name = '张三'"), kVillage);
  EXPECT_EQ(Text("SELECT branch_code FROM members WHERE full_name = '李四'"), kOtherVillage);
}

TEST_F(PgMemberImportTest, BranchOutsideTheOrgIsRefused) {
  absl::StatusOr<v1::ImportReport> report =
      Import(MakeCsv({{"姓名", "性别", "出生年月", "入党时间", "所在党支部"},
                      {"张三", "男", "1975-03", "2001-07-01", kFarVillage},
                      {"李四", "女", "1980-11", "2005-06", "石会村"}}),
             kTown, TownAdmin());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->problems(), ::testing::ElementsAre(Problem(2, "所在党支部", "branch_code"),
                                                         Problem(3, "所在党支部", "branch_code")));
  EXPECT_EQ(Members(), 0);
}

TEST_F(PgMemberImportTest, CallerNeedsMemberWriteOverTheOrg) {
  absl::StatusOr<v1::ImportReport> report = Import(MakeCsv(ThreeMembers()), kVillage, Secretary(kOtherVillage));
  EXPECT_EQ(report.status().code(), absl::StatusCode::kPermissionDenied);
  Principal member{.subject = "users/m", .bindings = {{"MEMBER", kVillage}}};
  EXPECT_EQ(Import(MakeCsv(ThreeMembers()), kVillage, member).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Members(), 0);
}

TEST_F(PgMemberImportTest, RetryWithTheSameRequestIdReturnsTheFirstReport) {
  absl::StatusOr<v1::ImportReport> first = Import(MakeCsv(ThreeMembers()), kVillage, Secretary(kVillage), false, "r-1");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::ImportReport> retry = Import(MakeCsv(ThreeMembers()), kVillage, Secretary(kVillage), false, "r-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->created(), 3);  // the first import's report, not "3 unchanged"
  EXPECT_TRUE(retry->committed());
  EXPECT_EQ(Members(), 3);
  Rows other = ThreeMembers();
  other[1][5] = "13700137000";
  EXPECT_EQ(Import(MakeCsv(other), kVillage, Secretary(kVillage), false, "r-1").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(PgMemberImportTest, Gb18030CsvAndXlsxImportLikeUtf8) {
  absl::StatusOr<std::string> gb = ToGb18030(MakeCsv(ThreeMembers()));
  ASSERT_TRUE(gb.ok());
  absl::StatusOr<v1::ImportReport> report = Import(*gb);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->detected_encoding(), "GB18030");
  EXPECT_EQ(report->created(), 3);

  // The same people from XLSX, dates as Excel date cells and a phone as a
  // number cell: nothing changes.
  std::vector<std::vector<XlsxValue>> xlsx = {
      {std::string("姓名"), std::string("性别"), std::string("出生年月"), std::string("入党时间"),
       std::string("联系电话"), std::string("是否组长")},
      {std::string("张三"), std::string("男"), absl::CivilDay(1975, 3, 1), absl::CivilDay(2001, 7, 1), 13800138000.0,
       std::string("是")},
      {std::string("李四"), std::string("女"), 1980.11, std::string("2005年6月"), std::string("023-79223456"),
       std::string("否")}};
  absl::StatusOr<std::string> bytes = MakeXlsx(xlsx);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  report = Import(*bytes);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->detected_encoding(), "XLSX");
  EXPECT_THAT(report->problems(), IsEmpty());
  EXPECT_EQ(report->unchanged(), 2);
  EXPECT_EQ(Members(), 3);
}

TEST_F(PgMemberImportTest, UnreadableFileIsInvalidArgument) {
  EXPECT_EQ(Import("\xFF\xFE\x00\x41").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Import("").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gridserve::membership
