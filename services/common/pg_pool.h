#pragma once

// The PostgreSQL access layer. Only pg_* files include this header (and with
// it <pqxx/pqxx>); everything above them speaks absl::Status.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/embedded_sql.h"
#include "pqxx/pqxx"

namespace gridserve {

// libpqxx exceptions as absl::Status: unique violation -> ALREADY_EXISTS,
// foreign key -> FAILED_PRECONDITION, serialization failure/deadlock ->
// ABORTED, statement timeout -> DEADLINE_EXCEEDED, broken connection ->
// UNAVAILABLE, anything else -> INTERNAL.
absl::Status StatusFromDatabaseError(const std::exception& error);

// Adds libpq's connect_timeout to a URL or keyword/value connection string
// unless it already has one.
std::string WithConnectTimeout(const std::string& url, int seconds);

// A bounded pool of connections to one service schema. Connections are opened
// lazily, have search_path set to the schema and the service's queries
// prepared (by file stem); a connection that broke is dropped, so the pool
// recovers by itself after the server restarts.
class PgPool {
 public:
  struct Options {
    std::string url;
    std::string schema;
    std::string application_name;
    int max_connections = 8;
    std::span<const SqlFile> queries;
  };
  using TransactionBody = std::function<absl::Status(pqxx::work&)>;

  explicit PgPool(Options options);
  ~PgPool();

  // Runs `body` in one read-committed transaction, committed when it returns
  // OK. The connection wait and every statement are bounded by `deadline`
  // (statement_timeout); serialization failures are retried twice. Until
  // MarkReady() it answers UNAVAILABLE (migrations not yet applied).
  absl::Status Run(absl::Time deadline, const TransactionBody& body);

  void MarkReady() { ready_ = true; }
  bool ready() const { return ready_; }
  const Options& options() const { return options_; }

 private:
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Acquire(absl::Time deadline);
  void Release(std::unique_ptr<pqxx::connection> connection);
  void Discard();
  std::unique_ptr<pqxx::connection> Connect(absl::Time deadline) const;

  const Options options_;
  std::atomic<bool> ready_{false};
  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;
};

}  // namespace gridserve
