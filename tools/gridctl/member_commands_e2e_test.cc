// The real gridctl binary against the whole suite (devstack::Stack) for the
// membership commands of issue 4 (deliverable 8): the member register, the
// roster import with its progress and row report, duties (R2), commitments
// (R3) with the attachment-1 form, and the reports.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/gridctl/gridctl_e2e_fixture.h"

namespace gridserve::gridctl {
namespace {

namespace mv1 = ::gridserve::membership::v1;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kDistrict[] = "500114000000";
constexpr char kTown[] = "500114101000";
constexpr char kVillage[] = "500114101201";
constexpr char kOtherVillage[] = "500114101202";

int Lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

// The value of a "key:  value" line of gridctl's record output.
std::string ValueOf(const std::string& out, const std::string& key) {
  std::smatch match;
  if (!std::regex_search(out, match, std::regex("(^|\n)" + key + ": +([^\n]*)"))) return "";
  return match[2];
}

class MemberCommandsE2eTest : public GridctlStackTest {
 protected:
  // The stack starts empty: the district, a town and two villages first.
  static void SetUpTestSuite() {
    StartStack("gridctl-member-e2e", /*gateway_tls=*/false);
    if (stack_ == nullptr) return;
    auto organizations = mv1::OrganizationService::NewStub(
        grpc::CreateChannel(stack_->address("gateway"), grpc::InsecureChannelCredentials()));
    for (const auto& [code, kind, name] :
         {std::tuple{kDistrict, mv1::ORGANIZATION_KIND_DISTRICT, "黔江区"},
          std::tuple{kTown, mv1::ORGANIZATION_KIND_TOWN, "邻鄂镇"},
          std::tuple{kVillage, mv1::ORGANIZATION_KIND_VILLAGE, "一村"},
          std::tuple{kOtherVillage, mv1::ORGANIZATION_KIND_VILLAGE, "二村"}}) {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      context.AddMetadata("authorization", "Bearer " + stack_->AdminToken());
      mv1::CreateOrganizationRequest request;
      request.mutable_organization()->set_code(code);
      request.mutable_organization()->set_kind(kind);
      request.mutable_organization()->set_display_name(name);
      mv1::CreateOrganizationResponse response;
      grpc::Status status = organizations->CreateOrganization(&context, request, &response);
      // The district may already be there (the stack may seed it).
      ASSERT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::ALREADY_EXISTS)
          << code << ": " << status.error_message();
    }
  }
  static void TearDownTestSuite() { StopStack(); }

  void SetUp() override { ASSERT_NE(stack_, nullptr); }

  Result AsAdmin(const std::vector<std::string>& args) { return Run(args, {{"GRIDSERVE_TOKEN", stack_->AdminToken()}}); }

  // Registers a member in kVillage and returns its id.
  std::string CreateMember(const std::string& name, const std::string& phone) {
    Result created = AsAdmin({"member", "create", absl::StrCat("--branch=", kVillage), "--name=" + name,
                              "--gender=female", "--birth-month=1980-05", "--joined=2005-07-01", "--phone=" + phone});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    std::string id = ValueOf(created.out, "member id");
    EXPECT_FALSE(id.empty()) << created.out;
    return id;
  }

