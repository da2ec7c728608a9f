#include "gateway/passwords.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/time/clock.h"
#include "common/token.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(PasswordHasherTest, HashesWithArgon2idAndVerifies) {
  auto hasher = PasswordHasher::Create(PasswordCost::Minimal());
  ASSERT_TRUE(hasher.ok()) << hasher.status();
  auto hash = hasher->Hash("correct horse battery");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_THAT(*hash, StartsWith("$argon2id$"));
  EXPECT_TRUE(hasher->Verify(*hash, "correct horse battery"));
  EXPECT_FALSE(hasher->Verify(*hash, "correct horse batterx"));
  EXPECT_FALSE(hasher->Verify(*hash, ""));
  EXPECT_FALSE(hasher->Verify("not a hash", "correct horse battery"));
  // Salted: the same password hashes differently each time.
  EXPECT_NE(*hasher->Hash("correct horse battery"), *hash);
}

TEST(PasswordHasherTest, InteractiveCostIsWhatTheGatewayUses) {
  auto hasher = PasswordHasher::Create(PasswordCost::Interactive());
  ASSERT_TRUE(hasher.ok()) << hasher.status();
  auto hash = hasher->Hash("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_THAT(*hash, HasSubstr("m=65536"));  // 64 MiB
  // A hash made with other limits still verifies: the limits travel in the hash.
  auto minimal = PasswordHasher::Create(PasswordCost::Minimal());
  EXPECT_TRUE(minimal->Verify(*hash, "correct horse battery"));
}

TEST(NewPasswordProblemTest, LengthLimits) {
  EXPECT_THAT(NewPasswordProblem("123456789"), HasSubstr("at least 10"));
  EXPECT_EQ(NewPasswordProblem("1234567890"), "");
  EXPECT_THAT(NewPasswordProblem(std::string(257, 'a')), HasSubstr("at most 256"));
}

TEST(RefreshTokenTest, RandomAndStoredOnlyAsSha256) {
  ASSERT_TRUE(PasswordHasher::Create(PasswordCost::Minimal()).ok());  // initialises libsodium
  std::string a = NewRefreshToken();
  std::string b = NewRefreshToken();
  EXPECT_NE(a, b);
  EXPECT_THAT(a, StartsWith("rt1."));
  EXPECT_EQ(a.size(), 4u + 43u);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(a).size(), 64u);
}

// Issue 3 item 2: the signing key can be rotated, two keys valid during the
// rotation. The key file lists the new key first (it signs) and the old one
// after it (it still verifies).
TEST(KeyRotationTest, TokenSignedWithOldKeyVerifiesWhileTheFileListsNewThenOld) {
  namespace fs = std::filesystem;
  const std::string old_key(64, 'a');
  const std::string new_key(64, 'b');
  fs::path dir = fs::temp_directory_path() / ("gridserve_key_rotation_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto write = [&](const std::string& contents) {
    std::ofstream(dir / "token.key") << contents;
    return TokenCodec::FromKeyFile((dir / "token.key").string());
  };
  Principal principal{.subject = "users/3f2c1e9a-7b1d-4c55-9a0e-2d4f6b8c1a20",
                      .bindings = {{"TOWN_ADMIN", "500114101000"}},
                      .expires_at = absl::ToUnixSeconds(absl::Now() + absl::Minutes(15))};

  auto before = write(old_key + "\n");
  ASSERT_TRUE(before.ok()) << before.status();
  std::string old_token = before->Sign(principal);

  auto during = write(new_key + "\n" + old_key + "\n");
  ASSERT_TRUE(during.ok()) << during.status();
  auto verified = during->Verify(old_token, absl::Now());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->subject, principal.subject);
  EXPECT_EQ(verified->bindings, principal.bindings);
  std::string new_token = during->Sign(principal);
  EXPECT_NE(new_token, old_token);
  // The new key signs: a process still on the old file alone cannot verify it...
  EXPECT_EQ(before->Verify(new_token, absl::Now()).status().code(), absl::StatusCode::kUnauthenticated);

  // ...and once the old key is dropped, tokens it signed stop working.
  auto after = write(new_key + "\n");
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->Verify(new_token, absl::Now()).ok());
  EXPECT_EQ(after->Verify(old_token, absl::Now()).status().code(), absl::StatusCode::kUnauthenticated);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gridserve::gateway
