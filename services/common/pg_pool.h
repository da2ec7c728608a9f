#pragma once

// The PostgreSQL access layer. This header does not include libpqxx, so the
// classes that hold a pool (stores, main.cc) do not see it; only the pg_*.cc
// files that run statements include <pqxx/pqxx> themselves.

#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/embedded_sql.h"

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace gridserve {

// What a transaction body works with (a read-committed libpqxx transaction).
using PgTransaction = pqxx::transaction_base;

// libpqxx exceptions as absl::Status: unique violation -> ALREADY_EXISTS,
// foreign key -> FAILED_PRECONDITION, serialization failure/deadlock ->
// ABORTED, statement timeout -> DEADLINE_EXCEEDED, broken connection ->
// UNAVAILABLE, anything else -> INTERNAL.
absl::Status StatusFromDatabaseError(const std::exception& error);

// Whether `status` is the ALREADY_EXISTS of a unique-index violation in the
// database (e.g. a concurrent call won the race to insert the same key), as
// opposed to an ALREADY_EXISTS a transaction body returned itself.
bool IsUniqueViolation(const absl::Status& status);

// Adds libpq's connect_timeout to a URL or keyword/value connection string
// unless it already has one.
std::string WithConnectTimeout(const std::string& url, int seconds);

// A bounded pool of connections to one service schema. Connections are opened
// lazily, have search_path set to the schema and the service's queries
// prepared (by file stem).
class PgPool {
 public:
  struct Options {
    std::string url;
    std::string schema;
    std::string application_name;
    int max_connections = 8;
    std::span<const SqlFile> queries;
  };

  explicit PgPool(Options options);
  ~PgPool();

  // Runs `body(txn)` in one read-committed transaction and returns what it
  // returns: an absl::Status, or an absl::StatusOr<T> carrying the result by
  // value. The transaction commits when the body returns OK.
  //
  // The body may run more than once, so it must touch nothing but `txn`:
  // no appending to captured containers, no messages to clients, no other
  // I/O. It is run again, from the start, on a fresh transaction when
  //  - a statement fails with a serialization failure or deadlock (at most
  //    three attempts in all, then ABORTED; an ABORTED the body returns
  //    itself is not retried), or
  //  - the pooled connection turns out to be broken when the transaction
  //    begins (e.g. after a database restart): that connection is replaced,
  //    so the first call after a restart succeeds.
  // The wait for a connection and every statement are bounded by `deadline`
  // (statement_timeout, set together with BEGIN). Until MarkReady() it
  // answers UNAVAILABLE (migrations not applied yet).
  template <typename Body>
  std::invoke_result_t<Body&, PgTransaction&> Transact(absl::Time deadline, Body body);

  void MarkReady() { ready_ = true; }
  bool ready() const { return ready_; }
  const Options& options() const { return options_; }

 private:
  class Connection;

  // One attempt's work: runs the body, OK means commit.
  using Attempt = absl::FunctionRef<absl::Status(PgTransaction&)>;
  absl::Status RunAttempts(absl::Time deadline, Attempt attempt);
  // An idle connection (reused = true) or a new one.
  absl::StatusOr<std::unique_ptr<Connection>> Acquire(absl::Time deadline, bool* reused);
  void Release(std::unique_ptr<Connection> connection);
  void Discard(std::unique_ptr<Connection> connection);
  std::unique_ptr<Connection> Connect(absl::Time deadline) const;

  const Options options_;
  std::atomic<bool> ready_{false};
  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

template <typename Body>
std::invoke_result_t<Body&, PgTransaction&> PgPool::Transact(absl::Time deadline, Body body) {
  using Result = std::invoke_result_t<Body&, PgTransaction&>;
  if constexpr (std::is_same_v<Result, absl::Status>) {
    return RunAttempts(deadline, body);
  } else {
    // Each attempt replaces the result of the one before.
    std::optional<Result> result;
    absl::Status status = RunAttempts(deadline, [&](PgTransaction& txn) -> absl::Status {
      result.emplace(body(txn));
      return result->status();
    });
    if (!status.ok()) return status;
    return *std::move(result);
  }
}

}  // namespace gridserve