  std::string WriteFile(const std::string& name, const std::string& content) {
    std::string path = home_.path() + "/" + name;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    return path;
  }
};

TEST_F(MemberCommandsE2eTest, MemberLifecycleCreateListUpdateTransferEndHistory) {
  const std::vector<std::string> create = {"member",       "create",  absl::StrCat("--branch=", kVillage),
                                           "--name=王小明", "--gender=男", "--birth-month=1980-05",
                                           "--joined=2005-07-01", "--phone=13800138001", "--group-head",
                                           "--request-id=e2e-member-create-1"};
  Result created = AsAdmin(create);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string id = ValueOf(created.out, "member id");
  ASSERT_FALSE(id.empty()) << created.out;
  EXPECT_EQ(ValueOf(created.out, "name"), "王小明");
  EXPECT_EQ(ValueOf(created.out, "group head"), "yes");
  EXPECT_THAT(created.out, HasSubstr("request id:"));
  EXPECT_THAT(created.out, HasSubstr("e2e-member-create-1"));
  // The same command line again (same request id): the same record, not a second one.
  Result repeated = AsAdmin(create);
  ASSERT_EQ(repeated.exit_code, 0) << repeated.err;
  EXPECT_EQ(ValueOf(repeated.out, "member id"), id);
  // Without --request-id one is generated and printed.
  std::string other = CreateMember("王小红", "13800138002");
  Result got_other = AsAdmin({"member", "get", "members/" + other});
  EXPECT_EQ(got_other.exit_code, 0) << got_other.err;

  // A field violation from the server is one line naming the field.
  Result bad = AsAdmin({"member", "create", absl::StrCat("--branch=", kVillage), "--name=坏号码", "--gender=male",
                        "--birth-month=1980-05", "--joined=2005-07-01", "--phone=12345"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, StartsWith("gridctl: invalid request: "));
  EXPECT_THAT(bad.err, HasSubstr("phone"));
  EXPECT_EQ(Lines(bad.err), 1) << bad.err;
  Result usage = AsAdmin({"member", "create", "--name=缺字段"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.err, HasSubstr("--branch and --gender and --birth-month and --joined"));

  Result got = AsAdmin({"member", "get", "members/" + id});
  EXPECT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(ValueOf(got.out, "branch"), kVillage);
  EXPECT_EQ(ValueOf(got.out, "gender"), "male");

  // One member per page, following next_page_token to the end.
  Result listed = AsAdmin({"member", "list", absl::StrCat("--org=", kTown), "--name-prefix=王小", "--page-size=1", "--all"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr(id));
  EXPECT_THAT(listed.out, HasSubstr(other));
  EXPECT_THAT(listed.out, Not(HasSubstr("--page-token")));
  Result one_page = AsAdmin({"member", "list", absl::StrCat("--org=", kTown), "--name-prefix=王小", "--page-size=1"});
  EXPECT_EQ(one_page.exit_code, 0) << one_page.err;
  EXPECT_THAT(one_page.out, HasSubstr("More members: repeat with --page-token="));
  Result by_year = AsAdmin({"member", "list", absl::StrCat("--org=", kTown), "--joined-year=1999", "--json"});
  EXPECT_EQ(by_year.exit_code, 0) << by_year.err;
  EXPECT_THAT(by_year.out, Not(HasSubstr(id)));

  Result updated = AsAdmin({"member", "update", id, "--notes=搬到二组", "--group-head=false"});
  EXPECT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_EQ(ValueOf(updated.out, "notes"), "搬到二组");
  EXPECT_EQ(ValueOf(updated.out, "group head"), "no");
  Result nothing = AsAdmin({"member", "update", id});
  EXPECT_EQ(nothing.exit_code, 2);

  Result moved = AsAdmin({"member", "transfer", id, absl::StrCat("--to=", kOtherVillage), "--reason=搬迁"});
  EXPECT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_EQ(ValueOf(moved.out, "branch"), kOtherVillage);

  Result bad_reason = AsAdmin({"member", "end", id, "--reason=moved"});
  EXPECT_EQ(bad_reason.exit_code, 2);
  EXPECT_THAT(bad_reason.err, HasSubstr("transferred-out, deceased, withdrawn, expelled or other"));
  Result ended = AsAdmin({"member", "end", id, "--reason=deceased"});
  EXPECT_EQ(ended.exit_code, 0) << ended.err;
  EXPECT_EQ(ValueOf(ended.out, "status"), "ended");
  EXPECT_THAT(ValueOf(ended.out, "ended"), HasSubstr("deceased"));

  Result history = AsAdmin({"member", "history", id});
  EXPECT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, HasSubstr("registered"));
  EXPECT_THAT(history.out, ContainsRegex(absl::StrCat("transferred +", kVillage, " +", kOtherVillage)));
  EXPECT_THAT(history.out, HasSubstr("ended"));

  Result ended_list = AsAdmin({"member", "list", absl::StrCat("--org=", kTown), "--status=ended", "--json"});
  EXPECT_EQ(ended_list.exit_code, 0) << ended_list.err;
  nlohmann::json json = nlohmann::json::parse(ended_list.out);
  ASSERT_TRUE(json.contains("members")) << ended_list.out;
  EXPECT_EQ(json["members"][0].value("memberId", ""), id);
  EXPECT_EQ(json["members"][0].value("status", ""), "MEMBER_STATUS_ENDED");
}

constexpr char kRoster[] =
    "序号,姓名,性别,出生年月,入党时间,联系电话\n"
    "1,赵一,男,1975-03,2001-07-01,13800138011\n"
    "2,钱二,女,1982年5月,2008-06,13800138012\n"
    "3,孙三,男,1990-11,2015-07-01,023-79223456\n";

TEST_F(MemberCommandsE2eTest, ImportShowsProgressThenTheReportAndIsRepeatable) {
  std::string roster = WriteFile("roster.csv", kRoster);
  const std::vector<std::string> import = {"member", "import", roster, absl::StrCat("--org=", kVillage)};
  Result first = AsAdmin(import);
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  // stderr is no terminal here: one plain line per phase.
  EXPECT_EQ(first.err,
            absl::StrCat("import: sending roster.csv (", sizeof(kRoster) - 1,
                         " bytes)\nimport: validating 3 rows\nimport: matching and writing 3 rows\n"));
  EXPECT_THAT(first.out, StartsWith("Imported roster.csv (UTF-8): 3 rows.\n"));
  EXPECT_THAT(first.out, ContainsRegex("\ncreated: +3\n"));
  EXPECT_THAT(first.out, ContainsRegex("\nrows with problems: +0\n"));
  EXPECT_THAT(first.out, ContainsRegex("\nrequest id: +gridctl-"));

  // The same file again: the same people, nothing new.
  Result second = AsAdmin(import);
  ASSERT_EQ(second.exit_code, 0) << second.err << second.out;
  EXPECT_THAT(second.out, ContainsRegex("\ncreated: +0\n"));
  EXPECT_THAT(second.out, ContainsRegex("\nunchanged: +3\n"));
  Result listed = AsAdmin({"member", "list", absl::StrCat("--org=", kVillage), "--name-prefix=赵一", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(nlohmann::json::parse(listed.out)["members"].size(), 1u) << listed.out;

  // JSON: the report as protobuf JSON on stdout, progress still on stderr.
  Result json = AsAdmin({"member", "import", roster, absl::StrCat("--org=", kVillage), "--dry-run", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json report = nlohmann::json::parse(json.out);
  EXPECT_EQ(report.value("unchanged", 0), 3);
  EXPECT_TRUE(report.value("dryRun", false));
}

TEST_F(MemberCommandsE2eTest, ImportWithABadRowWritesNothingAndExitsOne) {
  std::string bad = WriteFile("有错.csv",
                              "姓名,性别,出生年月,入党时间,联系电话\n"
                              "周五,男,1970-01,1995-07-01,13800138021\n"
                              "郑六,女,1985-02,2010-07-01,12345\n");
  Result result = AsAdmin({"member", "import", bad, absl::StrCat("--org=", kVillage)});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("有错.csv (UTF-8): 1 of 2 rows have problems; nothing was written."));
  // The problem row as the spreadsheet numbers it (header = row 1).
  EXPECT_THAT(result.out, ContainsRegex("\n3 +联系电话 +phone +[^\n]+\n"));
  EXPECT_THAT(result.err, HasSubstr("import: validating 2 rows\n"));
  EXPECT_THAT(result.err, HasSubstr("gridctl: 1 of 2 rows have problems (listed above); nothing was imported"));
  // All or nothing: the valid row was not written either.
  Result listed = AsAdmin({"member", "list", absl::StrCat("--org=", kVillage), "--name-prefix=周五"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out, "No members match.\n");

  // A dry run with problems fails the same way (a script can check a file first).
  Result dry = AsAdmin({"member", "import", bad, absl::StrCat("--org=", kVillage), "--dry-run"});
  EXPECT_EQ(dry.exit_code, 1);
  EXPECT_THAT(dry.out, StartsWith("Dry run of 有错.csv"));

  Result missing = AsAdmin({"member", "import", home_.path() + "/no-such.csv", absl::StrCat("--org=", kVillage)});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, StartsWith("gridctl: cannot read "));
}

TEST_F(MemberCommandsE2eTest, CleanDryRunReportsWithoutWriting) {
  std::string file = WriteFile("dry.csv",
                               "姓名,性别,出生年月,入党时间,联系电话\n"
                               "吴七,男,1971-04,1996-07-01,13800138031\n");
  Result dry = AsAdmin({"member", "import", file, absl::StrCat("--org=", kVillage), "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err << dry.out;
  EXPECT_THAT(dry.out, StartsWith("Dry run of dry.csv (UTF-8): all 1 rows are valid; nothing was written.\n"));
  EXPECT_THAT(dry.out, ContainsRegex("\nwould create: +1\n"));
  EXPECT_THAT(dry.err, HasSubstr("import: matching 1 rows with the register (dry run: nothing is written)\n"));
  EXPECT_THAT(dry.err, Not(HasSubstr("writing 1 rows")));
  Result listed = AsAdmin({"member", "list", absl::StrCat("--org=", kVillage), "--name-prefix=吴七"});
  EXPECT_EQ(listed.out, "No members match.\n");
}

TEST_F(MemberCommandsE2eTest, DutiesCommitmentsFormAndReports) {
  std::string member = CreateMember("李四", "13800138041");
  std::string idle = CreateMember("李闲", "13800138042");
  ASSERT_FALSE(member.empty());

  // Duty areas: the standard list, then the town's own list with one more area.
  Result areas = AsAdmin({"duty", "areas", absl::StrCat("--town=", kTown), "--json"});
  ASSERT_EQ(areas.exit_code, 0) << areas.err;
  std::vector<std::string> set_areas = {"duty", "set-areas", absl::StrCat("--town=", kTown)};
  const nlohmann::json standard = nlohmann::json::parse(areas.out);
  for (const auto& area : standard["areas"]) {
    set_areas.push_back(absl::StrCat("--area=", area.value("code", ""), ":", area.value("displayName", "")));
  }
  ASSERT_GE(set_areas.size(), 7u) << areas.out;  // the four standard areas
  set_areas.push_back("--area=SAFETY:安全生产监督");
  Result configured = AsAdmin(set_areas);
  ASSERT_EQ(configured.exit_code, 0) << configured.err;
  EXPECT_THAT(configured.out, ContainsRegex("SAFETY +安全生产监督"));
  Result shown = AsAdmin({"duty", "areas", absl::StrCat("--town=", kTown)});
  EXPECT_THAT(shown.out, HasSubstr("安全生产监督"));
  EXPECT_THAT(shown.out, Not(HasSubstr("standard list")));

  Result set = AsAdmin({"duty", "set", member, "--year=2026", "--area=SAFETY", "--area=POLICY_PUBLICITY",
                        "--text=每月巡查一次"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_THAT(ValueOf(set.out, "areas"), HasSubstr("SAFETY (安全生产监督)"));
  EXPECT_THAT(ValueOf(set.out, "areas"), HasSubstr("POLICY_PUBLICITY"));
  Result got = AsAdmin({"duty", "get", member, "--year=2026"});
  EXPECT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(ValueOf(got.out, "duties in own words"), "每月巡查一次");
  Result none = AsAdmin({"duty", "get", idle, "--year=2026"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_THAT(none.err, StartsWith("gridctl: not found"));
  Result duty_list = AsAdmin({"duty", "list", absl::StrCat("--org=", kVillage), "--year=2026"});
  EXPECT_EQ(duty_list.exit_code, 0) << duty_list.err;
  EXPECT_THAT(duty_list.out, ContainsRegex(member + " +李四"));

  // R3 (clause 二(一)3): one or two commitments a year; a third is refused.
  auto add = [&](const std::string& target) {
    return AsAdmin({"commitment", "add", member, "--year=2026", "--target=" + target, "--measures=每月走访",
                    "--due=2026-12-31", "--json"});
  };
  Result first = add("帮助3户发展产业");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::string first_id = nlohmann::json::parse(first.out).value("commitmentId", "");
  Result second = add("调解邻里纠纷");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  std::string second_id = nlohmann::json::parse(second.out).value("commitmentId", "");
  Result third = add("第三件");
  EXPECT_EQ(third.exit_code, 1);
  EXPECT_THAT(third.err, StartsWith("gridctl: not possible now: "));
  EXPECT_THAT(third.err, HasSubstr("already has 2 commitments for 2026"));
  EXPECT_THAT(third.err, HasSubstr("rule R3"));
  EXPECT_EQ(Lines(third.err), 1) << third.err;

  Result listed = AsAdmin({"commitment", "list", "--member=members/" + member, "--year=2026"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr(first_id));
  EXPECT_THAT(listed.out, HasSubstr(second_id));
  EXPECT_EQ(AsAdmin({"commitment", "list", "--member=" + member, absl::StrCat("--org=", kVillage), "--year=2026"})
                .exit_code,
            2);

  // Attachment 1, every field under the seed form's label.
  Result form = AsAdmin({"commitment", "form", member, "--year=2026"});
  ASSERT_EQ(form.exit_code, 0) << form.err;
  EXPECT_THAT(form.out, StartsWith("党员承诺践诺书（2026年度）\n"));
  for (const char* label : {"姓名：", "性别：", "出生年月：", "入党时间：", "联系电话：", "所在党支部（网格）：",
                            "联系的群众：", "服务承诺：", "签名日期："}) {
    EXPECT_THAT(form.out, HasSubstr(label)) << form.out;
  }
  EXPECT_THAT(form.out, ContainsRegex("姓名： +李四\n"));
  EXPECT_THAT(form.out, ContainsRegex("性别： +女\n"));
  EXPECT_THAT(form.out, ContainsRegex("出生年月： +1980-05\n"));
  EXPECT_THAT(form.out, HasSubstr(kVillage));
  EXPECT_THAT(form.out, HasSubstr("1.  目标任务： 帮助3户发展产业"));
  EXPECT_THAT(form.out, HasSubstr("2.  目标任务： 调解邻里纠纷"));

  // 践诺: status and evidence; withdrawing works only while pledged.
  Result updated = AsAdmin({"commitment", "update", first_id, "--status=in-progress", "--evidence=activities/e2e-1"});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_EQ(ValueOf(updated.out, "status"), "in-progress");
  EXPECT_EQ(ValueOf(updated.out, "evidence"), "activities/e2e-1");
  Result refused = AsAdmin({"commitment", "delete", first_id});
  EXPECT_EQ(refused.exit_code, 1);
  Result deleted = AsAdmin({"commitment", "delete", "commitments/" + second_id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_THAT(deleted.out, HasSubstr("withdrawn"));
  Result remaining = AsAdmin({"commitment", "get", first_id});
  EXPECT_EQ(remaining.exit_code, 0) << remaining.err;
  EXPECT_EQ(ValueOf(remaining.out, "target"), "帮助3户发展产业");
  EXPECT_EQ(AsAdmin({"commitment", "get", second_id}).exit_code, 1);

  // Reports: the member without duties or commitments is listed; the one with both is not.
  Result missing = AsAdmin({"report", "missing-pledges", absl::StrCat("--org=", kVillage), "--year=2026", "--all"});
  EXPECT_EQ(missing.exit_code, 0) << missing.err;
  EXPECT_THAT(missing.out, ContainsRegex(idle + " +李闲 +" + kVillage + " +一村 +duties, commitments"));
  EXPECT_THAT(missing.out, Not(HasSubstr(member)));
  Result counts = AsAdmin({"report", "branch-counts", absl::StrCat("--org=", kTown), "--year=2026", "--json"});
  EXPECT_EQ(counts.exit_code, 0) << counts.err;
  bool village_counted = false;
  const nlohmann::json branches = nlohmann::json::parse(counts.out);
  for (const auto& branch : branches["branches"]) {
    if (branch.value("branchCode", "") != kVillage) continue;
    village_counted = true;
    EXPECT_GE(branch.value("withDuties", 0), 1);
    EXPECT_GE(branch.value("withCommitments", 0), 1);
    EXPECT_GE(branch.value("missingPledges", 0), 1);
  }
  EXPECT_TRUE(village_counted) << counts.out;
  Result table = AsAdmin({"report", "branch-counts", absl::StrCat("--org=", kTown), "--year=2026"});
  EXPECT_THAT(table.out, ContainsRegex(absl::StrCat(kVillage, " +一村")));
}

// A village secretary of another village sees none of this one (org scope),
// and gridctl says so in one line.
TEST_F(MemberCommandsE2eTest, OrgScopeRefusalIsOneLine) {
  std::string member = CreateMember("范围外", "13800138051");
  std::string token = stack_->MintToken("users/e2e-secretary", {{"VILLAGE_SECRETARY", kOtherVillage}});
  Result result = Run({"member", "get", member}, {{"GRIDSERVE_TOKEN", token}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, ::testing::AnyOf(StartsWith("gridctl: permission denied"), StartsWith("gridctl: not found")));
  EXPECT_EQ(Lines(result.err), 1) << result.err;
}

}  // namespace
}  // namespace gridserve::gridctl
