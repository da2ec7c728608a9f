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
#include "grpcpp/security/credentials.h"
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

// A self-signed certificate for localhost/127.0.0.1, its key, and another key.
constexpr char kServerCertificate[] = R"(-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUE4MPVXzHnCqjSm7e/9pw2vSBVNEwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyODAxNDgzOVoYDzIxMjYxMTA0
MDE0ODM5WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQ/jVWeogMAYB05vup52aUn7+VF7IXM4gfs5B9IBR5IHi76TfUmCDmL
1kBUlFfPqRQjnkMf3euVNHBFPkyoqF5eo28wbTAdBgNVHQ4EFgQUap57ZDFQWRWI
tJqj8L+nOKCmITMwHwYDVR0jBBgwFoAUap57ZDFQWRWItJqj8L+nOKCmITMwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSAAwRQIhAIbANbXGGUF0srMjzQYw4mpPhwxLuZ1AHcDNUtkjtwPnAiBt
Ur7uS2UaogZSX+LZWqHWszpCmlu2RIgVBEQFQtP4Sg==
-----END CERTIFICATE-----
)";
constexpr char kServerKey[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjZGEd2BUSKR1cwJt
wx12Yyp6mr+ZX2VGbwncRC9SCnehRANCAAQ/jVWeogMAYB05vup52aUn7+VF7IXM
4gfs5B9IBR5IHi76TfUmCDmL1kBUlFfPqRQjnkMf3euVNHBFPkyoqF5e
-----END PRIVATE KEY-----
)";
constexpr char kOtherKey[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzv4Ay35PmHgs6rJK
D/kz1Z6epugqRxuZU1wAH8Yl0oKhRANCAAQRSVa8uDAa1bfc02B9L8CqDgfVWU9G
bi53/8oK5p58hkO+NbvolhidUE5kkxWyoEO2Q9aooyEPLB8T40W9x7Ar
-----END PRIVATE KEY-----
)";

class TlsSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tls-settings-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ + "/server.crt") << kServerCertificate;
    std::ofstream(dir_ + "/server.key") << kServerKey;
    std::ofstream(dir_ + "/other.key") << kOtherKey;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  absl::StatusOr<ServerSettings> Parse(std::vector<std::string> args) {
    Flags flags = StandardFlags("test", 50099);
    args.insert(args.begin(), {"test", "--token_key_file=/k"});
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    absl::Status parsed = flags.Parse(static_cast<int>(argv.size()), argv.data(),
                                      [](const std::string&) { return std::nullopt; });
    if (!parsed.ok()) return parsed;
    return SettingsFromFlags("test", flags, false);
  }
  std::string dir_;
};

TEST_F(TlsSettingsTest, ReadsMatchingCertificateAndKey) {
  auto settings = Parse({"--tls_listen=127.0.0.1:0", "--tls_cert_file=" + dir_ + "/server.crt",
                         "--tls_key_file=" + dir_ + "/server.key", "--tls_client_ca_file=" + dir_ + "/server.crt",
                         "--max_concurrent_streams=7"});
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->tls_cert_pem, kServerCertificate);
  EXPECT_EQ(settings->tls_key_pem, kServerKey);
  EXPECT_EQ(settings->tls_client_ca_pem, kServerCertificate);
  EXPECT_EQ(settings->max_concurrent_streams, 7);
  auto plain = Parse({});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_TRUE(plain->tls_listen.empty());
  // Issue 8: a backend's connections come from gateway replicas, each carrying
  // all it forwards; the gateway's come from callers.
  EXPECT_EQ(plain->max_concurrent_streams, 1000);
  Flags gateway_flags = StandardFlags("gateway", 50051);
  const char* args[] = {"gateway", "--token_key_file=/dev/null"};
  ASSERT_TRUE(gateway_flags.Parse(2, args, [](const std::string&) { return std::nullopt; }).ok());
  absl::StatusOr<ServerSettings> gateway = SettingsFromFlags("gateway", gateway_flags, false);
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  EXPECT_EQ(gateway->max_concurrent_streams, 100);
  EXPECT_EQ(gateway->max_connection_age_seconds, 120);
}

