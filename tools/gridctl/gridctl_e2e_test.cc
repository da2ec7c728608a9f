// The real gridctl binary against the whole suite (devstack::Stack): token
// from GRIDSERVE_TOKEN, a saved session, error lines and exit codes, and the
// login → whoami → logout flow.
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/gridctl/credentials.h"
#include "tools/gridctl/gridctl_e2e_fixture.h"

namespace gridserve::gridctl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class GridctlE2eTest : public GridctlStackTest {
 protected:
  static void SetUpTestSuite() { StartStack("gridctl-e2e", /*gateway_tls=*/true); }
  static void TearDownTestSuite() { StopStack(); }

  std::string CredentialsPath() const { return home_.path() + "/config/gridserve/credentials.json"; }
};

TEST_F(GridctlE2eTest, WhoAmIWithATokenFromTheEnvironment) {
  std::string token = stack_->MintToken("users/e2e-town", {{"TOWN_ADMIN", "500114101000"}});
  Result table = Run({"whoami"}, {{"GRIDSERVE_TOKEN", token}});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("users/e2e-town"));
  EXPECT_THAT(table.out, ::testing::ContainsRegex("TOWN_ADMIN +500114101000"));
  EXPECT_EQ(table.err, "");

  Result json = Run({"whoami", "--json"}, {{"GRIDSERVE_TOKEN", token}});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"subject\": \"users/e2e-town\""));
  EXPECT_THAT(json.out, HasSubstr("\"role\": \"ROLE_TOWN_ADMIN\""));
  // No session file is created for an environment token.
  EXPECT_FALSE(std::filesystem::exists(CredentialsPath()));
}

// Issue 3 item 3: a consuming system reaches the gateway's TLS port with its
// registered client certificate and no session; an unregistered one is refused.
TEST_F(GridctlE2eTest, ClientCertificateIsTheIdentityOverMutualTls) {
  const devstack::TlsFiles& tls = stack_->tls();
  std::string server = "--server=" + stack_->tls_address();
  Result registered = Run({server, "--tls_ca=" + tls.ca_cert, "--client_cert=" + tls.client_cert,
                           "--client_key=" + tls.client_key, "whoami"});
  EXPECT_EQ(registered.exit_code, 0) << registered.err;
  EXPECT_THAT(registered.out, HasSubstr("clients/" + tls.client_name));
  EXPECT_THAT(registered.out, ::testing::ContainsRegex("SYSTEM_READER +" + tls.client_scope));

  Result unregistered = Run({server, "--tls_ca=" + tls.ca_cert, "--client_cert=" + tls.unregistered_cert,
                             "--client_key=" + tls.unregistered_key, "whoami"});
  EXPECT_NE(unregistered.exit_code, 0);
  EXPECT_THAT(unregistered.err, HasSubstr("is not registered"));

  Result without_ca = Run({server, "--client_cert=" + tls.client_cert, "--client_key=" + tls.client_key, "whoami"});
  EXPECT_NE(without_ca.exit_code, 0);
  EXPECT_THAT(without_ca.err, HasSubstr("need --tls_ca"));
  // TLS without a client certificate: a person's session token still works.
  std::string token = stack_->MintToken("users/e2e-tls", {{"TOWN_ADMIN", "500114101000"}});
  Result with_token = Run({server, "--tls_ca=" + tls.ca_cert, "whoami"}, {{"GRIDSERVE_TOKEN", token}});
  EXPECT_EQ(with_token.exit_code, 0) << with_token.err;
  EXPECT_THAT(with_token.out, HasSubstr("users/e2e-tls"));
}

