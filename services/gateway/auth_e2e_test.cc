// Accounts and sessions through the real gateway process: devstack's Stack
// starts PostgreSQL, the backends and the gateway (bootstrap administrator
// from a password file); the test logs in, refreshes, logs out and locks an
// account over gRPC as a client would.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gridserve/gateway/v1/account.grpc.pb.h"
#include "gridserve/gateway/v1/auth.grpc.pb.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tools/devstack/demo.h"
#include "tools/devstack/stack.h"

namespace gridserve::gateway {
namespace {

using devstack::Stack;
using devstack::StackOptions;
using devstack::TestStackOptions;
using ::testing::HasSubstr;

constexpr char kVillage[] = "500114101201";
constexpr char kPassword[] = "correct horse battery";

class AuthE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    StackOptions options = TestStackOptions("gridserve-auth-e2e");
    options.gateway_tls = false;
    auto stack = Stack::Start(std::move(options));
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = std::move(*stack).release();
    auto channel = grpc::CreateChannel(stack_->address("gateway"), grpc::InsecureChannelCredentials());
    auth_ = v1::AuthService::NewStub(channel).release();
    accounts_ = v1::AccountService::NewStub(channel).release();
  }
  static void TearDownTestSuite() {
    delete auth_;
    delete accounts_;
    delete stack_;
  }

  static void Prepare(grpc::ClientContext& context, const std::string& token = "") {
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  }

  static grpc::Status Login(const std::string& name, const std::string& password, v1::Session* session = nullptr) {
    grpc::ClientContext context;
    Prepare(context);
    v1::LoginRequest request;
    request.set_login_name(name);
    request.set_password(password);
    v1::LoginResponse response;
    grpc::Status status = auth_->Login(&context, request, &response);
    if (session != nullptr) *session = response.session();
    return status;
  }

  static grpc::Status Refresh(const std::string& refresh_token, v1::Session* session = nullptr) {
    grpc::ClientContext context;
    Prepare(context);
    v1::RefreshRequest request;
    request.set_refresh_token(refresh_token);
    v1::RefreshResponse response;
    grpc::Status status = auth_->Refresh(&context, request, &response);
    if (session != nullptr) *session = response.session();
    return status;
  }

  static grpc::Status WhoAmI(const std::string& access_token, v1::Principal* principal) {
    grpc::ClientContext context;
    Prepare(context, access_token);
    v1::WhoAmIResponse response;
    grpc::Status status = auth_->WhoAmI(&context, {}, &response);
    *principal = response.principal();
    return status;
  }

