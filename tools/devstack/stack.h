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

namespace gridserve::devstack {

// The whole suite on this machine: a PostgreSQL cluster, the four backends and
// the gateway as real processes on 127.0.0.1. Used by `tools/dev up`, by the
// e2e tests (random ports, throwaway database) and by `devstack run`.
struct StackOptions {
  std::string state_dir;    // holds logs/, run/ (port files), token.key and, if persistent, pg/
  std::string build_dir;    // binaries at <build_dir>/services/<svc>/gridserve-<svc>
  std::string source_dir;   // repository root (for deploy/postgres/bootstrap.sql)
  int gateway_port = 0;     // 0: a free port
  int backend_base_port = 0;  // 0: free ports; else membership base+1, grid_assignment base+2, ...
  bool persistent_database = false;  // keep the cluster under <state_dir>/pg
};

class Stack {
 public:
  static const std::vector<std::string>& BackendNames();

  static absl::StatusOr<std::unique_ptr<Stack>> Start(StackOptions options);
  ~Stack();

  // host:port of "gateway" or a backend.
  std::string address(const std::string& process) const;
  std::string MintToken(const std::string& subject, const std::vector<RoleBinding>& bindings,
                        absl::Duration ttl = absl::Hours(12)) const;
  // A district administrator over 500114 (黔江区), for development.
  std::string AdminToken() const;
  const std::string& token_key_file() const { return token_key_file_; }
  std::string log_path(const std::string& process) const;

  // Stops one process (SIGTERM) or starts it again on the same port.
  absl::Status StopProcess(const std::string& process);
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
  std::unique_ptr<PgCluster> database_;
  std::map<std::string, Subprocess> processes_;
  std::map<std::string, std::string> addresses_;
};

}  // namespace gridserve::devstack
