// Issue 3, consuming systems and limits, end to end through the real
// gateway: mTLS clients known by their certificate (registered → its
// SYSTEM_* principal; unknown → UNAUTHENTICATED; another CA → no handshake),
// and per-principal rate limits answering RESOURCE_EXHAUSTED with RetryInfo,
// then recovering.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gridserve/gateway/v1/auth.grpc.pb.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tools/devstack/stack.h"

namespace gridserve {
namespace {

namespace membership = membership::v1;
namespace auth = gateway::v1;
using devstack::Stack;
using devstack::StackOptions;
using devstack::TestStackOptions;

// The per-principal limit the gateway runs with here: a burst of 5, then 4
// calls per second, so a refused caller may retry after at most 250 ms.
constexpr int kBurst = 5;
constexpr double kPerSecond = 4;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

class GatewayLimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    StackOptions options = TestStackOptions("gridserve-limits-e2e");
    options.gateway_flags = {"--rate_limit_per_principal=" + std::to_string(kPerSecond),
                             "--rate_limit_principal_burst=" + std::to_string(kBurst)};
    auto stack = Stack::Start(std::move(options));
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = std::move(*stack).release();
    // The tree the system client reads.
    grpc::ClientContext context;
    Prepare(context, stack_->AdminToken());
    membership::CreateOrganizationRequest request;
    request.mutable_organization()->set_code("500114000000");
    request.mutable_organization()->set_kind(membership::ORGANIZATION_KIND_DISTRICT);
    request.mutable_organization()->set_display_name("黔江区");
    membership::CreateOrganizationResponse response;
    grpc::Status status = membership::OrganizationService::NewStub(
                              grpc::CreateChannel(stack_->address("gateway"), grpc::InsecureChannelCredentials()))
                              ->CreateOrganization(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }

  static void Prepare(grpc::ClientContext& context, const std::string& token = "") {
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  }

  // A TLS channel to the gateway trusting the development CA, presenting
  // `cert`/`key` as client certificate (none when empty).
  static std::shared_ptr<grpc::Channel> TlsChannel(const std::string& cert = "", const std::string& key = "",
                                                   const std::string& root = "") {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = ReadFile(root.empty() ? stack_->tls().ca_cert : root);
    if (!cert.empty()) {
      options.pem_cert_chain = ReadFile(cert);
      options.pem_private_key = ReadFile(key);
    }
    return grpc::CreateChannel(stack_->tls_address(), grpc::SslCredentials(options));
  }

  static grpc::Status WhoAmI(const std::shared_ptr<grpc::Channel>& channel, auth::WhoAmIResponse* response,
                             const std::string& token = "") {
    grpc::ClientContext context;
    Prepare(context, token);
    return auth::AuthService::NewStub(channel)->WhoAmI(&context, {}, response);
  }

