#include "common/server.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/call_log.h"
#include "common/log.h"
#include "common/method_rules.h"
#include "common/pg_migrator.h"
#include "common/pg_pool.h"
#include "common/status_macros.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "common/files.h"

namespace gridserve {
namespace {

sigset_t TerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

absl::Status WritePortFile(const std::string& path, const std::string& address) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    out << address << "\n";
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", temporary));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFlagFile(absl::string_view flag, const std::string& path) {
  std::optional<std::string> contents = ReadFile(path);
  if (!contents) return absl::InvalidArgumentError(absl::StrCat("--", flag, "=", path, ": cannot read the file"));
  return *std::move(contents);
}

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
Bio MemoryBio(const std::string& pem) { return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free); }

// INVALID_ARGUMENT unless --`flag`=`value` looks like host:port.
absl::Status CheckHostPort(absl::string_view flag, const std::string& value, absl::string_view example) {
  std::vector<std::string> host_port = absl::StrSplit(value, absl::MaxSplits(':', 1));
  if (host_port.size() != 2 || host_port[0].empty() || host_port[1].empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, "=", value, " must look like host:port, e.g. ", example));
  }
  return absl::OkStatus();
}

// Reads and checks the TLS files: certificate and key parse and belong
// together, the client CA file holds at least one certificate.
absl::Status LoadTlsFiles(ServerSettings& settings) {
  if (settings.tls_listen.empty()) {
    for (const auto& [flag, value] : {std::pair{"tls_cert_file", settings.tls_cert_file},
                                      {"tls_key_file", settings.tls_key_file},
                                      {"tls_client_ca_file", settings.tls_client_ca_file},
                                      {"tls_port_file", settings.tls_port_file}}) {
      if (!value.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("--", flag, " is set but --tls_listen is not; set --tls_listen=host:port (e.g. 0.0.0.0:50443) or drop the TLS flags"));
      }
    }
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(CheckHostPort("tls_listen", settings.tls_listen, "0.0.0.0:50443"));
  if (settings.tls_listen == settings.listen && !absl::EndsWith(settings.listen, ":0")) {
    return absl::InvalidArgumentError(absl::StrCat("--tls_listen=", settings.tls_listen, " is the same address as --listen; give TLS its own port"));
  }
  if (settings.tls_cert_file.empty() || settings.tls_key_file.empty()) {
    return absl::InvalidArgumentError("--tls_listen needs --tls_cert_file and --tls_key_file (PEM server certificate chain and its private key)");
  }
  auto cert = ReadFlagFile("tls_cert_file", settings.tls_cert_file);
  if (!cert.ok()) return cert.status();
  auto key = ReadFlagFile("tls_key_file", settings.tls_key_file);
  if (!key.ok()) return key.status();
  Bio cert_bio = MemoryBio(*cert);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (certificate == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("--tls_cert_file=", settings.tls_cert_file, " holds no PEM certificate"));
  }
  Bio key_bio = MemoryBio(*key);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> private_key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  if (private_key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("--tls_key_file=", settings.tls_key_file, " holds no unencrypted PEM private key"));
  }
  if (X509_check_private_key(certificate.get(), private_key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(absl::StrCat("--tls_key_file=", settings.tls_key_file, " is not the key of the certificate in --tls_cert_file=", settings.tls_cert_file));
  }
  ERR_clear_error();
  settings.tls_cert_pem = *std::move(cert);
  settings.tls_key_pem = *std::move(key);
  if (!settings.tls_client_ca_file.empty()) {
    auto ca = ReadFlagFile("tls_client_ca_file", settings.tls_client_ca_file);
    if (!ca.ok()) return ca.status();
    Bio ca_bio = MemoryBio(*ca);
    std::unique_ptr<X509, decltype(&X509_free)> ca_certificate(PEM_read_bio_X509(ca_bio.get(), nullptr, nullptr, nullptr), X509_free);
    ERR_clear_error();
    if (ca_certificate == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("--tls_client_ca_file=", settings.tls_client_ca_file, " holds no PEM certificate"));
    }
    settings.tls_client_ca_pem = *std::move(ca);
  }
  return absl::OkStatus();
}

// Whether a failed start-up step may succeed if tried again: the database
// is not up yet, or is restarting. Anything else (an edited migration, SQL
// that fails, a bad setting found late) fails the same way every time.
bool IsTransient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kResourceExhausted:
      return true;
    default:
      return false;
  }
}

