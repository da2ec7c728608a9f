// RunServer as a real server on loopback: health follows readiness, and
// SIGTERM drains in-flight calls.
#include "common/server.h"

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gridserve/gateway/v1/auth.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"

namespace gridserve {
namespace {

namespace health = grpc::health::v1;

// WhoAmI that takes `delay` to answer.
class SlowService final : public gateway::v1::AuthService::Service {
 public:
  explicit SlowService(absl::Duration delay) : delay_(delay) {}
  grpc::Status WhoAmI(grpc::ServerContext*, const gateway::v1::WhoAmIRequest*,
                      gateway::v1::WhoAmIResponse* response) override {
    entered.set_value();
    absl::SleepFor(delay_);
    response->mutable_principal()->set_subject("answered");
    return grpc::Status::OK;
  }
  std::promise<void> entered;

 private:
  absl::Duration delay_;
};

class RunServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BlockTerminationSignals();  // before gRPC starts threads, as main() does
    port_file_ = std::filesystem::temp_directory_path() / ("run-server-test-" + std::to_string(getpid()));
    std::filesystem::remove(port_file_);
  }
  void TearDown() override { std::filesystem::remove(port_file_); }

  std::string WaitForAddress() {
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (!std::filesystem::exists(port_file_) && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(10));
    std::ifstream in(port_file_);
    std::string address;
    in >> address;
    return address;
  }
  static health::HealthCheckResponse::ServingStatus Health(const std::string& address) {
    auto stub = health::Health::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    health::HealthCheckResponse response;
    if (!stub->Check(&context, {}, &response).ok()) return health::HealthCheckResponse::UNKNOWN;
    return response.status();
  }
  ServerSettings Settings() {
    ServerSettings settings;
    settings.service = "test";
    settings.listen = "127.0.0.1:0";
    settings.port_file = port_file_;
    settings.shutdown_grace_seconds = 5;
    return settings;
  }

  std::string port_file_;
};

TEST_F(RunServerTest, NotServingUntilPreparedThenServing) {
  SlowService service(absl::ZeroDuration());
  std::promise<void> allow_ready;
  std::shared_future<void> ready = allow_ready.get_future().share();
  std::atomic<int> attempts{0};
  ServerParts parts{.services = {&service}, .prepare = [&]() -> absl::Status {
                      ++attempts;
                      if (ready.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
                        return absl::UnavailableError("database not reachable yet");
                      }
                      return absl::OkStatus();
                    }};
  int exit_code = -1;
  std::thread server([&] { exit_code = RunServer(Settings(), parts); });
  std::string address = WaitForAddress();
  ASSERT_FALSE(address.empty());
  while (attempts < 2) absl::SleepFor(absl::Milliseconds(10));
  EXPECT_EQ(Health(address), health::HealthCheckResponse::NOT_SERVING) << "prepare has not succeeded yet";
  allow_ready.set_value();
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Health(address) != health::HealthCheckResponse::SERVING && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(Health(address), health::HealthCheckResponse::SERVING);
  kill(getpid(), SIGTERM);
  server.join();
  EXPECT_EQ(exit_code, 0);
}

TEST_F(RunServerTest, SigtermReportsNotServingAndDrainsInFlightCalls) {
  SlowService service(absl::Milliseconds(800));
  ServerParts parts{.services = {&service}, .prepare = [] { return absl::OkStatus(); }};
  ServerSettings settings = Settings();
  settings.drain_delay_ms = 400;
  int exit_code = -1;
  std::thread server([&] { exit_code = RunServer(settings, parts); });
  std::string address = WaitForAddress();
  ASSERT_FALSE(address.empty());
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Health(address) != health::HealthCheckResponse::SERVING && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }

  auto in_flight = std::async(std::launch::async, [&] {
    auto stub = gateway::v1::AuthService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    gateway::v1::WhoAmIResponse response;
    grpc::Status status = stub->WhoAmI(&context, {}, &response);
    return status.ok() ? response.principal().subject() : status.error_message();
  });
  service.entered.get_future().wait();
  kill(getpid(), SIGTERM);
  absl::SleepFor(absl::Milliseconds(100));  // inside the 400 ms drain delay
  EXPECT_EQ(Health(address), health::HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(in_flight.get(), "answered") << "the call that was in flight when SIGTERM came completes";
  server.join();
  EXPECT_EQ(exit_code, 0);
}

}  // namespace
}  // namespace gridserve
