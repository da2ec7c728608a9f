#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/token.h"
#include "tools/devstack/pg_cluster.h"
#include "tools/devstack/subprocess.h"
#include "tools/devstack/tls.h"

namespace gridserve::devstack {

// The whole suite on this machine: a PostgreSQL cluster, the four backends and
// the gateway as real processes on 127.0.0.1. Used by `tools/dev up`, by the
// e2e tests (random ports, throwaway database) and by `devstack run`.
struct StackOptions {
  std::string state_dir;    // holds logs/, run/ (port files), token.key, pii.key, admin.password and, if persistent, pg/
  std::string build_dir;    // binaries at <build_dir>/services/<svc>/gridserve-<svc>
  std::string source_dir;   // repository root (for deploy/postgres/bootstrap.sql)
  int gateway_port = 0;     // 0: a free port
  int backend_base_port = 0;  // 0: free ports; else membership base+1, grid_assignment base+2, ...
  bool persistent_database = false;  // keep the cluster under <state_dir>/pg
  // The gateway also listens with TLS on a free port (certificates under
  // <state_dir>/tls, see tls.h), asking for client certificates and
  // accepting the registered development client.
  bool gateway_tls = true;
  // Extra flags for the gateway, e.g. {"--rate_limit_per_principal=5"}.
  std::vector<std::string> gateway_flags;
  // Extra flags for every replica of a backend, e.g. {"membership", {"--max_stream_idle_seconds=2"}}.
  std::map<std::string, std::vector<std::string>> backend_flags;
  // Replicas of a backend (default 1): {"membership", 2} starts processes
  // "membership" and "membership-2", and the gateway's --peers lists both.
  std::map<std::string, int> replicas;
  // Another binary for a process ("gateway", "membership", ...), e.g. the
  // benchmark-only builds of tools/bench.
  std::map<std::string, std::string> binaries;
  // Delete state_dir when the stack stops (throwaway stacks of tests).
  bool remove_state_dir = false;
};

// Options for the stack of one e2e test binary run by ctest: state under a
// fresh temporary folder "<name>-<pid>", removed when the stack stops;
// binaries and sources from GRIDSERVE_BUILD_DIR and GRIDSERVE_SOURCE_DIR.
StackOptions TestStackOptions(const std::string& name);

class Stack {
 public:
  static const std::vector<std::string>& BackendNames();

  static absl::StatusOr<std::unique_ptr<Stack>> Start(StackOptions options);
  ~Stack();

  // host:port of "gateway" or a backend's process ("membership", "membership-2").
  std::string address(const std::string& process) const;
  // The processes of a backend: "membership", then "membership-2", ...
  std::vector<std::string> ReplicasOf(const std::string& backend) const;
  // host:port of the gateway's TLS listener ("" without StackOptions::gateway_tls).
  std::string tls_address() const { return tls_address_; }
  // The certificates and the client registry (empty without gateway_tls).
  const TlsFiles& tls() const { return tls_; }
  std::string MintToken(const std::string& subject, const std::vector<RoleBinding>& bindings,
                        absl::Duration ttl = absl::Hours(12)) const;
  // A district administrator over 500114 (黔江区), for development.
  std::string AdminToken() const;
  const std::string& token_key_file() const { return token_key_file_; }
  // membership's --pii_key_file (national ids sealed at rest), made once under state_dir.
  const std::string& pii_key_file() const { return pii_key_file_; }
  // The gateway creates this DISTRICT_ADMIN over 500114 at start-up when no
  // account exists; the password is random, kept in <state_dir>/admin.password.
  static constexpr char kBootstrapAdminLogin[] = "admin";
  const std::string& admin_password_file() const { return admin_password_file_; }
  std::string AdminPassword() const;
  std::string log_path(const std::string& process) const;

  // Stops one process (SIGTERM, waiting for it to exit) or starts it again on the same port.
  absl::Status StopProcess(const std::string& process);
  // Sends `signal` to one process and returns at once (e.g. SIGTERM while calls run, SIGKILL).
  absl::Status Signal(const std::string& process, int signal);
  absl::Status StartProcess(const std::string& process);
  PgCluster& database() { return *database_; }
  // Process id of "gateway" or a backend (-1 if not running).
  int pid(const std::string& process) const;

 private:
  Stack(StackOptions options, TokenCodec tokens) : options_(std::move(options)), tokens_(std::move(tokens)) {}
  absl::Status Launch(const std::string& process, int port);
  absl::Status WaitUntilServing(const std::string& process, absl::Duration timeout);

  StackOptions options_;
  TokenCodec tokens_;
  std::string token_key_file_;
  std::string pii_key_file_;
  std::string admin_password_file_;
  std::unique_ptr<PgCluster> database_;
  std::map<std::string, Subprocess> processes_;
  std::map<std::string, std::string> addresses_;
  TlsFiles tls_;
  std::string tls_address_;
};

}  // namespace gridserve::devstack
