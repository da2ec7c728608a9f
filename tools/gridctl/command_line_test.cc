#include "tools/gridctl/command_line.h"

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/gridctl/commands.h"

namespace gridserve::gridctl {
namespace {

using ::testing::HasSubstr;

class CommandLineTest : public ::testing::Test {
 protected:
  absl::StatusOr<CommandLine> Parse(std::vector<std::string> args) { return ParseCommandLine(args, commands_.specs()); }
  CommandSet commands_ = AllCommands();
};

TEST_F(CommandLineTest, GlobalFlagsWorkBeforeAndAfterTheCommand) {
  absl::StatusOr<CommandLine> line = Parse({"--server=gw:50051", "whoami", "--json", "--timeout", "2s"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command->path, "whoami");
  EXPECT_EQ(line->global.server, "gw:50051");
  EXPECT_EQ(line->global.timeout, absl::Seconds(2));
  EXPECT_TRUE(line->global.json);
  EXPECT_TRUE(line->arguments.empty());
}

TEST_F(CommandLineTest, DefaultsWhenNoGlobalFlags) {
  absl::StatusOr<CommandLine> line = Parse({"logout"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->global.server, "");
  EXPECT_EQ(line->global.timeout, absl::Seconds(10));
  EXPECT_FALSE(line->global.json);
}

TEST_F(CommandLineTest, TwoWordCommandWithFlagsInBothForms) {
  absl::StatusOr<CommandLine> line =
      Parse({"user", "create", "zhangsan", "--display-name", "张三", "--org=500114101000", "--password-stdin"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command->path, "user create");
  EXPECT_THAT(line->arguments, ::testing::ElementsAre("zhangsan"));
  EXPECT_EQ(line->Flag("display-name"), "张三");
  EXPECT_EQ(line->Flag("org"), "500114101000");
  EXPECT_TRUE(line->Has("password-stdin"));
  EXPECT_FALSE(line->Has("phone"));
}

TEST_F(CommandLineTest, RepeatableFlagKeepsEveryValueInOrder) {
  absl::StatusOr<CommandLine> line = Parse({"duty", "set-areas", "--town=500114101000", "--area=A:甲", "--area",
                                            "B:乙", "--retire=A", "--area=C:丙"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_THAT(line->Values("area"), ::testing::ElementsAre("A:甲", "B:乙", "C:丙"));
  EXPECT_THAT(line->Values("retire"), ::testing::ElementsAre("A"));
  EXPECT_TRUE(line->Has("area"));
  // A flag that is not repeatable: its one value; a flag not given: none.
  EXPECT_THAT(line->Values("town"), ::testing::ElementsAre("500114101000"));
  EXPECT_TRUE(line->Values("json").empty());

  // Not repeatable: the last value wins, as before.
  line = Parse({"member", "list", "--org=500114101000", "--org=500114101201"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->Flag("org"), "500114101201");
  EXPECT_TRUE(line->repeated_flags.empty());

  // An empty value is kept (commitment update --evidence= clears the list).
  line = Parse({"commitment", "update", "c-1", "--evidence="});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_THAT(line->Values("evidence"), ::testing::ElementsAre(""));
}

TEST_F(CommandLineTest, UsageSaysWhichFlagsRepeat) {
  std::string usage = Usage(commands_.specs(), {"duty", "set-areas"});
  EXPECT_THAT(usage, ::testing::ContainsRegex("--area=CODE:名称 +one area [^\n]*\\(repeat the flag for more\\)"));
  EXPECT_THAT(usage, ::testing::Not(::testing::ContainsRegex("--town=CODE[^\n]*repeat")));
}

TEST_F(CommandLineTest, DoubleDashEndsFlags) {
  absl::StatusOr<CommandLine> line = Parse({"user", "get", "--", "--odd-id"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_THAT(line->arguments, ::testing::ElementsAre("--odd-id"));
}

TEST_F(CommandLineTest, UsageErrorsAreMarkedAndSayWhatToDo) {
  struct Case {
    std::vector<std::string> args;
    std::string message_part;
  };
  for (const Case& c : std::vector<Case>{
           {{}, "no command given"},
           {{"frobnicate"}, "unknown command \"frobnicate\""},
           {{"user", "frobnicate"}, "unknown command \"user frobnicate\""},
           {{"user"}, "needs one of: create, get, list, update, set-password, grant, revoke"},
           {{"whoami", "--org=1"}, "unknown flag --org for `gridctl whoami`: see `gridctl whoami --help`"},
           {{"--org=1", "user", "list"}, "command flags go after the command words"},
           {{"user", "list", "--org"}, "--org needs a value: --org=CODE"},
           {{"login"}, "takes LOGIN_NAME (got 0 arguments)"},
           {{"login", "a", "b"}, "takes LOGIN_NAME (got 2 arguments)"},
           {{"whoami", "extra"}, "takes no arguments"},
           {{"whoami", "--timeout=soon"}, "--timeout must be a positive duration"},
           {{"whoami", "--timeout=0s"}, "--timeout must be a positive duration"},
           {{"whoami", "--server=nohostport"}, "--server must be HOST:PORT"},
           {{"whoami", "--json=yes"}, "--json is a switch"},
           {{"whoami", "-x"}, "unknown flag -x"},
       }) {
    absl::StatusOr<CommandLine> line = Parse(c.args);
    ASSERT_FALSE(line.ok()) << absl::StrJoin(c.args, " ");
    EXPECT_TRUE(IsUsageError(line.status())) << line.status();
    EXPECT_THAT(std::string(line.status().message()), HasSubstr(c.message_part)) << absl::StrJoin(c.args, " ");
  }
}

TEST_F(CommandLineTest, HelpInAllItsForms) {
  for (const auto& [args, topic] : std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>>{
           {{"help"}, {}},
           {{"--help"}, {}},
           {{"-h"}, {}},
           {{"help", "user"}, {"user"}},
           {{"help", "user", "create"}, {"user", "create"}},
           {{"user", "--help"}, {"user"}},
           {{"user", "create", "--help"}, {"user", "create"}},
           {{"login", "-h"}, {"login"}},
       }) {
    absl::StatusOr<CommandLine> line = Parse(args);
    ASSERT_TRUE(line.ok()) << line.status();
    EXPECT_TRUE(line->help);
    EXPECT_EQ(line->help_topic, topic) << absl::StrJoin(args, " ");
  }
}

TEST_F(CommandLineTest, UsageListsCommandsAndFlags) {
  std::string overview = Usage(commands_.specs(), {});
  for (const CommandSpec& spec : commands_.specs()) EXPECT_THAT(overview, HasSubstr(spec.path));
  EXPECT_THAT(overview, HasSubstr("GRIDSERVE_TOKEN"));
  EXPECT_THAT(overview, HasSubstr("exit codes: 0 ok, 1 the call failed, 2 usage error"));

  std::string create = Usage(commands_.specs(), {"user", "create"});
  EXPECT_THAT(create, HasSubstr("usage: gridctl user create [flags] LOGIN_NAME"));
  EXPECT_THAT(create, HasSubstr("--display-name=NAME"));
  EXPECT_THAT(create, HasSubstr("--server=HOST:PORT"));

  std::string group = Usage(commands_.specs(), {"audit"});
  EXPECT_THAT(group, HasSubstr("audit verify"));
  EXPECT_THAT(group, ::testing::Not(HasSubstr("user create")));
}

TEST(ResolveServerTest, FlagThenEnvironmentThenSavedThenDefault) {
  GlobalOptions with_flag{.server = "flag:1"};
  GlobalOptions without_flag;
  EXPECT_EQ(ResolveServer(with_flag, "env:2", "saved:3"), "flag:1");
  EXPECT_EQ(ResolveServer(without_flag, "env:2", "saved:3"), "env:2");
  EXPECT_EQ(ResolveServer(without_flag, std::nullopt, "saved:3"), "saved:3");
  EXPECT_EQ(ResolveServer(without_flag, "", std::nullopt), "127.0.0.1:50051");
}

TEST_F(CommandLineTest, IntFlagChecksRange) {
  absl::StatusOr<CommandLine> line = Parse({"user", "list", "--page-size=50"});
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(*IntFlag(*line, "page-size", 0, 1, 1000), 50);
  EXPECT_EQ(*IntFlag(*line, "missing", 7, 1, 1000), 7);
  for (const char* bad : {"--page-size=0", "--page-size=1001", "--page-size=ten"}) {
    line = Parse({"user", "list", bad});
    ASSERT_TRUE(line.ok());
    absl::StatusOr<int> value = IntFlag(*line, "page-size", 0, 1, 1000);
    EXPECT_TRUE(IsUsageError(value.status())) << bad;
    EXPECT_THAT(std::string(value.status().message()), HasSubstr("from 1 to 1000")) << bad;
  }
}

TEST(ParseTimeFlagTest, AcceptsRfc3339LocalDatesAndDurationsAgo) {
  absl::TimeZone shanghai = absl::FixedTimeZone(8 * 3600);
  absl::Time now = absl::FromCivil(absl::CivilSecond(2024, 5, 2, 12, 0, 0), shanghai);
  EXPECT_EQ(*ParseTimeFlag("since", "2024-05-01T00:00:00+08:00", now, shanghai),
            absl::FromCivil(absl::CivilDay(2024, 5, 1), shanghai));
  EXPECT_EQ(*ParseTimeFlag("since", "2024-05-01", now, shanghai),
            absl::FromCivil(absl::CivilDay(2024, 5, 1), shanghai));
  EXPECT_EQ(*ParseTimeFlag("since", "2024-05-01 08:30", now, shanghai),
            absl::FromCivil(absl::CivilMinute(2024, 5, 1, 8, 30), shanghai));
  EXPECT_EQ(*ParseTimeFlag("since", "2h", now, shanghai), now - absl::Hours(2));
  absl::StatusOr<absl::Time> bad = ParseTimeFlag("until", "yesterday", now, shanghai);
  EXPECT_TRUE(IsUsageError(bad.status()));
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("--until must be a time"));
}

}  // namespace
}  // namespace gridserve::gridctl
