#include "common/pg_pool.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gridserve {

absl::Status StatusFromDatabaseError(const std::exception& error) {
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
    if (state == "23505") return absl::AlreadyExistsError(error.what());
    if (state == "23503") return absl::FailedPreconditionError(error.what());
    if (state == "57014") return absl::DeadlineExceededError("database statement exceeded the call's deadline");
    if (state == "40001" || state == "40P01") return absl::AbortedError("concurrent update conflict; retry the call");
    if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03") {
      return absl::UnavailableError(absl::StrCat("database unavailable: ", error.what()));
    }
  }
  return absl::InternalError(absl::StrCat("database error: ", error.what()));
}

std::string WithConnectTimeout(const std::string& url, int seconds) {
  if (absl::StrContains(url, "connect_timeout")) return url;
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return absl::StrCat(url, absl::StrContains(url, "?") ? "&" : "?", "connect_timeout=", seconds);
  }
  return absl::StrCat(url, " connect_timeout=", seconds);
}

PgPool::PgPool(Options options) : options_(std::move(options)) {}

PgPool::~PgPool() = default;

std::unique_ptr<pqxx::connection> PgPool::Connect(absl::Time deadline) const {
  int seconds = std::max(2, static_cast<int>(std::ceil(absl::ToDoubleSeconds(deadline - absl::Now()))));
  auto connection = std::make_unique<pqxx::connection>(WithConnectTimeout(options_.url, seconds));
  // set_variable (not a plain SET) so libpqxx re-applies them if it ever
  // reconnects the session by itself.
  connection->set_variable("search_path", connection->quote_name(options_.schema));
  connection->set_variable("application_name", connection->quote(options_.application_name));
  for (const SqlFile& query : options_.queries) {
    connection->prepare(std::string(query.name), std::string(query.text));
  }
  return connection;
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> PgPool::Acquire(absl::Time deadline) {
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
    return connection;
  }
  ++open_;
  lock.unlock();
  try {
    return Connect(deadline);
  } catch (const std::exception& error) {
    Discard();
    return absl::UnavailableError(absl::StrCat("cannot connect to the database: ", error.what()));
  }
}

void PgPool::Release(std::unique_ptr<pqxx::connection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  released_.notify_one();
}

void PgPool::Discard() {
  {
    std::lock_guard lock(mutex_);
    --open_;
  }
  released_.notify_one();
}

absl::Status PgPool::Run(absl::Time deadline, const TransactionBody& body) {
  if (!ready_) return absl::UnavailableError("service is starting: database migrations not applied yet; retry shortly");
  constexpr int kAttempts = 3;
  absl::Status status;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto connection = Acquire(deadline);
    if (!connection.ok()) return connection.status();
    bool healthy = true;
    try {
      pqxx::work transaction(**connection);
      int64_t timeout_ms = absl::ToInt64Milliseconds(deadline - absl::Now());
      if (timeout_ms <= 0) {
        status = absl::DeadlineExceededError("the call's deadline passed before the database was reached");
      } else {
        transaction.exec0(absl::StrCat("SET LOCAL statement_timeout = ", timeout_ms));
        status = body(transaction);
        if (status.ok()) transaction.commit();
      }
    } catch (const std::exception& error) {
      status = StatusFromDatabaseError(error);
      healthy = (*connection)->is_open() && status.code() != absl::StatusCode::kUnavailable;
    }
    if (healthy) {
      Release(*std::move(connection));
    } else {
      connection->reset();
      Discard();
    }
    if (status.code() != absl::StatusCode::kAborted || absl::Now() >= deadline) return status;
  }
  return status;
}

}  // namespace gridserve