// Retries `prepare` with backoff while it fails transiently, until it
// succeeds or `stop` is set. A permanent failure is kept (fatal()) and the
// process is sent SIGTERM, so that RunServer stops and exits with code 2.
class Preparer {
 public:
  Preparer(std::function<absl::Status()> prepare, grpc::Server* server)
      : prepare_(std::move(prepare)), server_(server), thread_([this] { Loop(); }) {}
  ~Preparer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  absl::Status fatal() {
    std::lock_guard lock(mutex_);
    return fatal_;
  }

 private:
  void Loop() {
    absl::Duration backoff = absl::Milliseconds(200);
    while (true) {
      absl::Status status = prepare_ ? prepare_() : absl::OkStatus();
      std::unique_lock lock(mutex_);
      if (stop_) return;
      if (status.ok()) {
        server_->GetHealthCheckService()->SetServingStatus(true);
        Log(LogLevel::kInfo, "serving");
        return;
      }
      if (!IsTransient(status)) {
        fatal_ = status;
        kill(getpid(), SIGTERM);  // RunServer's sigwait takes it
        return;
      }
      Log(LogLevel::kWarning, "not ready yet; will retry",
          {{"error", status.ToString()}, {"retry_in_ms", absl::ToInt64Milliseconds(backoff)}});
      wake_.wait_for(lock, absl::ToChronoNanoseconds(backoff), [this] { return stop_; });
      if (stop_) return;
      backoff = std::min(backoff * 2, absl::Seconds(5));
    }
  }

  std::function<absl::Status()> prepare_;
  grpc::Server* server_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  absl::Status fatal_;
  std::thread thread_;
};

}  // namespace

