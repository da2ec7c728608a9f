#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace gridserve::devstack {

// A local PostgreSQL 15 cluster for development and tests: initdb on first
// use, a unix socket in a private temp dir (no TCP), trust authentication.
// As root it runs the server as the `postgres` user (initdb refuses root).
class PgCluster {
 public:
  struct Options {
    // Folder holding data/ and postgres.log; created if missing. Empty: a
    // fresh temp folder, deleted again when the cluster stops.
    std::string root_dir;
  };

  static absl::StatusOr<std::unique_ptr<PgCluster>> Start(Options options);
  ~PgCluster();

  // libpq key/value connection string for `user` on `database`.
  std::string Url(const std::string& user = "postgres", const std::string& database = "gridserve") const;
  // Runs SQL as the superuser on the gridserve database.
  absl::Status Execute(const std::string& sql) const;

  absl::Status Stop();
  absl::Status Restart();
  const std::string& root_dir() const { return root_dir_; }

 private:
  PgCluster() = default;
  absl::Status StartServer();

  std::string root_dir_;
  std::string socket_dir_;
  bool throwaway_ = false;
  bool running_ = false;
};

}  // namespace gridserve::devstack
