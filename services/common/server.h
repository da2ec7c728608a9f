#pragma once

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/embedded_sql.h"
#include "common/flags.h"
#include "common/peers.h"
#include "common/token.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/impl/service_type.h"

namespace gridserve {

class PgPool;  // common/pg_pool.h

// Settings every GridServe process reads from its flags (and GRIDSERVE_*
// environment overrides).
struct ServerSettings {
  std::string service;
  std::string listen;
  std::string database_url;
  std::string database_schema;
  int pool_size = 8;
  std::string token_key_file;
  std::map<std::string, std::string> peers;
  int shutdown_grace_seconds = 10;
  int drain_delay_ms = 0;  // NOT_SERVING this long before Shutdown starts
  int max_message_bytes = 4 * 1024 * 1024;
  int max_concurrent_streams = 100;  // per connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS)
  // Connections are closed (GOAWAY, in-flight calls finish) after about this
  // long, so clients reconnect and re-resolve: new replicas get calls.
  int max_connection_age_seconds = 120;  // 0: never
  // Caps on the timeouts the protos declare (0: as declared).
  int max_call_seconds = 0;
  int max_stream_idle_seconds = 0;
  std::string port_file;
  // Optional second listener with TLS. With a client CA, client certificates
  // are requested and, when presented, verified against it (a client without
  // one may still connect, e.g. to log in with a password).
  std::string tls_listen;  // "" = no TLS listener
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;  // "" = client certificates are not requested
  std::string tls_port_file;       // if set, the bound TLS host:port is written here
  // The PEM contents of the files above, read and checked by SettingsFromFlags.
  std::string tls_cert_pem;
  std::string tls_key_pem;
  std::string tls_client_ca_pem;
};

// The standard flags, with defaults for `service`.
Flags StandardFlags(const std::string& service, int default_port);

// Validated settings; INVALID_ARGUMENT with one line naming the bad flag.
// The TLS files are read and checked here (certificate and key parse and
// match, the client CA holds a certificate).
absl::StatusOr<ServerSettings> SettingsFromFlags(const std::string& service, const Flags& flags,
                                                 bool needs_database);

// Runs one gRPC server until SIGTERM or SIGINT:
//  - grpc.health.v1 reports NOT_SERVING until `prepare` has succeeded (it is
//    retried with backoff, e.g. while the database is unreachable);
//  - on the signal, health turns NOT_SERVING; after the drain delay (time for
//    load balancers to notice) Shutdown(grace) drains in-flight calls;
//  - keepalive, message size and concurrent stream limits, a JSON log line
//    per call;
//  - the same services on the TLS listener too when settings.tls_listen is set.
// Returns the process exit code.
struct ServerParts {
  std::vector<grpc::Service*> services;
  grpc::CallbackGenericService* generic = nullptr;
  std::function<absl::Status()> prepare;
  const TokenCodec* tokens = nullptr;
};
int RunServer(const ServerSettings& settings, const ServerParts& parts);

// Everything a service needs to build its gRPC services.
struct BackendContext {
  const ServerSettings& settings;
  const Flags& flags;  // the standard flags and the service's own
  PgPool& pool;
  const TokenCodec& tokens;
  PeerChannels& peers;
};

// A service's object graph (stores, rules, gRPC services), built once and
// kept for the life of the process.
class ServiceBundle {
 public:
  virtual ~ServiceBundle() = default;
  virtual std::vector<grpc::Service*> Services() = 0;
  // Serves every method no registered service has (the gateway's forwarding).
  virtual grpc::CallbackGenericService* Generic() { return nullptr; }
  // Runs after the migrations, with the pool ready, before the server turns
  // SERVING (e.g. creating the first account); an error is retried like them.
  virtual absl::Status AfterMigrations() { return absl::OkStatus(); }
};

struct ServiceDefinition {
  std::string name;  // also the default schema and peer name
  int default_port;
  std::span<const SqlFile> migrations;
  std::span<const SqlFile> queries;
  // Flags of this service beyond the standard ones (read them from BackendContext::flags).
  std::function<void(Flags&)> define_flags;
  // Extra start-up checks of the settings; an error stops the process (exit 2).
  std::function<absl::Status(const ServerSettings&)> check_settings;
  // Builds the services; an error (e.g. a bad service-specific flag) stops the process (exit 2).
  std::function<absl::StatusOr<std::unique_ptr<ServiceBundle>>(BackendContext&)> make_services;
};
using BackendDefinition = ServiceDefinition;

// The whole main() of a service: flags, token key, pool, migrations, server.
// Bad configuration prints one line and exits with 2.
int RunService(const ServiceDefinition& definition, int argc, char** argv);

// RunService plus gRPC's standard reflection service (in backend.cc, which
// links gRPC's reflection library; the gateway serves its own reflection).
int RunBackend(const BackendDefinition& definition, int argc, char** argv);

// Blocks SIGINT and SIGTERM in the calling thread and the threads it starts,
// so RunServer can take them with sigwait. Call first thing in main().
void BlockTerminationSignals();

// Prints "<service>: <message>" to stderr and returns exit code 2.
int ConfigError(const std::string& service, const absl::Status& status);

}  // namespace gridserve