void BlockTerminationSignals() {
  sigset_t signals = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int ConfigError(const std::string& service, const absl::Status& status) {
  // One line, whatever the message holds (PostgreSQL errors span several).
  std::string message = absl::StrJoin(absl::StrSplit(status.message(), absl::ByAnyChar("\r\n"), absl::SkipWhitespace()), " ");
  std::fprintf(stderr, "%s: %s\n", service.c_str(), message.c_str());
  return 2;
}

Flags StandardFlags(const std::string& service, int default_port) {
  Flags flags;
  flags.Define("listen", absl::StrCat("127.0.0.1:", default_port), "host:port to serve gRPC on (port 0 picks a free port)")
      .Define("database_url", "", "libpq URL or key=value string of this service's database role")
      .Define("database_schema", service, "PostgreSQL schema owned by this service")
      .Define("pool_size", "8", "maximum database connections (1-256)")
      .Define("token_key_file", "", "file with the token signing key(s), one per line, the first signs")
      .Define("peers", "", "peer services as name=host:port,name=host:port")
      .Define("shutdown_grace_seconds", "10", "how long SIGTERM waits for in-flight calls (0-300)")
      .Define("drain_delay_ms", "0", "after SIGTERM, report NOT_SERVING this long before refusing new calls (0-60000)")
      .Define("max_message_bytes", "4194304", "largest request accepted, in bytes (1 KiB-64 MiB)")
      // A backend's clients are the gateway's replicas, each one connection per
      // backend replica carrying everything it forwards; the gateway's clients
      // are callers, each held to its share.
      .Define("max_concurrent_streams", service == "gateway" ? "100" : "1000",
              "calls one client connection may have open at once (1-100000)")
      .Define("max_connection_age_seconds", "120",
              "close client connections after about this long so that clients re-resolve and spread over new "
              "replicas (0: never; in-flight calls finish first)")
      .Define("max_call_seconds", "0", "no call runs longer than this, whatever its proto declares (0: as declared)")
      .Define("max_stream_idle_seconds", "0",
              "a client stream silent this long ends, whatever its proto declares (0: as declared)")
      .Define("port_file", "", "if set, the bound host:port is written here once listening")
      .Define("tls_listen", "", "if set, host:port to serve the same services with TLS on (port 0 picks a free port)")
      .Define("tls_cert_file", "", "PEM server certificate (chain) for --tls_listen")
      .Define("tls_key_file", "", "PEM private key of --tls_cert_file")
      .Define("tls_client_ca_file", "", "PEM CA certificate(s): if set, TLS clients are asked for a certificate, which must chain to them")
      .Define("tls_port_file", "", "if set, the bound TLS host:port is written here once listening");
  return flags;
}

absl::StatusOr<ServerSettings> SettingsFromFlags(const std::string& service, const Flags& flags,
                                                 bool needs_database) {
  ServerSettings settings;
  settings.service = service;
  settings.listen = flags.Get("listen");
  RETURN_IF_ERROR(CheckHostPort("listen", settings.listen, "127.0.0.1:50061"));
  settings.database_url = flags.Get("database_url");
  if (needs_database && settings.database_url.empty()) {
    return absl::InvalidArgumentError("--database_url is required (or GRIDSERVE_DATABASE_URL), e.g. postgresql://membership@127.0.0.1/gridserve");
  }
  settings.database_schema = flags.Get("database_schema");
  auto pool_size = flags.GetInt("pool_size", 1, 256);
  if (!pool_size.ok()) return pool_size.status();
  settings.pool_size = *pool_size;
  settings.token_key_file = flags.Get("token_key_file");
  if (settings.token_key_file.empty()) {
    return absl::InvalidArgumentError("--token_key_file is required (or GRIDSERVE_TOKEN_KEY_FILE): the shared key that verifies callers' tokens");
  }
  auto peers = ParsePeers(flags.Get("peers"));
  if (!peers.ok()) return peers.status();
  settings.peers = *peers;
  auto grace = flags.GetInt("shutdown_grace_seconds", 0, 300);
  if (!grace.ok()) return grace.status();
  settings.shutdown_grace_seconds = *grace;
  auto drain_delay = flags.GetInt("drain_delay_ms", 0, 60000);
  if (!drain_delay.ok()) return drain_delay.status();
  settings.drain_delay_ms = *drain_delay;
  auto max_message = flags.GetInt("max_message_bytes", 1024, 64 * 1024 * 1024);
  if (!max_message.ok()) return max_message.status();
  settings.max_message_bytes = *max_message;
  auto max_streams = flags.GetInt("max_concurrent_streams", 1, 100000);
  if (!max_streams.ok()) return max_streams.status();
  settings.max_concurrent_streams = *max_streams;
  auto max_age = flags.GetInt("max_connection_age_seconds", 0, 86400);
  if (!max_age.ok()) return max_age.status();
  settings.max_connection_age_seconds = *max_age;
  auto max_call = flags.GetInt("max_call_seconds", 0, 86400);
  if (!max_call.ok()) return max_call.status();
  settings.max_call_seconds = *max_call;
  auto max_idle = flags.GetInt("max_stream_idle_seconds", 0, 86400);
  if (!max_idle.ok()) return max_idle.status();
  settings.max_stream_idle_seconds = *max_idle;
  settings.port_file = flags.Get("port_file");
  settings.tls_listen = flags.Get("tls_listen");
  settings.tls_cert_file = flags.Get("tls_cert_file");
  settings.tls_key_file = flags.Get("tls_key_file");
  settings.tls_client_ca_file = flags.Get("tls_client_ca_file");
  settings.tls_port_file = flags.Get("tls_port_file");
  if (absl::Status status = LoadTlsFiles(settings); !status.ok()) return status;
  return settings;
}

int RunServer(const ServerSettings& settings, const ServerParts& parts) {
  BlockTerminationSignals();
  grpc::EnableDefaultHealthCheckService(true);

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(settings.listen, grpc::InsecureServerCredentials(), &port);
  int tls_port = 0;
  if (!settings.tls_listen.empty()) {
    grpc::SslServerCredentialsOptions tls(settings.tls_client_ca_pem.empty()
                                              ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                              : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
    tls.pem_root_certs = settings.tls_client_ca_pem;
    tls.pem_key_cert_pairs.push_back({settings.tls_key_pem, settings.tls_cert_pem});
    builder.AddListeningPort(settings.tls_listen, grpc::SslServerCredentials(tls), &tls_port);
  }
  builder.SetMaxReceiveMessageSize(settings.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, settings.max_concurrent_streams);
  if (settings.max_connection_age_seconds > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, settings.max_connection_age_seconds * 1000);
  }
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  for (grpc::Service* service : parts.services) builder.RegisterService(service);
  if (parts.generic != nullptr) builder.RegisterCallbackGenericService(parts.generic);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(MakeCallLogInterceptorFactory(parts.tokens));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0 || (!settings.tls_listen.empty() && tls_port == 0)) {
    std::string addresses = settings.tls_listen.empty() ? settings.listen : settings.listen + " and " + settings.tls_listen;
    std::fprintf(stderr, "%s: cannot listen on %s (address in use or not local?)\n",
                 settings.service.c_str(), addresses.c_str());
    return 1;
  }
  server->GetHealthCheckService()->SetServingStatus(false);
  std::string host = settings.listen.substr(0, settings.listen.rfind(':'));
  std::string bound = absl::StrCat(host, ":", port);
  Log(LogLevel::kInfo, "listening", {{"address", bound}});
  if (!settings.port_file.empty()) {
    if (absl::Status status = WritePortFile(settings.port_file, bound); !status.ok()) {
      return ConfigError(settings.service, status);
    }
  }
  if (!settings.tls_listen.empty()) {
    std::string tls_bound = absl::StrCat(settings.tls_listen.substr(0, settings.tls_listen.rfind(':')), ":", tls_port);
    Log(LogLevel::kInfo, "listening with TLS",
        {{"address", tls_bound}, {"client_certificates", settings.tls_client_ca_pem.empty() ? "not requested" : "requested, verified"}});
    if (!settings.tls_port_file.empty()) {
      if (absl::Status status = WritePortFile(settings.tls_port_file, tls_bound); !status.ok()) {
        return ConfigError(settings.service, status);
      }
    }
  }

  int signal_number = 0;
  absl::Status fatal;
  {
    Preparer preparer(parts.prepare, server.get());
    sigset_t signals = TerminationSignals();
    sigwait(&signals, &signal_number);
    fatal = preparer.fatal();
  }
  if (!fatal.ok()) {
    // Nothing was served (health never said SERVING): stop at once.
    server->Shutdown(std::chrono::system_clock::now());
    server->Wait();
    return ConfigError(settings.service, fatal);
  }
  Log(LogLevel::kInfo, "shutting down", {{"signal", signal_number},
                                         {"drain_delay_ms", settings.drain_delay_ms},
                                         {"grace_seconds", settings.shutdown_grace_seconds}});
  server->GetHealthCheckService()->SetServingStatus(false);
  absl::SleepFor(absl::Milliseconds(settings.drain_delay_ms));
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(settings.shutdown_grace_seconds));
  server->Wait();
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

