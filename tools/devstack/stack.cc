#include "tools/devstack/stack.h"

#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "common/files.h"

namespace gridserve::devstack {
namespace fs = std::filesystem;
namespace {

// 32 random bytes as 64 hex characters, written once (the token key, the PII key).
absl::StatusOr<std::string> EnsureHexKey(const std::string& path) {
  if (!fs::exists(path)) {
    std::random_device random;
    std::string bytes;
    for (int i = 0; i < 32; ++i) bytes.push_back(static_cast<char>(random() & 0xff));
    std::ofstream out(path);
    out << absl::BytesToHexString(bytes) << "\n";
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  }
  return path;
}

// A random password for the bootstrap administrator, written once.
absl::StatusOr<std::string> EnsureAdminPassword(const std::string& path) {
  if (!fs::exists(path)) {
    std::random_device random;
    std::string bytes;
    for (int i = 0; i < 12; ++i) bytes.push_back(static_cast<char>(random() & 0xff));
    std::ofstream out(path);
    out << absl::BytesToHexString(bytes) << "\n";
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  }
  return path;
}

// "membership-2" -> "membership": the service a replica's process runs.
std::string ServiceOf(const std::string& process) {
  size_t dash = process.rfind('-');
  if (dash == std::string::npos || dash + 1 == process.size()) return process;
  for (size_t i = dash + 1; i < process.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(process[i]))) return process;
  }
  return process.substr(0, dash);
}

std::string LogTail(const std::string& path) {
  std::string text = ReadFile(path).value_or("");
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

}  // namespace

const std::vector<std::string>& Stack::BackendNames() {
  static const std::vector<std::string> names = {"membership", "grid_assignment", "activity_tracking", "evaluation"};
  return names;
}

absl::StatusOr<std::unique_ptr<Stack>> Stack::Start(StackOptions options) {
  fs::create_directories(options.state_dir + "/logs");
  fs::create_directories(options.state_dir + "/run");
  auto key_file = EnsureHexKey(options.state_dir + "/token.key");
  if (!key_file.ok()) return key_file.status();
  auto tokens = TokenCodec::FromKeyFile(*key_file);
  if (!tokens.ok()) return tokens.status();
  std::unique_ptr<Stack> stack(new Stack(options, *std::move(tokens)));
  stack->token_key_file_ = *key_file;
  // Kept with the persistent database: a new key could not open the ids sealed with the old one.
  auto pii_key_file = EnsureHexKey(options.state_dir + "/pii.key");
  if (!pii_key_file.ok()) return pii_key_file.status();
  stack->pii_key_file_ = *pii_key_file;
  if (options.gateway_tls) {
    auto tls = EnsureTlsFiles(options.state_dir + "/tls", options.state_dir + "/logs/openssl.log");
    if (!tls.ok()) return tls.status();
    stack->tls_ = *std::move(tls);
  }
  auto password_file = EnsureAdminPassword(options.state_dir + "/admin.password");
  if (!password_file.ok()) return password_file.status();
  stack->admin_password_file_ = *password_file;

  PgCluster::Options database_options;
  if (options.persistent_database) database_options.root_dir = options.state_dir + "/pg";
  auto database = PgCluster::Start(database_options);
  if (!database.ok()) return database.status();
  stack->database_ = *std::move(database);
  std::string bootstrap = ReadFile(options.source_dir + "/deploy/postgres/bootstrap.sql").value_or("");
  if (bootstrap.empty()) return absl::NotFoundError("deploy/postgres/bootstrap.sql missing or empty");
  if (absl::Status status = stack->database_->Execute(bootstrap); !status.ok()) return status;

  int index = 1;
  for (const std::string& backend : BackendNames()) {
    int port = options.backend_base_port == 0 ? 0 : options.backend_base_port + index;
    ++index;
    for (const std::string& replica : stack->ReplicasOf(backend)) {
      // Further replicas of a backend take free ports.
      if (absl::Status status = stack->Launch(replica, replica == backend ? port : 0); !status.ok()) return status;
    }
  }
  if (absl::Status status = stack->Launch("gateway", options.gateway_port); !status.ok()) return status;
  for (const std::string& backend : BackendNames()) {
    for (const std::string& replica : stack->ReplicasOf(backend)) {
      if (absl::Status status = stack->WaitUntilServing(replica, absl::Seconds(60)); !status.ok()) return status;
    }
  }
  if (absl::Status status = stack->WaitUntilServing("gateway", absl::Seconds(30)); !status.ok()) return status;
  return stack;
}

