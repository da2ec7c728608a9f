#include "tools/gridctl/session.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/gridctl/test_dir.h"

namespace gridserve::gridctl {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1714550400);
constexpr char kServer[] = "127.0.0.1:50051";

Credentials SessionExpiringIn(absl::Duration access, absl::Duration refresh) {
  Credentials credentials;
  credentials.server = kServer;
  credentials.subject = "users/42";
  credentials.access_token = "old-access";
  credentials.access_token_expire_time = kNow + access;
  credentials.refresh_token = "old-refresh";
  credentials.refresh_token_expire_time = kNow + refresh;
  return credentials;
}

TEST(DecideTokenActionTest, RefreshesWithinThirtySecondsOfExpiry) {
  struct Case {
    absl::Duration access;
    absl::Duration refresh;
    TokenAction want;
  };
  for (const Case& c : std::vector<Case>{
           {absl::Minutes(10), absl::Hours(24), TokenAction::kUse},
           {absl::Seconds(31), absl::Hours(24), TokenAction::kUse},
           {absl::Seconds(30), absl::Hours(24), TokenAction::kRefresh},
           {absl::Seconds(5), absl::Hours(24), TokenAction::kRefresh},
           {-absl::Hours(1), absl::Hours(24), TokenAction::kRefresh},
           {-absl::Hours(1), absl::Seconds(3), TokenAction::kLoginAgain},
           {-absl::Hours(1), -absl::Hours(1), TokenAction::kLoginAgain},
       }) {
    EXPECT_EQ(DecideTokenAction(SessionExpiringIn(c.access, c.refresh), kNow), c.want)
        << "access in " << c.access << ", refresh in " << c.refresh;
  }
  Credentials without_refresh = SessionExpiringIn(absl::Seconds(10), absl::Hours(1));
  without_refresh.refresh_token.clear();
  EXPECT_EQ(DecideTokenAction(without_refresh, kNow), TokenAction::kLoginAgain);
}

class TokenSourceTest : public ::testing::Test {
 protected:
  TokenSource Source(std::optional<std::string> environment_token = std::nullopt, std::string server = kServer) {
    return TokenSource(
        store_, std::move(server), std::move(environment_token), [] { return kNow; },
        [this](const std::string& refresh_token) -> absl::StatusOr<v1::Session> {
          refreshed_with_.push_back(refresh_token);
          if (!refresh_result_.ok()) return refresh_result_;
          v1::Session session;
          session.set_access_token("new-access");
          session.mutable_access_token_expire_time()->set_seconds(absl::ToUnixSeconds(kNow + absl::Minutes(15)));
          session.set_refresh_token("new-refresh");
          session.mutable_refresh_token_expire_time()->set_seconds(absl::ToUnixSeconds(kNow + absl::Hours(24)));
          session.mutable_principal()->set_subject("users/42");
          return session;
        });
  }

  TestDir dir_;
  CredentialsStore store_ = *CredentialsStore::Locate(dir_.path(), std::nullopt);
  std::vector<std::string> refreshed_with_;
  absl::Status refresh_result_ = absl::OkStatus();
};

TEST_F(TokenSourceTest, EnvironmentTokenWinsAndNeedsNoFile) {
  EXPECT_EQ(*Source("script-token").AccessToken(), "script-token");
  EXPECT_TRUE(refreshed_with_.empty());
}

TEST_F(TokenSourceTest, NoSessionIsUnauthenticated) {
  absl::StatusOr<std::string> token = Source().AccessToken();
  EXPECT_EQ(token.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(token.status().message()), HasSubstr(store_.path()));
}

TEST_F(TokenSourceTest, FreshTokenIsUsedWithoutRefreshing) {
  ASSERT_TRUE(store_.Save(SessionExpiringIn(absl::Minutes(5), absl::Hours(24))).ok());
  EXPECT_EQ(*Source().AccessToken(), "old-access");
  EXPECT_TRUE(refreshed_with_.empty());
}

TEST_F(TokenSourceTest, NearlyExpiredTokenIsRefreshedAndTheNewPairSaved) {
  ASSERT_TRUE(store_.Save(SessionExpiringIn(absl::Seconds(20), absl::Hours(24))).ok());
  EXPECT_EQ(*Source().AccessToken(), "new-access");
  EXPECT_THAT(refreshed_with_, ::testing::ElementsAre("old-refresh"));
  std::optional<Credentials> saved = *store_.Load();
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->access_token, "new-access");
  EXPECT_EQ(saved->refresh_token, "new-refresh");
  EXPECT_EQ(saved->access_token_expire_time, kNow + absl::Minutes(15));
  EXPECT_EQ(saved->refresh_token_expire_time, kNow + absl::Hours(24));
  EXPECT_EQ(saved->server, kServer);
  // The next call uses the saved new token.
  EXPECT_EQ(*Source().AccessToken(), "new-access");
  EXPECT_EQ(refreshed_with_.size(), 1u);
}

TEST_F(TokenSourceTest, RefusedRefreshMeansLogInAgain) {
  ASSERT_TRUE(store_.Save(SessionExpiringIn(-absl::Minutes(1), absl::Hours(24))).ok());
  refresh_result_ = absl::UnauthenticatedError("refresh token revoked");
  absl::StatusOr<std::string> token = Source().AccessToken();
  EXPECT_EQ(token.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(token.status().message()), HasSubstr("refresh token revoked"));
}

TEST_F(TokenSourceTest, UnreachableGatewayDuringRefreshIsReportedAsSuch) {
  ASSERT_TRUE(store_.Save(SessionExpiringIn(-absl::Minutes(1), absl::Hours(24))).ok());
  refresh_result_ = absl::UnavailableError("connection refused");
  EXPECT_EQ(Source().AccessToken().status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(TokenSourceTest, BothExpiredMeansLogInAgainWithoutCalling) {
  ASSERT_TRUE(store_.Save(SessionExpiringIn(-absl::Hours(2), -absl::Hours(1))).ok());
  EXPECT_EQ(Source().AccessToken().status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(refreshed_with_.empty());
}

TEST_F(TokenSourceTest, SessionOfAnotherGatewayIsNeverSent) {
  ASSERT_TRUE(store_.Save(SessionExpiringIn(absl::Minutes(5), absl::Hours(24))).ok());
  absl::StatusOr<std::string> token = Source(std::nullopt, "elsewhere:50051").AccessToken();
  EXPECT_EQ(token.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(token.status().message()), HasSubstr("is for the gateway at 127.0.0.1:50051"));
}

}  // namespace
}  // namespace gridserve::gridctl
