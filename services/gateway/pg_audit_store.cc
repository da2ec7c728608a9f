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

// `entries` chained onto `head`, all at one time no earlier than the head's.
std::vector<AuditRecord> Chained(const std::vector<AuditRecord>& entries, const PgAuditStore::ChainEnd& head) {
  std::vector<AuditRecord> chained = entries;
  const absl::Time time = std::max(absl::Now(), head.time);
  int64_t sequence = head.sequence;
  std::string previous_hash = head.hash;
  for (AuditRecord& entry : chained) {
    entry.sequence = ++sequence;
    entry.previous_hash = previous_hash;
    entry.time = time;
    entry.hash = ComputeAuditHash(entry);
    previous_hash = entry.hash;
  }
  return chained;
}

std::string EntriesJson(const std::vector<AuditRecord>& entries) {
  nlohmann::json rows = nlohmann::json::array();
  for (const AuditRecord& entry : entries) {
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
  return rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

absl::StatusOr<std::vector<AuditRecord>> PgAuditStore::Append(const std::vector<AuditRecord>& entries,
                                                              absl::Time deadline) {
  if (entries.empty()) return entries;
  std::optional<ChainEnd> known;
  {
    absl::MutexLock lock(&mutex_);
    known = head_;
  }
  struct Appended {
    std::vector<AuditRecord> entries;
    ChainEnd head;
  };
  absl::StatusOr<Appended> appended = pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Appended> {
    auto read_head = [&txn]() {
      pqxx::row row = txn.exec_prepared1("lock_audit_chain_head");
      return ChainEnd{.sequence = row["last_sequence"].as<int64_t>(),
                      .hash = row["last_hash"].as<std::string>(),
                      .time = absl::FromUnixMicros(row["last_time_us"].as<int64_t>())};
    };
    // Usually the head is where this writer left it: one statement appends.
    // If another replica appended meanwhile, nothing was written; the head is
    // then locked and read, and the batch chained onto it.
    ChainEnd head = known ? *known : read_head();
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::vector<AuditRecord> chained = Chained(entries, head);
      pqxx::result inserted = txn.exec_prepared("append_audit_entries", EntriesJson(chained), chained.back().sequence,
                                                chained.back().hash, head.sequence, head.hash);
      if (inserted.affected_rows() == chained.size()) {
        ChainEnd next{.sequence = chained.back().sequence, .hash = chained.back().hash, .time = chained.back().time};
        return Appended{std::move(chained), std::move(next)};
      }
      head = read_head();
    }
    return absl::InternalError("the audit chain head moved while it was locked");
  });
  absl::MutexLock lock(&mutex_);
  if (!appended.ok()) {
    head_.reset();  // read it afresh next time
    return appended.status();
  }
  head_ = appended->head;
  return std::move(appended->entries);
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