  // A user of 演示一村 with MEMBER there, created by the bootstrap administrator.
  static v1::User CreateMember(const std::string& login_name) {
    v1::Session admin;
    grpc::Status login = Login(Stack::kBootstrapAdminLogin, stack_->AdminPassword(), &admin);
    EXPECT_TRUE(login.ok()) << login.error_message();
    grpc::ClientContext context;
    Prepare(context, admin.access_token());
    v1::CreateUserRequest request;
    request.set_request_id("e2e-" + login_name);
    request.set_initial_password(kPassword);
    request.mutable_user()->set_login_name(login_name);
    request.mutable_user()->set_display_name("张三");
    request.mutable_user()->set_phone("13812348000");
    request.mutable_user()->set_org_code(kVillage);
    v1::RoleBinding* binding = request.mutable_user()->add_bindings();
    binding->set_role(v1::ROLE_MEMBER);
    binding->set_org_scope(kVillage);
    v1::CreateUserResponse response;
    grpc::Status status = accounts_->CreateUser(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.user();
  }

  static inline Stack* stack_ = nullptr;
  static inline v1::AuthService::Stub* auth_ = nullptr;
  static inline v1::AccountService::Stub* accounts_ = nullptr;
};

TEST_F(AuthE2eTest, BootstrapAdministratorCanLogIn) {
  v1::Session session;
  grpc::Status status = Login(Stack::kBootstrapAdminLogin, stack_->AdminPassword(), &session);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(session.principal().bindings_size(), 1);
  EXPECT_EQ(session.principal().bindings(0).role(), v1::ROLE_DISTRICT_ADMIN);
  EXPECT_EQ(session.principal().bindings(0).org_scope(), "500114000000");
  // The access token lives 15 minutes (--access_token_minutes default).
  EXPECT_NEAR(session.access_token_expire_time().seconds() - absl::ToUnixSeconds(absl::Now()), 15 * 60, 30);
}

TEST_F(AuthE2eTest, LoginWhoAmIRefreshLogout) {
  v1::User user = CreateMember("e2e.session");
  v1::Session first;
  grpc::Status login = Login("e2e.session", kPassword, &first);
  ASSERT_TRUE(login.ok()) << login.error_message();

  v1::Principal principal;
  grpc::Status whoami = WhoAmI(first.access_token(), &principal);
  ASSERT_TRUE(whoami.ok()) << whoami.error_message();
  EXPECT_EQ(principal.subject(), "users/" + user.user_id());
  ASSERT_EQ(principal.bindings_size(), 1);
  EXPECT_EQ(principal.bindings(0).role(), v1::ROLE_MEMBER);

  v1::Session second;
  grpc::Status refreshed = Refresh(first.refresh_token(), &second);
  ASSERT_TRUE(refreshed.ok()) << refreshed.error_message();
  EXPECT_NE(second.refresh_token(), first.refresh_token());
  ASSERT_TRUE(WhoAmI(second.access_token(), &principal).ok());
  EXPECT_EQ(principal.subject(), "users/" + user.user_id());

  // The exchanged token is refused; presenting it again ends the session
  // (theft detection), so log in afresh for the logout part.
  grpc::Status reused = Refresh(first.refresh_token());
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(reused.error_message(), HasSubstr("already used"));
  EXPECT_EQ(Refresh(second.refresh_token()).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  v1::Session third;
  ASSERT_TRUE(Login("e2e.session", kPassword, &third).ok());
  {
    grpc::ClientContext context;
    Prepare(context, third.access_token());
    v1::LogoutRequest request;
    request.set_refresh_token(third.refresh_token());
    v1::LogoutResponse response;
    grpc::Status logout = auth_->Logout(&context, request, &response);
    ASSERT_TRUE(logout.ok()) << logout.error_message();
  }
  grpc::Status after_logout = Refresh(third.refresh_token());
  EXPECT_EQ(after_logout.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(after_logout.error_message(), HasSubstr("revoked"));
}

TEST_F(AuthE2eTest, WrongPasswordAndUnknownUserGetTheSameMessage) {
  CreateMember("e2e.same");
  grpc::Status wrong = Login("e2e.same", "not the password");
  grpc::Status unknown = Login("e2e.nobody", "not the password");
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(wrong.error_message(), unknown.error_message());
}

TEST_F(AuthE2eTest, FiveWrongPasswordsLockTheAccount) {
  CreateMember("e2e.lock");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Login("e2e.lock", "not the password").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  grpc::Status locked = Login("e2e.lock", kPassword);
  EXPECT_EQ(locked.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(locked.error_message(), HasSubstr("locked"));
  EXPECT_THAT(locked.error_message(), HasSubstr("until"));
}

TEST_F(AuthE2eTest, AccountsAreScopedAndPhonesMasked) {
  v1::User user = CreateMember("e2e.scoped");
  auto get_as = [&](const std::string& token, v1::User* found) {
    grpc::ClientContext context;
    Prepare(context, token);
    v1::GetUserRequest request;
    request.set_user_id(user.user_id());
    v1::GetUserResponse response;
    grpc::Status status = accounts_->GetUser(&context, request, &response);
    *found = response.user();
    return status;
  };
  v1::User found;
  ASSERT_TRUE(get_as(stack_->MintToken("e2e-auditor", {{"AUDITOR", "500114000000"}}), &found).ok());
  EXPECT_EQ(found.phone(), "138****8000");
  ASSERT_TRUE(get_as(stack_->MintToken("e2e-town", {{"TOWN_ADMIN", "500114101000"}}), &found).ok());
  EXPECT_EQ(found.phone(), "13812348000");
  EXPECT_EQ(get_as(stack_->MintToken("e2e-other-town", {{"TOWN_ADMIN", "500114102000"}}), &found).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(get_as(stack_->MintToken("e2e-member", {{"MEMBER", kVillage}}), &found).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthE2eTest, DemoAccountsLoadTwiceAndLogIn) {
  auto first = devstack::LoadDemoAccounts(stack_->address("gateway"), stack_->AdminToken());
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = devstack::LoadDemoAccounts(stack_->address("gateway"), stack_->AdminToken());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->size(), devstack::DemoAccounts().size());
  EXPECT_EQ(*first, *second) << "loading again finds the same accounts";
  for (const devstack::DemoAccount& account : devstack::DemoAccounts()) {
    v1::Session session;
    grpc::Status status = Login(account.login_name, devstack::kDemoPassword, &session);
    ASSERT_TRUE(status.ok()) << account.login_name << ": " << status.error_message();
    ASSERT_EQ(session.principal().bindings_size(), 1) << account.login_name;
    EXPECT_EQ(v1::Role_Name(session.principal().bindings(0).role()), "ROLE_" + account.role);
    EXPECT_EQ(session.principal().bindings(0).org_scope(), account.org_code);
  }
}

}  // namespace
}  // namespace gridserve::gateway