Stack::~Stack() {
  if (auto gateway = processes_.find("gateway"); gateway != processes_.end()) {
    gateway->second.Stop(SIGTERM, absl::Seconds(10));
  }
  for (auto& [name, process] : processes_) process.Stop(SIGTERM, absl::Seconds(10));
  processes_.clear();
  database_.reset();
  if (options_.remove_state_dir) {
    std::error_code ignored;
    fs::remove_all(options_.state_dir, ignored);
  }
}

StackOptions TestStackOptions(const std::string& name) {
  auto env = [](const char* variable) {
    const char* value = std::getenv(variable);
    return std::string(value == nullptr ? "" : value);
  };
  return {.state_dir = fs::temp_directory_path() / absl::StrCat(name, "-", getpid()),
          .build_dir = env("GRIDSERVE_BUILD_DIR"),
          .source_dir = env("GRIDSERVE_SOURCE_DIR"),
          .remove_state_dir = true};
}

std::vector<std::string> Stack::ReplicasOf(const std::string& backend) const {
  auto count = options_.replicas.find(backend);
  int replicas = count == options_.replicas.end() ? 1 : std::max(1, count->second);
  std::vector<std::string> names = {backend};
  for (int i = 2; i <= replicas; ++i) names.push_back(absl::StrCat(backend, "-", i));
  return names;
}

std::string Stack::address(const std::string& process) const {
  auto it = addresses_.find(process);
  return it == addresses_.end() ? "" : it->second;
}

std::string Stack::log_path(const std::string& process) const {
  return absl::StrCat(options_.state_dir, "/logs/", process, ".log");
}

std::string Stack::MintToken(const std::string& subject, const std::vector<RoleBinding>& bindings,
                             absl::Duration ttl) const {
  return tokens_.Sign({.subject = subject, .bindings = bindings, .expires_at = absl::ToUnixSeconds(absl::Now() + ttl)});
}

std::string Stack::AdminPassword() const {
  return std::string(absl::StripAsciiWhitespace(ReadFile(admin_password_file_).value_or("")));
}

std::string Stack::AdminToken() const {
  return MintToken("dev-admin", {{"DISTRICT_ADMIN", "500114000000"}});
}

