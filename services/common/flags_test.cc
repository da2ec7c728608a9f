#include "common/flags.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// DESIGN.md §5 Config: flags with environment overrides; no hard-coded addresses.
class FlagsTest : public ::testing::Test {
 protected:
  FlagsTest() {
    flags_.Define("listen", "127.0.0.1:50061", "host:port to serve gRPC on")
        .Define("pool_size", "8", "maximum database connections")
        .Define("peers", "", "peer services as name=host:port");
  }

  absl::Status Parse(std::vector<const char*> args) {
    args.insert(args.begin(), "gridserve-test");
    return flags_.Parse(static_cast<int>(args.size()), args.data(), [this](const std::string& name) {
      auto it = env_.find(name);
      return it == env_.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
  }

  Flags flags_;
  std::map<std::string, std::string> env_;
};

TEST_F(FlagsTest, DefaultsWithoutArguments) {
  ASSERT_TRUE(Parse({}).ok());
  EXPECT_EQ(flags_.Get("listen"), "127.0.0.1:50061");
  EXPECT_EQ(flags_.Get("pool_size"), "8");
  EXPECT_EQ(flags_.Get("peers"), "");
}

TEST_F(FlagsTest, FlagValueReplacesDefault) {
  ASSERT_TRUE(Parse({"--listen=0.0.0.0:9000", "--pool_size=3"}).ok());
  EXPECT_EQ(flags_.Get("listen"), "0.0.0.0:9000");
  EXPECT_EQ(flags_.Get("pool_size"), "3");
}

TEST_F(FlagsTest, ValueMayContainEqualsSignsOrBeEmpty) {
  ASSERT_TRUE(Parse({"--peers=grid=127.0.0.1:1", "--listen="}).ok());
  EXPECT_EQ(flags_.Get("peers"), "grid=127.0.0.1:1");
  EXPECT_EQ(flags_.Get("listen"), "");
}

TEST_F(FlagsTest, EnvironmentWinsOverFlag) {
  env_["GRIDSERVE_LISTEN"] = "10.0.0.1:7000";
  ASSERT_TRUE(Parse({"--listen=0.0.0.0:9000"}).ok());
  EXPECT_EQ(flags_.Get("listen"), "10.0.0.1:7000");
}

TEST_F(FlagsTest, EnvironmentOverridesDefaultAndLeavesOthersAlone) {
  env_["GRIDSERVE_POOL_SIZE"] = "16";
  env_["GRIDSERVE_UNRELATED"] = "x";
  ASSERT_TRUE(Parse({}).ok());
  EXPECT_EQ(flags_.Get("pool_size"), "16");
  EXPECT_EQ(flags_.Get("listen"), "127.0.0.1:50061");
}

TEST_F(FlagsTest, EnvNameIsUpperCaseWithPrefix) { EXPECT_EQ(Flags::EnvName("database_url"), "GRIDSERVE_DATABASE_URL"); }

TEST_F(FlagsTest, UnknownFlagIsInvalidArgumentNamingIt) {
  absl::Status status = Parse({"--listen=x:1", "--pool_sise=3"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("--pool_sise"));
}

TEST_F(FlagsTest, MissingValueIsInvalidArgumentNamingTheFlag) {
  absl::Status status = Parse({"--pool_size"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("--pool_size"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("needs a value"));
}

TEST_F(FlagsTest, NonFlagArgumentIsInvalidArgumentNamingIt) {
  for (const char* arg : {"listen=1", "-listen=1", "stray"}) {
    absl::Status status = Parse({arg});
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << arg;
    EXPECT_THAT(std::string(status.message()), HasSubstr(arg));
  }
}

TEST_F(FlagsTest, GetIntWithinRange) {
  ASSERT_TRUE(Parse({"--pool_size=256"}).ok());
  absl::StatusOr<int> value = flags_.GetInt("pool_size", 1, 256);
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, 256);
}

TEST_F(FlagsTest, GetIntOutOfRangeOrNotANumberNamesFlagAndRange) {
  for (const char* arg : {"--pool_size=0", "--pool_size=257", "--pool_size=-3", "--pool_size=eight", "--pool_size=8.5",
                          "--pool_size=", "--pool_size=99999999999999"}) {
    ASSERT_TRUE(Parse({arg}).ok()) << arg;
    absl::StatusOr<int> value = flags_.GetInt("pool_size", 1, 256);
    EXPECT_EQ(value.status().code(), absl::StatusCode::kInvalidArgument) << arg;
    EXPECT_THAT(std::string(value.status().message()), HasSubstr("--pool_size")) << arg;
    EXPECT_THAT(std::string(value.status().message()), HasSubstr("from 1 to 256")) << arg;
  }
}

TEST_F(FlagsTest, GetMapParsesEntries) {
  ASSERT_TRUE(Parse({"--peers=grid=127.0.0.1:50062,activity=host:50063"}).ok());
  auto peers = flags_.GetMap("peers");
  ASSERT_TRUE(peers.ok()) << peers.status();
  EXPECT_THAT(*peers, UnorderedElementsAre(Pair("grid", "127.0.0.1:50062"), Pair("activity", "host:50063")));
}

TEST_F(FlagsTest, GetMapOfEmptyValueIsEmpty) {
  ASSERT_TRUE(Parse({}).ok());
  auto peers = flags_.GetMap("peers");
  ASSERT_TRUE(peers.ok()) << peers.status();
  EXPECT_TRUE(peers->empty());
}

TEST_F(FlagsTest, GetMapMalformedEntryIsInvalidArgumentNamingIt) {
  for (const char* arg : {"--peers=grid", "--peers=grid=", "--peers==host:1", "--peers=a=h:1,broken"}) {
    ASSERT_TRUE(Parse({arg}).ok()) << arg;
    auto peers = flags_.GetMap("peers");
    EXPECT_EQ(peers.status().code(), absl::StatusCode::kInvalidArgument) << arg;
    EXPECT_THAT(std::string(peers.status().message()), HasSubstr("--peers")) << arg;
  }
}

TEST_F(FlagsTest, UsageListsFlagsWithEnvNamesAndDefaults) {
  std::string usage = flags_.Usage("gridserve-membership");
  EXPECT_THAT(usage, HasSubstr("--pool_size"));
  EXPECT_THAT(usage, HasSubstr("GRIDSERVE_POOL_SIZE"));
  EXPECT_THAT(usage, HasSubstr("'127.0.0.1:50061'"));
}

}  // namespace
}  // namespace gridserve
