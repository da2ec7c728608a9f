// The whole suite as real processes on loopback: PostgreSQL, four backends
// and the gateway, started by devstack's Stack with free ports.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tools/devstack/stack.h"

namespace gridserve {
namespace {

namespace v1 = membership::v1;
using devstack::Stack;
using devstack::StackOptions;
using devstack::TestStackOptions;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

class StackTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    StackOptions options = TestStackOptions("gridserve-e2e");
    state_dir_ = options.state_dir;
    auto stack = Stack::Start(std::move(options));
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = std::move(*stack).release();
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }

  static std::unique_ptr<v1::OrganizationService::Stub> Organizations(const std::string& process) {
    return v1::OrganizationService::NewStub(
        grpc::CreateChannel(stack_->address(process), grpc::InsecureChannelCredentials()));
  }
  static void Prepare(grpc::ClientContext& context, const std::string& token) {
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    context.AddMetadata("authorization", "Bearer " + token);
  }
  static grpc::Status Create(const std::string& process, const std::string& code, v1::OrganizationKind kind,
                             const std::string& name) {
    grpc::ClientContext context;
    Prepare(context, stack_->AdminToken());
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_code(code);
    request.mutable_organization()->set_kind(kind);
    request.mutable_organization()->set_display_name(name);
    v1::CreateOrganizationResponse response;
    return Organizations(process)->CreateOrganization(&context, request, &response);
  }
  static grpc::Status ListTowns(const std::string& process, v1::ListOrganizationsResponse* response) {
    grpc::ClientContext context;
    Prepare(context, stack_->AdminToken());
    v1::ListOrganizationsRequest request;
    request.set_parent_code("500114000000");
    return Organizations(process)->ListOrganizations(&context, request, response);
  }
  static grpc::health::v1::HealthCheckResponse::ServingStatus Health(const std::string& address) {
    auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
    grpc::health::v1::HealthCheckResponse response;
    if (!stub->Check(&context, {}, &response).ok()) return grpc::health::v1::HealthCheckResponse::UNKNOWN;
    return response.status();
  }

  static inline std::string state_dir_;
  static inline Stack* stack_ = nullptr;
};

TEST_F(StackTest, EveryProcessReportsServing) {
  for (const char* process : {"membership", "grid_assignment", "activity_tracking", "evaluation", "gateway"}) {
    EXPECT_EQ(Health(stack_->address(process)), grpc::health::v1::HealthCheckResponse::SERVING) << process;
  }
}

TEST_F(StackTest, GatewayAndBackendServeTheSameTree) {
  grpc::Status district = Create("gateway", "500114000000", v1::ORGANIZATION_KIND_DISTRICT, "黔江区");
  ASSERT_TRUE(district.ok() || district.error_code() == grpc::StatusCode::ALREADY_EXISTS) << district.error_message();
  ASSERT_TRUE(Create("gateway", "500114103000", v1::ORGANIZATION_KIND_TOWN, "测试镇").ok());
  v1::ListOrganizationsResponse via_gateway, direct;
  ASSERT_TRUE(ListTowns("gateway", &via_gateway).ok());
  ASSERT_TRUE(ListTowns("membership", &direct).ok());
  EXPECT_EQ(via_gateway.SerializeAsString(), direct.SerializeAsString());
  ASSERT_GE(via_gateway.organizations_size(), 1);
}

TEST_F(StackTest, GatewayReflectionListsEveryBackendsServices) {
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(
      grpc::CreateChannel(stack_->address("gateway"), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  auto stream = stub->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("*");
  ASSERT_TRUE(stream->Write(request));
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  std::set<std::string> names;
  for (const auto& service : response.list_services_response().service()) names.insert(service.name());
  for (const char* expected : {"gridserve.membership.v1.OrganizationService", "gridserve.grid_assignment.v1.GridPolicyService",
                               "gridserve.activity_tracking.v1.ActivityPolicyService",
                               "gridserve.evaluation.v1.EvaluationPolicyService", "gridserve.gateway.v1.AuthService"}) {
    EXPECT_TRUE(names.contains(expected)) << expected;
  }
}

// The last JSON log line of `process` for `method`, as text.
std::string LastLogLine(const std::string& path, const std::string& method) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (line.find("\"method\":\"" + method + "\"") != std::string::npos) last = line;
  }
  return last;
}

std::string FieldOf(const std::string& json_line, const std::string& field) {
  std::string key = "\"" + field + "\":\"";
  size_t start = json_line.find(key);
  if (start == std::string::npos) return "";
  start += key.size();
  return json_line.substr(start, json_line.find('"', start) - start);
}

