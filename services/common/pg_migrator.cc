#include "common/pg_migrator.h"

#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/pg_pool.h"
#include "pqxx/pqxx"
#include "common/sha256.h"

namespace gridserve {
namespace {

absl::Status Migrate(pqxx::connection& connection, const std::string& schema,
                     std::span<const SqlFile> migrations) {
  pqxx::nontransaction session(connection);
  const std::string lock_key = "gridserve.migrations." + schema;
  session.exec_params("SELECT pg_advisory_lock(hashtext($1))", lock_key);
  if (session.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1", schema).empty()) {
    session.exec0("CREATE SCHEMA " + session.quote_name(schema));
  }
  session.exec0("SET search_path TO " + session.quote_name(schema));
  session.exec0(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " name text PRIMARY KEY, checksum text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())");
  std::map<std::string, std::string> applied;
  for (const auto& row : session.exec("SELECT name, checksum FROM schema_migrations")) {
    applied[row[0].as<std::string>()] = row[1].as<std::string>();
  }
  session.commit();

  for (const SqlFile& migration : migrations) {
    std::string name(migration.name);
    std::string checksum = Sha256Hex(migration.text);
    if (auto it = applied.find(name); it != applied.end()) {
      if (it->second != checksum) {
        return absl::FailedPreconditionError(absl::StrCat(
            "migration ", name, " in schema ", schema,
            " was changed after it was applied; add a new migration instead of editing an old one"));
      }
      continue;
    }
    pqxx::work transaction(connection);
    transaction.exec(std::string(migration.text));
    transaction.exec_params("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", name, checksum);
    transaction.commit();
    Log(LogLevel::kInfo, "migration applied", {{"schema", schema}, {"migration", name}});
  }
  pqxx::nontransaction unlock(connection);
  unlock.exec_params("SELECT pg_advisory_unlock(hashtext($1))", lock_key);
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyMigrations(const std::string& url, const std::string& schema,
                             std::span<const SqlFile> migrations) {
  try {
    pqxx::connection connection(WithConnectTimeout(url, 5));
    return Migrate(connection, schema, migrations);
  } catch (const std::exception& error) {
    return StatusFromDatabaseError(error);
  }
}

}  // namespace gridserve
