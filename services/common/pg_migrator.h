#pragma once

#include <span>
#include <string>

#include "absl/status/status.h"
#include "common/embedded_sql.h"

namespace gridserve {

// Brings `schema` up to date with `migrations` (applied in order, each in its
// own transaction, recorded with a checksum in <schema>.schema_migrations).
// Holds a PostgreSQL advisory lock while it works, so replicas starting
// together apply each migration once. Creates the schema if it is missing.
// FAILED_PRECONDITION if an applied migration's text has changed since.
absl::Status ApplyMigrations(const std::string& url, const std::string& schema,
                             std::span<const SqlFile> migrations);

}  // namespace gridserve