TEST_F(TlsSettingsTest, BadConfigurationIsOneLineNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  } cases[] = {
      {{"--tls_cert_file=" + dir_ + "/server.crt"}, "--tls_cert_file is set but --tls_listen is not"},
      {{"--tls_listen=127.0.0.1:0"}, "--tls_listen needs --tls_cert_file and --tls_key_file"},
      {{"--tls_listen=nope", "--tls_cert_file=a", "--tls_key_file=b"}, "--tls_listen=nope must look like host:port"},
      {{"--tls_listen=127.0.0.1:0", "--tls_cert_file=" + dir_ + "/missing.crt", "--tls_key_file=" + dir_ + "/server.key"},
       "--tls_cert_file=" + dir_ + "/missing.crt: cannot read the file"},
      {{"--tls_listen=127.0.0.1:0", "--tls_cert_file=" + dir_ + "/server.key", "--tls_key_file=" + dir_ + "/server.key"},
       "holds no PEM certificate"},
      {{"--tls_listen=127.0.0.1:0", "--tls_cert_file=" + dir_ + "/server.crt", "--tls_key_file=" + dir_ + "/server.crt"},
       "holds no unencrypted PEM private key"},
      {{"--tls_listen=127.0.0.1:0", "--tls_cert_file=" + dir_ + "/server.crt", "--tls_key_file=" + dir_ + "/other.key"},
       "is not the key of the certificate"},
      {{"--tls_listen=127.0.0.1:0", "--tls_cert_file=" + dir_ + "/server.crt", "--tls_key_file=" + dir_ + "/server.key",
        "--tls_client_ca_file=" + dir_ + "/server.key"},
       "--tls_client_ca_file=" + dir_ + "/server.key holds no PEM certificate"},
      {{"--max_concurrent_streams=0"}, "max_concurrent_streams"},
  };
  for (const Case& c : cases) {
    auto settings = Parse(c.args);
    EXPECT_EQ(settings.status().code(), absl::StatusCode::kInvalidArgument) << c.expected;
    EXPECT_NE(settings.status().message().find(c.expected), absl::string_view::npos) << settings.status();
    EXPECT_EQ(settings.status().message().find('\n'), absl::string_view::npos);
  }
}

TEST_F(RunServerTest, ServesTheSameServicesOverTls) {
  std::string dir = std::filesystem::temp_directory_path() / ("run-server-tls-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  SlowService service(absl::ZeroDuration());
  ServerParts parts{.services = {&service}, .prepare = [] { return absl::OkStatus(); }};
  ServerSettings settings = Settings();
  settings.tls_listen = "127.0.0.1:0";
  settings.tls_cert_pem = kServerCertificate;
  settings.tls_key_pem = kServerKey;
  settings.tls_port_file = dir + "/tls.addr";
  int exit_code = -1;
  std::thread server([&] { exit_code = RunServer(settings, parts); });
  ASSERT_FALSE(WaitForAddress().empty());
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!std::filesystem::exists(settings.tls_port_file) && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(10));
  std::string tls_address;
  std::ifstream(settings.tls_port_file) >> tls_address;
  ASSERT_FALSE(tls_address.empty());

  grpc::SslCredentialsOptions options;
  options.pem_root_certs = kServerCertificate;
  auto stub = gateway::v1::AuthService::NewStub(grpc::CreateChannel(tls_address, grpc::SslCredentials(options)));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  gateway::v1::WhoAmIResponse response;
  grpc::Status status = stub->WhoAmI(&context, {}, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.principal().subject(), "answered");
  // Plain text on the TLS port does not get through.
  auto plain = gateway::v1::AuthService::NewStub(grpc::CreateChannel(tls_address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext plain_context;
  plain_context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
  EXPECT_FALSE(plain->WhoAmI(&plain_context, {}, &response).ok());
  kill(getpid(), SIGTERM);
  server.join();
  EXPECT_EQ(exit_code, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gridserve