TEST_F(GridctlE2eTest, WhoAmIWithASavedSessionFindsItsGateway) {
  CredentialsStore store = *CredentialsStore::Locate(home_.path() + "/config", std::nullopt);
  Credentials credentials;
  credentials.server = stack_->address("gateway");
  credentials.access_token = stack_->MintToken("users/e2e-saved", {{"AUDITOR", "500114000000"}});
  credentials.access_token_expire_time = absl::Now() + absl::Hours(1);
  credentials.refresh_token = "unused";
  credentials.refresh_token_expire_time = absl::Now() + absl::Hours(24);
  ASSERT_TRUE(store.Save(credentials).ok());
  // Neither --server nor GRIDSERVE_SERVER: the saved session names the gateway.
  Result result = Run({"whoami"}, {{"GRIDSERVE_SERVER", ""}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("users/e2e-saved"));
  EXPECT_THAT(result.out, HasSubstr("AUDITOR"));
}

TEST_F(GridctlE2eTest, NotLoggedInSaysWhatToDo) {
  Result result = Run({"whoami"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, StartsWith("gridctl: not logged in or session expired: run `gridctl login NAME`"));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_EQ(result.out, "");
}

TEST_F(GridctlE2eTest, TamperedOrExpiredTokenIsRefusedByTheGateway) {
  std::string token = stack_->MintToken("users/e2e", {{"DISTRICT_ADMIN", "500114000000"}});
  token.back() = token.back() == 'A' ? 'B' : 'A';
  Result tampered = Run({"whoami"}, {{"GRIDSERVE_TOKEN", token}});
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_THAT(tampered.err, StartsWith("gridctl: not logged in or session expired"));

  std::string expired = stack_->MintToken("users/e2e", {{"MEMBER", "500114101201"}}, -absl::Minutes(1));
  Result late = Run({"whoami"}, {{"GRIDSERVE_TOKEN", expired}});
  EXPECT_EQ(late.exit_code, 1);
  EXPECT_THAT(late.err, StartsWith("gridctl: not logged in or session expired"));
}

TEST_F(GridctlE2eTest, UnreachableGatewayNamesTheAddress) {
  // Port 1 on loopback: nothing listens there.
  Result result = Run({"--server=127.0.0.1:1", "--timeout=3s", "whoami"}, {{"GRIDSERVE_TOKEN", "x"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, StartsWith("gridctl: cannot reach the gateway at 127.0.0.1:1"));
}

TEST_F(GridctlE2eTest, UsageErrorsExitWithTwoAndHelpWithZero) {
  Result unknown = Run({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown command"));
  Result help = Run({"user", "list", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--page-size=N"));
  // No terminal and no --password-stdin: refuse rather than hang.
  Result no_terminal = Run({"login", "somebody"});
  EXPECT_EQ(no_terminal.exit_code, 2);
  EXPECT_THAT(no_terminal.err, HasSubstr("--password-stdin"));
}

TEST_F(GridctlE2eTest, PermissionDeniedIsOneClearLine) {
  std::string member = stack_->MintToken("users/e2e-member", {{"MEMBER", "500114101201"}});
  Result result = Run({"audit", "verify"}, {{"GRIDSERVE_TOKEN", member}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, StartsWith("gridctl: permission denied"));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

TEST_F(GridctlE2eTest, LoginWhoAmIRenewAndLogout) {
  const std::string admin = devstack::Stack::kBootstrapAdminLogin;
  Result wrong = Run({"login", admin, "--password-stdin"}, {}, "wrong-password-123\n");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_THAT(wrong.err, StartsWith("gridctl: login failed: "));
  EXPECT_FALSE(std::filesystem::exists(CredentialsPath()));

  Result login = Run({"login", admin, "--password-stdin"}, {}, stack_->AdminPassword() + "\n");
  ASSERT_EQ(login.exit_code, 0) << login.err;
  EXPECT_THAT(login.out, HasSubstr("Logged in to " + stack_->address("gateway") + " as admin"));
  ASSERT_TRUE(std::filesystem::exists(CredentialsPath()));
  EXPECT_EQ(std::filesystem::status(CredentialsPath()).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(std::filesystem::status(home_.path() + "/config/gridserve").permissions(),
            std::filesystem::perms::owner_all);

  Result whoami = Run({"whoami"});
  EXPECT_EQ(whoami.exit_code, 0) << whoami.err;
  EXPECT_THAT(whoami.out, HasSubstr("users/"));
  EXPECT_THAT(whoami.out, HasSubstr("DISTRICT_ADMIN"));

  // An access token about to expire is renewed with the refresh token before the call.
  CredentialsStore store = *CredentialsStore::Locate(home_.path() + "/config", std::nullopt);
  Credentials saved = **store.Load();
  saved.access_token_expire_time = absl::Now() + absl::Seconds(10);
  ASSERT_TRUE(store.Save(saved).ok());
  Result renewed = Run({"whoami"});
  EXPECT_EQ(renewed.exit_code, 0) << renewed.err;
  Credentials after = **store.Load();
  EXPECT_NE(after.refresh_token, saved.refresh_token);
  EXPECT_GT(after.access_token_expire_time, absl::Now() + absl::Seconds(30));

  Result logout = Run({"logout"});
  EXPECT_EQ(logout.exit_code, 0) << logout.err;
  EXPECT_THAT(logout.out, HasSubstr("Logged out; the session is revoked"));
  EXPECT_FALSE(std::filesystem::exists(CredentialsPath()));

  // The revoked refresh token no longer renews anything.
  after.access_token_expire_time = absl::Now();
  ASSERT_TRUE(store.Save(after).ok());
  Result revoked = Run({"whoami"});
  EXPECT_EQ(revoked.exit_code, 1);
  EXPECT_THAT(revoked.err, StartsWith("gridctl: not logged in or session expired"));
}

TEST_F(GridctlE2eTest, ManageAUserAndLogInAsIt) {
  const std::map<std::string, std::string> as_admin = {{"GRIDSERVE_TOKEN", stack_->AdminToken()}};
  Result created = Run({"user", "create", "e2e.gridctl", "--display-name=测试用户", "--org=500114000000",
                        "--phone=13800138000", "--password-stdin", "--json"},
                       as_admin, "correct-horse-battery\n");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  nlohmann::json user = nlohmann::json::parse(created.out);
  std::string user_id = user.value("userId", "");
  ASSERT_FALSE(user_id.empty()) << created.out;
  EXPECT_EQ(user.value("displayName", ""), "测试用户");

  Result bad = Run({"user", "create", "x", "--display-name=X", "--org=12", "--password-stdin"}, as_admin,
                   "correct-horse-battery\n");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, StartsWith("gridctl: invalid request: "));
  EXPECT_THAT(bad.err, HasSubstr("org_code"));
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;

  Result got = Run({"user", "get", "users/" + user_id}, as_admin);
  EXPECT_EQ(got.exit_code, 0) << got.err;
  EXPECT_THAT(got.out, HasSubstr("e2e.gridctl"));
  EXPECT_THAT(got.out, HasSubstr("测试用户"));

  // One account per page, following next_page_token: the bootstrap admin and ours.
  Result listed = Run({"user", "list", "--org=500114000000", "--page-size=1", "--all"}, as_admin);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("e2e.gridctl"));
  EXPECT_THAT(listed.out, HasSubstr("admin"));
  EXPECT_THAT(listed.out, ::testing::Not(HasSubstr("--page-token")));

  Result granted = Run({"user", "grant", user_id, "--role=town_admin", "--scope=500114101000"}, as_admin);
  EXPECT_EQ(granted.exit_code, 0) << granted.err;
  EXPECT_THAT(granted.out, HasSubstr("TOWN_ADMIN@500114101000"));

  Result disabled = Run({"user", "update", user_id, "--status=disabled"}, as_admin);
  EXPECT_EQ(disabled.exit_code, 0) << disabled.err;
  EXPECT_THAT(disabled.out, HasSubstr("disabled"));
  Result refused = Run({"login", "e2e.gridctl", "--password-stdin"}, {}, "correct-horse-battery\n");
  EXPECT_EQ(refused.exit_code, 1);

  ASSERT_EQ(Run({"user", "update", user_id, "--status=active"}, as_admin).exit_code, 0);
  Result login = Run({"login", "e2e.gridctl", "--password-stdin"}, {}, "correct-horse-battery\n");
  ASSERT_EQ(login.exit_code, 0) << login.err;
  Result whoami = Run({"whoami", "--json"});
  EXPECT_EQ(whoami.exit_code, 0) << whoami.err;
  EXPECT_THAT(whoami.out, HasSubstr("users/" + user_id));
  EXPECT_THAT(whoami.out, HasSubstr("ROLE_TOWN_ADMIN"));
  EXPECT_EQ(Run({"logout"}).exit_code, 0);
}

TEST_F(GridctlE2eTest, AuditorListsAndVerifiesTheLog) {
  const std::map<std::string, std::string> as_admin = {{"GRIDSERVE_TOKEN", stack_->AdminToken()}};
  // An audited write, so the log is not empty.
  Run({"user", "create", "e2e.audited", "--display-name=审计", "--org=500114000000", "--password-stdin"}, as_admin,
      "correct-horse-battery\n");
  const std::map<std::string, std::string> as_auditor = {
      {"GRIDSERVE_TOKEN", stack_->MintToken("users/e2e-auditor", {{"AUDITOR", "500114000000"}})}};
  Result verified = Run({"audit", "verify"}, as_auditor);
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_THAT(verified.out, StartsWith("Audit chain intact: "));

  Result listed =
      Run({"audit", "list", "--subject=dev-admin", "--since=1h", "--page-size=2", "--all", "--json"}, as_auditor);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("/gridserve.gateway.v1.AccountService/CreateUser")) << listed.err;
  EXPECT_THAT(listed.out, ::testing::Not(HasSubstr("nextPageToken")));

  Result table = Run({"audit", "list", "--method=/gridserve.gateway.v1.AccountService/CreateUser"}, as_auditor);
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("gateway.v1.AccountService/CreateUser"));
  EXPECT_THAT(table.out, HasSubstr("dev-admin"));
}

}  // namespace
}  // namespace gridserve::gridctl
