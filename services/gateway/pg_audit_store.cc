#include "gateway/pg_audit_store.h"

#include "absl/strings/str_join.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
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

absl::StatusOr<AuditRecord> PgAuditStore::Append(const AuditRecord& entry, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<AuditRecord> {
    AuditRecord stored = entry;
    pqxx::row head = txn.exec_prepared1("lock_audit_chain_head");
    stored.sequence = head["last_sequence"].as<int64_t>() + 1;
    stored.previous_hash = head["last_hash"].as<std::string>();
    stored.time = absl::FromUnixMicros(txn.exec_prepared1("audit_clock")["now_us"].as<int64_t>());
    stored.hash = ComputeAuditHash(stored);
    txn.exec_prepared0("insert_audit_entry", stored.sequence, absl::ToUnixMicros(stored.time),
                       std::string(AuditKindName(stored.kind)), std::string(AuditPhaseName(stored.phase)),
                       stored.subject, stored.roles, stored.method, stored.resource, stored.result_code,
                       stored.request_id, stored.client_address, stored.previous_hash, stored.hash);
    txn.exec_prepared0("advance_audit_chain_head", stored.sequence, stored.hash);
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
