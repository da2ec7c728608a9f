#include "tests/support/pg_test_schema.h"

#include <atomic>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/pg_migrator.h"

namespace gridserve::testing {

absl::StatusOr<devstack::PgCluster*> SharedCluster() {
  static absl::StatusOr<std::unique_ptr<devstack::PgCluster>>* cluster =
      new absl::StatusOr<std::unique_ptr<devstack::PgCluster>>(devstack::PgCluster::Start({}));
  static const bool stop_at_exit = [] {
    std::atexit([] { delete cluster; });
    return true;
  }();
  (void)stop_at_exit;
  if (!cluster->ok()) return cluster->status();
  return cluster->value().get();
}

std::string NewSchemaName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return absl::StrCat(prefix, "_", ++counter);
}

absl::Status TestSchema::Execute(const std::string& sql) const {
  return cluster->Execute(absl::StrCat("SET search_path TO ", name, "; ", sql));
}

absl::StatusOr<TestSchema> MakeTestSchema(const std::string& prefix, std::span<const SqlFile> migrations,
                                          std::span<const SqlFile> queries, int max_connections) {
  absl::StatusOr<devstack::PgCluster*> cluster = SharedCluster();
  if (!cluster.ok()) return cluster.status();
  TestSchema schema;
  schema.cluster = *cluster;
  schema.name = NewSchemaName(prefix);
  schema.url = schema.cluster->Url();
  if (absl::Status status = ApplyMigrations(schema.url, schema.name, migrations); !status.ok()) return status;
  schema.pool = std::make_unique<PgPool>(PgPool::Options{.url = schema.url,
                                                         .schema = schema.name,
                                                         .application_name = "gridserve-test",
                                                         .max_connections = max_connections,
                                                         .queries = queries});
  schema.pool->MarkReady();
  return schema;
}

}  // namespace gridserve::testing
