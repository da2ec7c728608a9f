#include "gateway/pg_audit_store.h"

#include "absl/strings/str_join.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "pqxx/pqxx"

namespace gridserve::gateway {
namespace {

// Bounds for open time filters that PostgreSQL's timestamptz can hold.
const int64_t kEarliestMicros = absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(1, 1, 1), absl::UTCTimeZone()));
const int64_t kLatestMicros =
    absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone()));

int64_t ClampedMicros(absl::Time time) { return std::clamp(absl::ToUnixMicros(time), kEarliestMicros, kLatestMicros); }

absl::StatusOr<AuditRecord> FromRow(const pqxx::row& row) {
  AuditRecord record;
  record.sequence = row["sequence"].as<int64_t>();
  record.time = absl::FromUnixMicros(row["time_us"].as<int64_t>());
  // The table's CHECK constraints allow only known names; a row that still
  // fails here was changed behind the trigger's back.
  if (!ParseAuditKind(row["kind"].as<std::string>(), &record.kind) ||
      !ParseAuditPhase(row["phase"].as<std::string>(), &record.phase)) {
    return absl::DataLossError(absl::StrCat("audit entry ", record.sequence, " has an unknown kind or phase"));
  }
  record.subject = row["subject"].as<std::string>();
  record.roles = row["roles"].as<std::string>();
  record.method = row["method"].as<std::string>();
  record.resource = row["resource"].as<std::string>();
  record.result_code = row["result_code"].as<std::string>();
  record.request_id = row["request_id"].as<std::string>();
  record.client_address = row["client_address"].as<std::string>();
  record.previous_hash = row["previous_hash"].as<std::string>();
  record.hash = row["hash"].as<std::string>();
  return record;
}

absl::StatusOr<std::vector<AuditRecord>> RecordsOf(const pqxx::result& rows) {
  std::vector<AuditRecord> records;
  for (const pqxx::row& row : rows) {
    absl::StatusOr<AuditRecord> record = FromRow(row);
    if (!record.ok()) return record.status();
    records.push_back(*std::move(record));
  }
  return records;
}

}  // namespace

absl::StatusOr<std::vector<AuditRecord>> PgAuditStore::Append(const std::vector<AuditRecord>& entries,
                                                              absl::Time deadline) {
  if (entries.empty()) return entries;
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<AuditRecord>> {
    pqxx::row head = txn.exec_prepared1("lock_audit_chain_head");
    int64_t sequence = head["last_sequence"].as<int64_t>();
    std::string previous_hash = head["last_hash"].as<std::string>();
    const absl::Time time = absl::FromUnixMicros(head["now_us"].as<int64_t>());
    std::vector<AuditRecord> stored = entries;
    nlohmann::json rows = nlohmann::json::array();
    for (AuditRecord& entry : stored) {
      entry.sequence = ++sequence;
      entry.previous_hash = previous_hash;
      entry.time = time;
      entry.hash = ComputeAuditHash(entry);
      previous_hash = entry.hash;
      rows.push_back({{"sequence", entry.sequence},
                      {"time_us", absl::ToUnixMicros(entry.time)},
                      {"kind", std::string(AuditKindName(entry.kind))},
                      {"phase", std::string(AuditPhaseName(entry.phase))},
                      {"subject", entry.subject},
                      {"roles", entry.roles},
                      {"method", entry.method},
                      {"resource", entry.resource},
                      {"result_code", entry.result_code},
                      {"request_id", entry.request_id},
                      {"client_address", entry.client_address},
                      {"previous_hash", entry.previous_hash},
                      {"hash", entry.hash}});
    }
    txn.exec_prepared0("insert_audit_entries",
                       rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    txn.exec_prepared0("advance_audit_chain_head", stored.back().sequence, stored.back().hash);
    return stored;
  });
}

absl::StatusOr<std::vector<AuditRecord>> PgAuditStore::List(const AuditFilter& filter, int64_t before_sequence,
                                                            int limit, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<AuditRecord>> {
    return RecordsOf(txn.exec_prepared("list_audit_entries", filter.subject, filter.method, filter.resource_prefix,
                                       ClampedMicros(filter.start_time), ClampedMicros(filter.end_time),
                                       before_sequence, limit,
                                       absl::StrCat("{", absl::StrJoin(filter.scope_prefixes, ","), "}")));
  });
}

absl::StatusOr<std::vector<AuditRecord>> PgAuditStore::ReadChain(int64_t after_sequence, int64_t up_to_sequence,
                                                                 int limit, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<AuditRecord>> {
    return RecordsOf(txn.exec_prepared("read_audit_chain", after_sequence, up_to_sequence, limit));
  });
}

absl::StatusOr<AuditChainHead> PgAuditStore::Head(absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<AuditChainHead> {
    pqxx::row row = txn.exec_prepared1("get_audit_chain_head");
    return AuditChainHead{.sequence = row["last_sequence"].as<int64_t>(), .hash = row["last_hash"].as<std::string>()};
  });
}

}  // namespace gridserve::gateway
