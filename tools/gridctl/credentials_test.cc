#include "tools/gridctl/credentials.h"

#include <sys/stat.h>

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/gridctl/test_dir.h"

namespace gridserve::gridctl {
namespace {

using ::testing::HasSubstr;

mode_t ModeOf(const std::string& path) {
  struct stat info;
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

Credentials Sample() {
  Credentials credentials;
  credentials.server = "127.0.0.1:50051";
  credentials.subject = "users/42";
  credentials.access_token = "v1.access.sig";
  credentials.access_token_expire_time = absl::FromUnixSeconds(1714550400);
  credentials.refresh_token = "refresh-secret";
  credentials.refresh_token_expire_time = absl::FromUnixSeconds(1715155200);
  return credentials;
}

TEST(CredentialsStoreTest, LocatesUnderXdgConfigHomeElseHome) {
  EXPECT_EQ(CredentialsStore::Locate("/xdg", "/home/u")->path(), "/xdg/gridserve/credentials.json");
  EXPECT_EQ(CredentialsStore::Locate(std::nullopt, "/home/u")->path(), "/home/u/.config/gridserve/credentials.json");
  // A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
  EXPECT_EQ(CredentialsStore::Locate("relative", "/home/u")->path(), "/home/u/.config/gridserve/credentials.json");
  absl::StatusOr<CredentialsStore> nowhere = CredentialsStore::Locate(std::nullopt, std::nullopt);
  ASSERT_FALSE(nowhere.ok());
  EXPECT_THAT(std::string(nowhere.status().message()), HasSubstr("set HOME or XDG_CONFIG_HOME"));
}

TEST(CredentialsStoreTest, SavedFileIsPrivateWhateverTheUmask) {
  TestDir dir;
  mode_t previous = umask(0);  // the most permissive umask: modes must still be 0700 / 0600
  CredentialsStore store = *CredentialsStore::Locate(dir.path() + "/config", std::nullopt);
  absl::Status saved = store.Save(Sample());
  umask(previous);
  ASSERT_TRUE(saved.ok()) << saved;
  EXPECT_EQ(ModeOf(dir.path() + "/config/gridserve"), 0700u);
  EXPECT_EQ(ModeOf(store.path()), 0600u);
}

TEST(CredentialsStoreTest, ExistingOpenDirectoryAndFileAreTightened) {
  TestDir dir;
  std::string directory = dir.path() + "/gridserve";
  ASSERT_EQ(mkdir(directory.c_str(), 0755), 0);
  CredentialsStore store = *CredentialsStore::Locate(dir.path(), std::nullopt);
  std::ofstream(store.path()) << "{}";
  ASSERT_EQ(chmod(store.path().c_str(), 0644), 0);
  ASSERT_TRUE(store.Save(Sample()).ok());
  EXPECT_EQ(ModeOf(directory), 0700u);
  EXPECT_EQ(ModeOf(store.path()), 0600u);
}

TEST(CredentialsStoreTest, RoundTripsEveryField) {
  TestDir dir;
  CredentialsStore store = *CredentialsStore::Locate(dir.path(), std::nullopt);
  ASSERT_TRUE(store.Save(Sample()).ok());
  absl::StatusOr<std::optional<Credentials>> loaded = store.Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_TRUE(loaded->has_value());
  const Credentials& c = **loaded;
  Credentials want = Sample();
  EXPECT_EQ(c.server, want.server);
  EXPECT_EQ(c.subject, want.subject);
  EXPECT_EQ(c.access_token, want.access_token);
  EXPECT_EQ(c.access_token_expire_time, want.access_token_expire_time);
  EXPECT_EQ(c.refresh_token, want.refresh_token);
  EXPECT_EQ(c.refresh_token_expire_time, want.refresh_token_expire_time);
}

TEST(CredentialsStoreTest, MissingFileIsNoSession) {
  TestDir dir;
  CredentialsStore store = *CredentialsStore::Locate(dir.path(), std::nullopt);
  absl::StatusOr<std::optional<Credentials>> loaded = store.Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_FALSE(loaded->has_value());
}

TEST(CredentialsStoreTest, DamagedFileNamesItselfAndTheRemedy) {
  TestDir dir;
  CredentialsStore store = *CredentialsStore::Locate(dir.path(), std::nullopt);
  ASSERT_TRUE(store.Save(Sample()).ok());
  for (const char* text :
       {"not json", "[]", R"({"server":"a:1","access_token":"t","access_token_expire_time":"soon"})"}) {
    std::ofstream(store.path(), std::ios::trunc) << text;
    absl::StatusOr<std::optional<Credentials>> loaded = store.Load();
    ASSERT_FALSE(loaded.ok()) << text;
    EXPECT_THAT(std::string(loaded.status().message()), HasSubstr(store.path())) << text;
    EXPECT_THAT(std::string(loaded.status().message()), HasSubstr("log in again")) << text;
  }
}

TEST(CredentialsStoreTest, DeleteRemovesTheFileAndToleratesNone) {
  TestDir dir;
  CredentialsStore store = *CredentialsStore::Locate(dir.path(), std::nullopt);
  ASSERT_TRUE(store.Save(Sample()).ok());
  ASSERT_TRUE(store.Delete().ok());
  EXPECT_FALSE(std::filesystem::exists(store.path()));
  EXPECT_TRUE(store.Delete().ok());
  // No temporary files are left behind by saving.
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() + "/gridserve"));
}

}  // namespace
}  // namespace gridserve::gridctl
