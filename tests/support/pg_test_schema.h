#pragma once

// Integration-test support: one throwaway PostgreSQL cluster per test binary
// and a fresh schema per test, with a service's migrations applied and a
// ready pool that prepares the service's queries.

#include <memory>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "common/embedded_sql.h"
#include "common/pg_pool.h"
#include "tools/devstack/pg_cluster.h"

namespace gridserve::testing {

// The binary's cluster, started on first use and stopped at exit.
absl::StatusOr<devstack::PgCluster*> SharedCluster();

// "<prefix>_<n>": a schema name no other test of this binary uses, for tests
// that set up their schema themselves (those of the pg layer).
std::string NewSchemaName(const std::string& prefix);

struct TestSchema {
  std::string name;                // unique in this binary: "<prefix>_<n>"
  std::string url;                 // superuser on the gridserve database
  std::unique_ptr<PgPool> pool;    // search_path = name, queries prepared, ready
  devstack::PgCluster* cluster = nullptr;

  // Runs `sql` with search_path set to this schema (for test fixtures only).
  absl::Status Execute(const std::string& sql) const;
};

// A new schema with `migrations` applied and a ready pool over `queries`.
absl::StatusOr<TestSchema> MakeTestSchema(const std::string& prefix, std::span<const SqlFile> migrations,
                                          std::span<const SqlFile> queries, int max_connections = 4);

}  // namespace gridserve::testing