absl::Status Stack::Launch(const std::string& process, int port) {
  const std::string service = ServiceOf(process);
  auto replaced = options_.binaries.find(service);
  std::string binary = replaced != options_.binaries.end()
                           ? replaced->second
                           : absl::StrCat(options_.build_dir, "/services/", service, "/gridserve-", service);
  std::string port_file = absl::StrCat(options_.state_dir, "/run/", process, ".addr");
  std::string tls_port_file = absl::StrCat(options_.state_dir, "/run/", process, ".tls.addr");
  fs::remove(port_file);
  fs::remove(tls_port_file);
  std::vector<std::string> argv = {binary,
                                   absl::StrCat("--listen=127.0.0.1:", port),
                                   "--token_key_file=" + token_key_file_,
                                   "--port_file=" + port_file,
                                   "--shutdown_grace_seconds=5"};
  argv.push_back("--database_url=" + database_->Url(service));
  if (service == "membership") argv.push_back("--pii_key_file=" + pii_key_file_);
  if (auto extra = options_.backend_flags.find(service); extra != options_.backend_flags.end()) {
    argv.insert(argv.end(), extra->second.begin(), extra->second.end());
  }
  if (process == "gateway") {
    std::vector<std::string> peers;
    for (const std::string& backend : BackendNames()) {
      for (const std::string& replica : ReplicasOf(backend)) peers.push_back(backend + "=" + addresses_[replica]);
    }
    argv.push_back("--peers=" + absl::StrJoin(peers, ","));
    if (options_.gateway_tls) {
      // The TLS port is kept across restarts like the main one.
      int tls_port = tls_address_.empty() ? 0 : std::stoi(tls_address_.substr(tls_address_.rfind(':') + 1));
      argv.push_back(absl::StrCat("--tls_listen=127.0.0.1:", tls_port));
      argv.push_back("--tls_cert_file=" + tls_.server_cert);
      argv.push_back("--tls_key_file=" + tls_.server_key);
      argv.push_back("--tls_client_ca_file=" + tls_.ca_cert);
      argv.push_back("--tls_port_file=" + tls_port_file);
      argv.push_back("--client_certificates_file=" + tls_.registry);
    }
    argv.insert(argv.end(), options_.gateway_flags.begin(), options_.gateway_flags.end());
    argv.push_back("--bootstrap_admin_password_file=" + admin_password_file_);
  }
  std::map<std::string, std::string> env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"LANG", "C.UTF-8"}};
  auto child = Subprocess::Start(argv, env, log_path(process));
  if (!child.ok()) return child.status();
  processes_.erase(process);
  processes_.emplace(process, *std::move(child));
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!fs::exists(port_file)) {
    if (!processes_.at(process).Running() || absl::Now() > deadline) {
      return absl::UnavailableError(absl::StrCat(process, " did not start; its log says:\n", LogTail(log_path(process))));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  addresses_[process] = std::string(absl::StripAsciiWhitespace(ReadFile(port_file).value_or("")));
  if (process == "gateway" && options_.gateway_tls) {
    // RunServer writes the TLS port file right after the main one.
    while (!fs::exists(tls_port_file)) {
      if (!processes_.at(process).Running() || absl::Now() > deadline) {
        return absl::UnavailableError(absl::StrCat("gateway did not open its TLS listener; its log says:\n", LogTail(log_path(process))));
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    tls_address_ = std::string(absl::StripAsciiWhitespace(ReadFile(tls_port_file).value_or("")));
  }
  return absl::OkStatus();
}

absl::Status Stack::WaitUntilServing(const std::string& process, absl::Duration timeout) {
  auto channel = grpc::CreateChannel(address(process), grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  absl::Time deadline = absl::Now() + timeout;
  std::string last = "no answer";
  while (absl::Now() < deadline) {
    if (!processes_.at(process).Running()) {
      return absl::UnavailableError(absl::StrCat(process, " exited; its log says:\n", LogTail(log_path(process))));
    }
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, request, &response);
    if (status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return absl::OkStatus();
    }
    last = status.ok() ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())
                       : status.error_message();
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(absl::StrCat(process, " not SERVING after ", absl::FormatDuration(timeout), " (", last, "); log:\n", LogTail(log_path(process))));
}

int Stack::pid(const std::string& process) const {
  auto it = processes_.find(process);
  return it == processes_.end() ? -1 : it->second.pid();
}

absl::Status Stack::StopProcess(const std::string& process) {
  auto it = processes_.find(process);
  if (it == processes_.end()) return absl::NotFoundError(process);
  it->second.Stop(SIGTERM, absl::Seconds(10));
  return absl::OkStatus();
}

absl::Status Stack::Signal(const std::string& process, int signal) {
  int id = pid(process);
  if (id <= 0) return absl::NotFoundError(process);
  if (kill(id, signal) != 0) return absl::InternalError(absl::StrCat("cannot signal ", process));
  return absl::OkStatus();
}

absl::Status Stack::StartProcess(const std::string& process) {
  std::string current = address(process);
  int port = std::stoi(current.substr(current.rfind(':') + 1));
  if (absl::Status status = Launch(process, port); !status.ok()) return status;
  return WaitUntilServing(process, absl::Seconds(30));
}

}  // namespace gridserve::devstack
