#include "common/pg_pool.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "pqxx/pqxx"

namespace gridserve {
namespace {

// Payload of statuses made from SQL errors: the SQLSTATE.
constexpr char kSqlStateUrl[] = "gridserve/sqlstate";

// A read-committed transaction whose BEGIN also sets statement_timeout, so a
// transaction costs no round trip beyond its own statements and COMMIT.
class TimedTransaction final : public pqxx::dbtransaction {
 public:
  TimedTransaction(pqxx::connection_base& connection, int64_t timeout_ms)
      : pqxx::internal::namedclass("TimedTransaction"),
        pqxx::dbtransaction(connection, "READ COMMITTED"),
        begin_(absl::StrCat("BEGIN; SET LOCAL statement_timeout = ", timeout_ms)) {
    Begin();
  }
  ~TimedTransaction() noexcept override { End(); }

 private:
  void do_begin() override { direct_exec(begin_.c_str()); }
  void do_commit() override {
    try {
      direct_exec("COMMIT");
    } catch (const std::exception&) {
      // The connection went away while committing: nobody can say whether
      // the transaction committed, so it must not be retried as if it had not.
      if (!conn().is_open()) throw pqxx::in_doubt_error("the connection was lost while committing");
      throw;
    }
  }

  const std::string begin_;
};

}  // namespace

absl::Status StatusFromDatabaseError(const std::exception& error) {
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) {
    // UNKNOWN, not UNAVAILABLE: callers (and the gateway's retry policy) may
    // repeat an UNAVAILABLE call as not done.
    return absl::UnknownError(
        "the database connection was lost while committing, so whether the change was saved is unknown; read it "
        "back before retrying a call that is not idempotent");
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) {
    return absl::UnavailableError(absl::StrCat("database connection lost: ", error.what()));
  }
  // libpqxx 6 derives these from transaction_rollback, not sql_error.
  if (dynamic_cast<const pqxx::serialization_failure*>(&error) != nullptr ||
      dynamic_cast<const pqxx::deadlock_detected*>(&error) != nullptr) {
    return absl::AbortedError("concurrent update conflict; retry the call");
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    const std::string& state = sql->sqlstate();
    if (state == "23505") {
      absl::Status status = absl::AlreadyExistsError(error.what());
      status.SetPayload(kSqlStateUrl, absl::Cord(state));
      return status;
    }
    if (state == "23503") return absl::FailedPreconditionError(error.what());
    if (state == "57014") return absl::DeadlineExceededError("database statement exceeded the call's deadline");
    if (state == "40001" || state == "40P01") return absl::AbortedError("concurrent update conflict; retry the call");
    if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03") {
      return absl::UnavailableError(absl::StrCat("database unavailable: ", error.what()));
    }
  }
  return absl::InternalError(absl::StrCat("database error: ", error.what()));
}

bool IsUniqueViolation(const absl::Status& status) {
  absl::optional<absl::Cord> state = status.GetPayload(kSqlStateUrl);
  return status.code() == absl::StatusCode::kAlreadyExists && state.has_value() && *state == "23505";
}

std::string WithConnectTimeout(const std::string& url, int seconds) {
  if (absl::StrContains(url, "connect_timeout")) return url;
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return absl::StrCat(url, absl::StrContains(url, "?") ? "&" : "?", "connect_timeout=", seconds);
  }
  return absl::StrCat(url, " connect_timeout=", seconds);
}

class PgPool::Connection {
 public:
  explicit Connection(const std::string& url) : connection_(url) {
    // A broken connection is replaced by the pool (RunAttempts), not
    // silently re-opened by libpqxx in the middle of a transaction's work.
    connection_.inhibit_reactivation(true);
  }
  pqxx::connection& get() { return connection_; }

 private:
  pqxx::connection connection_;
};

PgPool::PgPool(Options options) : options_(std::move(options)) {}

PgPool::~PgPool() = default;

std::unique_ptr<PgPool::Connection> PgPool::Connect(absl::Time deadline) const {
  int seconds = std::max(2, static_cast<int>(std::ceil(absl::ToDoubleSeconds(deadline - absl::Now()))));
  auto connection = std::make_unique<Connection>(WithConnectTimeout(options_.url, seconds));
  pqxx::connection& c = connection->get();
  c.set_variable("search_path", c.quote_name(options_.schema));
  c.set_variable("application_name", c.quote(options_.application_name));
  for (const SqlFile& query : options_.queries) c.prepare(std::string(query.name), std::string(query.text));
  return connection;
}

absl::StatusOr<std::unique_ptr<PgPool::Connection>> PgPool::Acquire(absl::Time deadline, bool* reused) {
  std::unique_lock lock(mutex_);
  while (idle_.empty() && open_ >= options_.max_connections) {
    if (released_.wait_until(lock, absl::ToChronoTime(deadline)) == std::cv_status::timeout &&
        idle_.empty() && open_ >= options_.max_connections) {
      return absl::DeadlineExceededError(absl::StrCat(
          "all ", options_.max_connections, " database connections stayed busy until the call's deadline"));
    }
  }
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    *reused = true;
    return connection;
  }
  ++open_;
  lock.unlock();
  *reused = false;
  try {
    return Connect(deadline);
  } catch (const std::exception& error) {
    Discard(nullptr);
    return absl::UnavailableError(absl::StrCat("cannot connect to the database: ", error.what()));
  }
}

void PgPool::Release(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  released_.notify_one();
}

void PgPool::Discard(std::unique_ptr<Connection> connection) {
  connection.reset();
  {
    std::lock_guard lock(mutex_);
    --open_;
  }
  released_.notify_one();
}

absl::Status PgPool::RunAttempts(absl::Time deadline, Attempt attempt) {
  if (!ready_) return absl::UnavailableError("service is starting: database migrations not applied yet; retry shortly");
  constexpr int kAttempts = 3;
  // Broken idle connections are replaced without counting as an attempt;
  // there are at most max_connections of them.
  int replacements_left = options_.max_connections;
  absl::Status status;
  for (int attempt_number = 0; attempt_number < kAttempts;) {
    int64_t timeout_ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (timeout_ms <= 0) return absl::DeadlineExceededError("the call's deadline passed before the database was reached");
    bool reused = false;
    absl::StatusOr<std::unique_ptr<Connection>> connection = Acquire(deadline, &reused);
    if (!connection.ok()) return connection.status();
    std::optional<TimedTransaction> transaction;
    try {
      transaction.emplace((*connection)->get(), timeout_ms);
    } catch (const std::exception& error) {
      transaction.reset();
      Discard(*std::move(connection));
      if (reused && replacements_left-- > 0) continue;  // it broke while idle: take another
      return StatusFromDatabaseError(error);
    }
    ++attempt_number;
    bool healthy = true;
    bool conflict = false;  // a serialization failure or deadlock in the database: worth another attempt
    try {
      status = attempt(*transaction);
      if (status.ok()) transaction->commit();
    } catch (const std::exception& error) {
      status = StatusFromDatabaseError(error);
      conflict = status.code() == absl::StatusCode::kAborted;
      healthy = (*connection)->get().is_open() && status.code() != absl::StatusCode::kUnavailable;
    }
    transaction.reset();  // aborts unless committed
    if (healthy) {
      Release(*std::move(connection));
    } else {
      Discard(*std::move(connection));
    }
    if (!conflict || absl::Now() >= deadline) return status;
  }
  return status;
}

}  // namespace gridserve