int RunService(const ServiceDefinition& definition, int argc, char** argv) {
  BlockTerminationSignals();
  SetLogService(definition.name);
  // Debian builds Abseil with mutex deadlock detection on, which records every
  // lock order of gRPC's mutexes in a graph: measurable on every call.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  Flags flags = StandardFlags(definition.name, definition.default_port);
  if (definition.define_flags) definition.define_flags(flags);
  if (argc == 2 && absl::string_view(argv[1]) == "--help") {
    std::fputs(flags.Usage(definition.name).c_str(), stdout);
    return 0;
  }
  if (absl::Status status = flags.Parse(argc, argv, Flags::ProcessEnv); !status.ok()) {
    return ConfigError(definition.name, status);
  }
  absl::StatusOr<ServerSettings> settings = SettingsFromFlags(definition.name, flags, true);
  if (!settings.ok()) return ConfigError(definition.name, settings.status());
  if (definition.check_settings) {
    if (absl::Status status = definition.check_settings(*settings); !status.ok()) {
      return ConfigError(definition.name, status);
    }
  }
  absl::StatusOr<TokenCodec> tokens = TokenCodec::FromKeyFile(settings->token_key_file);
  if (!tokens.ok()) return ConfigError(definition.name, tokens.status());
  LimitDeclaredTimeouts(absl::Seconds(settings->max_call_seconds), absl::Seconds(settings->max_stream_idle_seconds));
  if (std::vector<std::string> problems = MethodRuleProblems(); !problems.empty()) {
    return ConfigError(definition.name, absl::FailedPreconditionError(absl::StrCat(
                                            "a method's access rule is incomplete in its proto: ", problems.front())));
  }

  PgPool pool({.url = settings->database_url,
               .schema = settings->database_schema,
               .application_name = "gridserve-" + definition.name,
               .max_connections = settings->pool_size,
               .queries = definition.queries});
  PeerChannels peers(settings->peers);
  BackendContext context{*settings, flags, pool, *tokens, peers};
  absl::StatusOr<std::unique_ptr<ServiceBundle>> made = definition.make_services(context);
  if (!made.ok()) return ConfigError(definition.name, made.status());
  std::unique_ptr<ServiceBundle> bundle = *std::move(made);

  ServerParts parts;
  parts.services = bundle->Services();
  parts.generic = bundle->Generic();
  parts.tokens = &*tokens;
  parts.prepare = [&]() -> absl::Status {
    absl::Status status = ApplyMigrations(settings->database_url, settings->database_schema, definition.migrations);
    if (!status.ok()) return status;
    pool.MarkReady();
    return bundle->AfterMigrations();
  };
  return RunServer(*settings, parts);
}

}  // namespace gridserve
