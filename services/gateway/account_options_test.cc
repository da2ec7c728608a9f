#include "gateway/account_options.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::gateway {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<AccountOptions> Parse(std::vector<std::string> args) {
  Flags flags;
  DefineAccountFlags(flags);
  args.insert(args.begin(), "gateway");
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  absl::Status parsed =
      flags.Parse(static_cast<int>(argv.size()), argv.data(), [](const std::string&) { return std::nullopt; });
  if (!parsed.ok()) return parsed;
  return AccountOptionsFromFlags(flags);
}

std::string WriteFile(const std::string& name, const std::string& contents) {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("gridserve_account_options_" + std::to_string(getpid()) + name);
  std::ofstream(path) << contents;
  return path.string();
}

TEST(AccountOptionsTest, Defaults) {
  auto options = Parse({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->sessions.lockout_failures, 5);
  EXPECT_EQ(options->sessions.lockout, absl::Minutes(15));
  EXPECT_EQ(options->sessions.access_token_ttl, absl::Minutes(15));
  EXPECT_EQ(options->sessions.refresh_token_ttl, absl::Hours(24 * 7));
  EXPECT_EQ(options->bootstrap_admin_login, "admin");
  EXPECT_EQ(options->bootstrap_admin_scope, "500114000000");
  EXPECT_EQ(options->bootstrap_admin_password, "");  // no file: no bootstrap
}

TEST(AccountOptionsTest, ReadsThePasswordFileWithoutTheNewline) {
  std::string file = WriteFile("ok", "a long enough password\n");
  auto options = Parse({"--bootstrap_admin_password_file=" + file, "--lockout_failures=3", "--lockout_minutes=1"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->bootstrap_admin_password, "a long enough password");
  EXPECT_EQ(options->sessions.lockout_failures, 3);
  EXPECT_EQ(options->sessions.lockout, absl::Minutes(1));
  std::filesystem::remove(file);
}

TEST(AccountOptionsTest, RefusesBadValuesNamingTheFlag) {
  EXPECT_THAT(Parse({"--lockout_failures=0"}).status().message(), HasSubstr("--lockout_failures=0"));
  EXPECT_THAT(Parse({"--access_token_minutes=abc"}).status().message(), HasSubstr("--access_token_minutes"));
  EXPECT_THAT(Parse({"--bootstrap_admin_password_file=/nonexistent/pw"}).status().message(),
              HasSubstr("cannot be read"));
  std::string short_file = WriteFile("short", "short\n");
  EXPECT_THAT(Parse({"--bootstrap_admin_password_file=" + short_file}).status().message(), HasSubstr("at least 10"));
  std::string good_file = WriteFile("good", "a long enough password\n");
  EXPECT_THAT(
      Parse({"--bootstrap_admin_password_file=" + good_file, "--bootstrap_admin_scope=5001"}).status().message(),
      HasSubstr("--bootstrap_admin_scope=5001"));
  EXPECT_THAT(Parse({"--bootstrap_admin_password_file=" + good_file, "--bootstrap_admin_login=a b"}).status().message(),
              HasSubstr("--bootstrap_admin_login=a b"));
  std::filesystem::remove(short_file);
  std::filesystem::remove(good_file);
}

}  // namespace
}  // namespace gridserve::gateway