  static inline Stack* stack_ = nullptr;
};

TEST_F(GatewayLimitsTest, RegisteredClientCertificateActsAsItsSystemPrincipal) {
  auto channel = TlsChannel(stack_->tls().client_cert, stack_->tls().client_key);
  auth::WhoAmIResponse who;
  grpc::Status status = WhoAmI(channel, &who);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(who.principal().subject(), "clients/" + stack_->tls().client_name);
  ASSERT_EQ(who.principal().bindings_size(), 1);
  EXPECT_EQ(who.principal().bindings(0).role(), auth::ROLE_SYSTEM_READER);
  EXPECT_EQ(who.principal().bindings(0).org_scope(), stack_->tls().client_scope);
  EXPECT_GT(who.principal().expire_time().seconds(), absl::ToUnixSeconds(absl::Now()));
  EXPECT_LE(who.principal().expire_time().seconds(), absl::ToUnixSeconds(absl::Now() + absl::Minutes(6)))
      << "the token forwarded for a client certificate is short-lived";

  auto organizations = membership::OrganizationService::NewStub(channel);
  {  // Reading under its scope works: the backend accepts the token the gateway signed for it.
    grpc::ClientContext context;
    Prepare(context);
    membership::GetOrganizationRequest request;
    request.set_code("500114000000");
    membership::GetOrganizationResponse response;
    status = organizations->GetOrganization(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.organization().display_name(), "黔江区");
  }
  {
    grpc::ClientContext context;
    Prepare(context);
    membership::ListOrganizationsRequest request;
    request.set_parent_code("500114000000");
    membership::ListOrganizationsResponse response;
    status = organizations->ListOrganizations(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  {  // A SYSTEM_READER has no ORG_WRITE.
    grpc::ClientContext context;
    Prepare(context);
    membership::CreateOrganizationRequest request;
    request.mutable_organization()->set_code("500114104000");
    request.mutable_organization()->set_kind(membership::ORGANIZATION_KIND_TOWN);
    request.mutable_organization()->set_display_name("不该有的镇");
    membership::CreateOrganizationResponse response;
    status = organizations->CreateOrganization(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  }
  // The gateway's call log names the certificate, not "anonymous" (the line is
  // written just after the answer, so it may take a moment to appear).
  bool logged = false;
  for (int attempt = 0; attempt < 40 && !logged; ++attempt) {
    std::ifstream log(stack_->log_path("gateway"));
    std::string line;
    while (std::getline(log, line)) {
      if (line.find("GetOrganization") != std::string::npos &&
          line.find("\"caller\":\"certificate CN=") != std::string::npos) {
        logged = true;
      }
    }
    if (!logged) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(logged) << "no call-log line names the client certificate in " << stack_->log_path("gateway");
}

TEST_F(GatewayLimitsTest, BearerTokenOverTlsWinsOverTheCertificateAndNeedsNoCertificate) {
  std::string token = stack_->MintToken("users/tls-person", {{"AUDITOR", "500114000000"}});
  auth::WhoAmIResponse who;
  grpc::Status status = WhoAmI(TlsChannel(), &who, token);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(who.principal().subject(), "users/tls-person");
  status = WhoAmI(TlsChannel(stack_->tls().client_cert, stack_->tls().client_key), &who, token);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(who.principal().subject(), "users/tls-person");
  // Neither a token nor a certificate: the usual answer.
  status = WhoAmI(TlsChannel(), &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(status.error_message().find("no credentials"), std::string::npos) << status.error_message();
}

TEST_F(GatewayLimitsTest, UnregisteredClientCertificateIsUnauthenticated) {
  auth::WhoAmIResponse who;
  grpc::Status status = WhoAmI(TlsChannel(stack_->tls().unregistered_cert, stack_->tls().unregistered_key), &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(status.error_message().find("is not registered; ask the district operator to register it"),
            std::string::npos)
      << status.error_message();
  EXPECT_EQ(status.error_message().find(stack_->tls().client_fingerprint), std::string::npos);
}

TEST_F(GatewayLimitsTest, ClientCertificateOfAnotherCaFailsTheHandshake) {
  auth::WhoAmIResponse who;
  grpc::Status status = WhoAmI(TlsChannel(stack_->tls().foreign_cert, stack_->tls().foreign_key), &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

TEST_F(GatewayLimitsTest, PrincipalRateLimitAnswersResourceExhaustedWithRetryInfoAndRecovers) {
  auto channel = grpc::CreateChannel(stack_->address("gateway"), grpc::InsecureChannelCredentials());
  std::string token = stack_->MintToken("users/hasty", {{"MEMBER", "500114101201"}});
  auth::WhoAmIResponse who;
  int allowed = 0;
  grpc::Status refused;
  for (int i = 0; i < kBurst + 5; ++i) {
    grpc::Status status = WhoAmI(channel, &who, token);
    if (status.ok()) {
      ++allowed;
    } else {
      refused = status;
      break;
    }
  }
  // The calls take a few milliseconds each, so at most one more token refills.
  EXPECT_GE(allowed, kBurst);
  EXPECT_LE(allowed, kBurst + 1);
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_NE(refused.error_message().find("users/hasty"), std::string::npos) << refused.error_message();
  EXPECT_NE(refused.error_message().find("retry after"), std::string::npos) << refused.error_message();
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(refused.error_details()));
  google::rpc::RetryInfo retry_info;
  ASSERT_EQ(details.details_size(), 1);
  ASSERT_TRUE(details.details(0).UnpackTo(&retry_info));
  absl::Duration delay =
      absl::Seconds(retry_info.retry_delay().seconds()) + absl::Nanoseconds(retry_info.retry_delay().nanos());
  EXPECT_GT(delay, absl::ZeroDuration());
  EXPECT_LE(delay, absl::Seconds(1 / kPerSecond) + absl::Milliseconds(1));

  // Another principal is not affected.
  ASSERT_TRUE(WhoAmI(channel, &who, stack_->MintToken("users/patient", {{"MEMBER", "500114101201"}})).ok());

  absl::SleepFor(delay);
  grpc::Status again = WhoAmI(channel, &who, token);
  EXPECT_TRUE(again.ok()) << again.error_message();
  EXPECT_EQ(who.principal().subject(), "users/hasty");
}

// Issue 8: a registered consuming system has the rate limit the registry
// gives it (devstack registers its client with 200/s, burst 400), not the
// person's default of this stack (4/s, burst 5): twenty calls in a row pass.
TEST_F(GatewayLimitsTest, ARegisteredSystemHasItsOwnRateLimit) {
  auto channel = TlsChannel(stack_->tls().client_cert, stack_->tls().client_key);
  auth::WhoAmIResponse who;
  for (int i = 0; i < 4 * kBurst; ++i) {
    grpc::Status status = WhoAmI(channel, &who);
    ASSERT_TRUE(status.ok()) << "call " << i << ": " << status.error_message();
  }
  EXPECT_EQ(who.principal().subject(), "clients/" + stack_->tls().client_name);
}

}  // namespace
}  // namespace gridserve