TEST_F(StackTest, OneRequestIdFollowsACallThroughGatewayAndBackend) {
  v1::ListOrganizationsResponse response;
  ASSERT_TRUE(ListTowns("gateway", &response).ok());
  const std::string method = "/gridserve.membership.v1.OrganizationService/ListOrganizations";
  std::string gateway_line = LastLogLine(stack_->log_path("gateway"), method);
  std::string backend_line = LastLogLine(stack_->log_path("membership"), method);
  std::string request_id = FieldOf(gateway_line, "request_id");
  EXPECT_EQ(request_id.size(), 32u) << gateway_line;
  EXPECT_EQ(FieldOf(backend_line, "request_id"), request_id) << backend_line;
  EXPECT_EQ(FieldOf(backend_line, "caller"), "dev-admin");
  EXPECT_EQ(FieldOf(gateway_line, "code"), "OK");
}

TEST_F(StackTest, StoppedBackendIsUnavailableThenRecovers) {
  ASSERT_TRUE(stack_->StopProcess("membership").ok());
  v1::ListOrganizationsResponse response;
  grpc::Status status = ListTowns("gateway", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("backend 'membership'"), std::string::npos) << status.error_message();
  ASSERT_TRUE(stack_->StartProcess("membership").ok());
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  do {
    status = ListTowns("gateway", &response);
  } while (!status.ok() && absl::Now() < deadline && (absl::SleepFor(absl::Milliseconds(100)), true));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// Issue 8: the first call after a database restart succeeds (the pool
// replaces the connections that broke, at BEGIN, and runs the call again),
// straight at membership and through the gateway.
TEST_F(StackTest, TheFirstCallAfterADatabaseRestartSucceeds) {
  v1::ListOrganizationsResponse response;
  ASSERT_TRUE(ListTowns("membership", &response).ok());
  ASSERT_TRUE(ListTowns("gateway", &response).ok());
  ASSERT_TRUE(stack_->database().Restart().ok());
  grpc::Status direct = ListTowns("membership", &response);
  EXPECT_TRUE(direct.ok()) << direct.error_message();
  ASSERT_TRUE(stack_->database().Restart().ok());
  grpc::Status forwarded = ListTowns("gateway", &response);
  EXPECT_TRUE(forwarded.ok()) << forwarded.error_message();
}

TEST_F(StackTest, BadConfigurationRefusesToStartWithOneLine) {
  std::string log = state_dir_ + "/logs/bad-config.log";
  auto process = devstack::Subprocess::Start(
      {Env("GRIDSERVE_BUILD_DIR") + "/services/membership/gridserve-membership", "--pool_size=0",
       "--database_url=host=/nonexistent", "--token_key_file=" + stack_->token_key_file(),
       "--pii_key_file=" + stack_->pii_key_file()},
      {{"PATH", "/usr/bin:/bin"}}, log);
  ASSERT_TRUE(process.ok());
  EXPECT_EQ(process->Wait(), 2);
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> lines = absl::StrSplit(text.str(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 1u) << text.str();
  EXPECT_EQ(lines[0], "membership: --pool_size=0 must be a whole number from 1 to 256");
}

TEST_F(StackTest, NotServingUntilTheDatabaseIsReachable) {
  std::string port_file = state_dir_ + "/run/unreachable.addr";
  auto process = devstack::Subprocess::Start(
      {Env("GRIDSERVE_BUILD_DIR") + "/services/membership/gridserve-membership", "--listen=127.0.0.1:0",
       "--database_url=host=" + state_dir_ + "/no-such-socket-dir dbname=gridserve user=membership",
       "--token_key_file=" + stack_->token_key_file(), "--pii_key_file=" + stack_->pii_key_file(),
       "--port_file=" + port_file},
      {{"PATH", "/usr/bin:/bin"}}, state_dir_ + "/logs/unreachable.log");
  ASSERT_TRUE(process.ok());
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (!std::filesystem::exists(port_file) && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  std::ifstream in(port_file);
  std::string address;
  in >> address;
  ASSERT_FALSE(address.empty());
  auto status = grpc::health::v1::HealthCheckResponse::UNKNOWN;
  while (absl::Now() < deadline && status == grpc::health::v1::HealthCheckResponse::UNKNOWN) status = Health(address);
  EXPECT_EQ(status, grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_TRUE(process->Running()) << "keeps retrying the database instead of exiting";
  EXPECT_EQ(process->Stop(SIGTERM, absl::Seconds(10)), 0) << "SIGTERM shuts down cleanly";
}

}  // namespace
}  // namespace gridserve
