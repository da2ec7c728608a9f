#include "common/pg_pool.h"

#include <future>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "tests/support/pg_test_schema.h"
#include "tools/devstack/pg_cluster.h"

namespace gridserve {

namespace {

using ::testing::HasSubstr;

constexpr SqlFile kQueries[] = {
    {"count_items", "SELECT count(*) FROM items"},
    {"insert_item", "INSERT INTO items (id, name) VALUES ($1, $2)"},
};

absl::Time In(absl::Duration d) { return absl::Now() + d; }

// DESIGN.md §5: every SQL statement has a deadline derived from the incoming
// call; CONVENTIONS.md house rules: libpqxx exceptions become absl::Status in
// the pg layer (unique violation -> ALREADY_EXISTS, foreign key ->
// FAILED_PRECONDITION, serialization failure -> retried then ABORTED, broken
// connection -> UNAVAILABLE).
class PgPoolTest : public ::testing::Test {
 protected:
  // The binary's one throwaway cluster (shared with pg_migrator_test.cc); every
  // test works in a fresh schema of it.
  void SetUp() override {
    absl::StatusOr<devstack::PgCluster*> cluster = gridserve::testing::SharedCluster();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *cluster;
    schema_ = gridserve::testing::NewSchemaName("pool");
    ASSERT_TRUE(cluster_
                    ->Execute(absl::StrCat("CREATE SCHEMA ", schema_, "; CREATE TABLE ", schema_,
                                           ".items (id int PRIMARY KEY, name text NOT NULL); CREATE TABLE ", schema_,
                                           ".tags (item_id int NOT NULL REFERENCES ", schema_, ".items (id))"))
                    .ok());
  }

  std::unique_ptr<PgPool> MakePool(int max_connections = 2, const std::string& application_name = "pg_pool_test") {
    auto pool = std::make_unique<PgPool>(PgPool::Options{.url = cluster_->Url(),
                                                         .schema = schema_,
                                                         .application_name = application_name,
                                                         .max_connections = max_connections,
                                                         .queries = kQueries});
    pool->MarkReady();
    return pool;
  }

  // Rows in items, read through a fresh pool (so not through the connection under test).
  int64_t CountItems() {
    absl::StatusOr<int64_t> count =
        MakePool()->Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) -> absl::StatusOr<int64_t> {
          return txn.exec_prepared("count_items")[0][0].as<int64_t>();
        });
    EXPECT_TRUE(count.ok()) << count.status();
    return count.value_or(-1);
  }

  static absl::Status Insert(PgPool& pool, int id, absl::Time deadline) {
    return pool.Transact(deadline, [&](PgTransaction& txn) {
      txn.exec_prepared("insert_item", id, absl::StrCat("item ", id));
      return absl::OkStatus();
    });
  }

  devstack::PgCluster* cluster_ = nullptr;
  std::string schema_;
};

TEST_F(PgPoolTest, UnavailableUntilMarkedReady) {
  PgPool pool(PgPool::Options{.url = cluster_->Url(), .schema = schema_, .max_connections = 1});
  EXPECT_FALSE(pool.ready());
  bool ran = false;
  absl::Status status = pool.Transact(In(absl::Seconds(10)), [&](PgTransaction&) {
    ran = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_FALSE(ran);
  pool.MarkReady();
  EXPECT_TRUE(pool.ready());
  EXPECT_TRUE(pool.Transact(In(absl::Seconds(10)), [](PgTransaction&) { return absl::OkStatus(); }).ok());
}

TEST_F(PgPoolTest, ConnectionsUseTheSchemaAndApplicationName) {
  auto pool = MakePool();
  using Settings = std::pair<std::string, std::string>;
  absl::StatusOr<Settings> settings =
      pool->Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) -> absl::StatusOr<Settings> {
        return Settings{txn.exec1("SHOW search_path")[0].as<std::string>(),
                        txn.exec1("SELECT current_setting('application_name')")[0].as<std::string>()};
      });
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->first, schema_);
  EXPECT_EQ(settings->second, "pg_pool_test");
}

// Statement timeout travels with BEGIN: the transaction sees the call's
// remaining time, and nothing of it survives into the next transaction.
TEST_F(PgPoolTest, StatementTimeoutIsTheRemainingDeadline) {
  auto pool = MakePool(1);
  auto timeout_ms = [&](absl::Duration left) {
    return pool->Transact(In(left), [&](PgTransaction& txn) -> absl::StatusOr<int64_t> {
      return txn.exec1("SELECT setting::bigint FROM pg_settings WHERE name = 'statement_timeout'")[0].as<int64_t>();
    });
  };
  absl::StatusOr<int64_t> short_call = timeout_ms(absl::Seconds(3));
  ASSERT_TRUE(short_call.ok()) << short_call.status();
  EXPECT_GT(*short_call, 2000);
  EXPECT_LE(*short_call, 3000);
  absl::StatusOr<int64_t> long_call = timeout_ms(absl::Seconds(60));
  ASSERT_TRUE(long_call.ok()) << long_call.status();
  EXPECT_GT(*long_call, 50000);
}

TEST_F(PgPoolTest, CommitsWhenBodyReturnsOk) {
  auto pool = MakePool();
  ASSERT_TRUE(Insert(*pool, 1, In(absl::Seconds(10))).ok());
  EXPECT_EQ(CountItems(), 1);
}

TEST_F(PgPoolTest, RollsBackWhenBodyReturnsError) {
  auto pool = MakePool();
  absl::Status status = pool->Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) {
    txn.exec_prepared("insert_item", 1, "half done");
    return absl::FailedPreconditionError("body changed its mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "body changed its mind");
  EXPECT_EQ(CountItems(), 0);
  // The connection went back to the pool clean: the same id can be inserted.
  EXPECT_TRUE(Insert(*pool, 1, In(absl::Seconds(10))).ok());
  EXPECT_EQ(CountItems(), 1);
}

TEST_F(PgPoolTest, UniqueViolationIsAlreadyExists) {
  auto pool = MakePool(1);
  ASSERT_TRUE(Insert(*pool, 7, In(absl::Seconds(10))).ok());
  absl::Status status = Insert(*pool, 7, In(absl::Seconds(10)));
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  // The single connection is still usable.
  EXPECT_TRUE(Insert(*pool, 8, In(absl::Seconds(10))).ok());
  EXPECT_EQ(CountItems(), 2);
}

TEST_F(PgPoolTest, ForeignKeyViolationIsFailedPrecondition) {
  auto pool = MakePool();
  absl::Status status = pool->Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) {
    txn.exec0("INSERT INTO tags (item_id) VALUES (404)");
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
}

TEST_F(PgPoolTest, OtherSqlErrorsAreInternal) {
  auto pool = MakePool();
  absl::Status status = pool->Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) {
    txn.exec0("SELECT no_such_column FROM items");
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
}

// Serialization failures are retried twice, then reported as ABORTED.
TEST_F(PgPoolTest, SerializationFailureIsRetriedThenAborted) {
  auto pool = MakePool();
  constexpr char kConflict[] = "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$";
  int attempts = 0;
  absl::Status recovered = pool->Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) {
    if (++attempts < 3) txn.exec0(kConflict);
    txn.exec_prepared("insert_item", 1, "third time lucky");
    return absl::OkStatus();
  });
  EXPECT_TRUE(recovered.ok()) << recovered;
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(CountItems(), 1);

  attempts = 0;
  absl::Status gave_up = pool->Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) {
    ++attempts;
    txn.exec0(kConflict);
    return absl::OkStatus();
  });
  EXPECT_EQ(gave_up.code(), absl::StatusCode::kAborted) << gave_up;
  EXPECT_EQ(attempts, 3);
}

// Issue 8: a retried body must not leave anything of its failed attempt in
// the answer. The conflict comes from the database (a sequence survives the
// rollback, so only the first attempt fails), after the body has read every row.
TEST_F(PgPoolTest, RetriedBodyAnswersWithoutDuplicates) {
  auto pool = MakePool();
  for (int id = 1; id <= 5; ++id) ASSERT_TRUE(Insert(*pool, id, In(absl::Seconds(10))).ok());
  ASSERT_TRUE(cluster_->Execute(absl::StrCat("CREATE SEQUENCE ", schema_, ".attempts")).ok());
  int attempts = 0;  // counted by the test only, to show the retry happened
  absl::StatusOr<std::vector<std::string>> names =
      pool->Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) -> absl::StatusOr<std::vector<std::string>> {
        ++attempts;
        std::vector<std::string> read;
        for (const pqxx::row& row : txn.exec("SELECT name FROM items ORDER BY id")) read.push_back(row[0].as<std::string>());
        txn.exec0(
            "DO $$ BEGIN IF nextval('attempts') = 1 THEN "
            "RAISE EXCEPTION 'forced conflict' USING ERRCODE = 'serialization_failure'; END IF; END $$");
        return read;
      });
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(attempts, 2);
  EXPECT_THAT(*names, ::testing::ElementsAre("item 1", "item 2", "item 3", "item 4", "item 5"));
}

// An ABORTED that the body decides on itself (e.g. "changed since you read
// it") is the answer, not a conflict to retry.
TEST_F(PgPoolTest, AbortedFromTheBodyIsNotRetried) {
  auto pool = MakePool();
  int attempts = 0;
  absl::Status status = pool->Transact(In(absl::Seconds(10)), [&](PgTransaction&) {
    ++attempts;
    return absl::AbortedError("the record changed; read it again");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(attempts, 1);
}

// Issue 8: an idle pooled connection that broke (here: its server process was
// terminated) is replaced when a transaction begins on it; the call succeeds.
TEST_F(PgPoolTest, BrokenIdleConnectionIsReplacedAndTheCallSucceeds) {
  const std::string application = "pg_pool_test_broken_" + schema_;
  auto pool = MakePool(2, application);
  ASSERT_TRUE(Insert(*pool, 1, In(absl::Seconds(10))).ok());
  ASSERT_TRUE(cluster_
                  ->Execute(absl::StrCat("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '",
                                         application, "'"))
                  .ok());
  absl::Status status = Insert(*pool, 2, In(absl::Seconds(10)));
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(CountItems(), 2);
}

TEST_F(PgPoolTest, PassedDeadlineIsDeadlineExceededWithoutRunningBody) {
  auto pool = MakePool();
  bool ran = false;
  absl::Status status = pool->Transact(absl::Now() - absl::Seconds(1), [&](PgTransaction&) {
    ran = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  EXPECT_FALSE(ran);
}

TEST_F(PgPoolTest, WaitForBusyPoolEndsAtTheDeadline) {
  auto pool = MakePool(/*max_connections=*/1);
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  absl::Status holder_status;
  std::thread holder([&] {
    holder_status = pool->Transact(In(absl::Seconds(60)), [&](PgTransaction& txn) {
      txn.exec_prepared("insert_item", 1, "held");
      entered.set_value();
      released.wait();
      return absl::OkStatus();
    });
  });
  entered.get_future().wait();

  bool ran = false;
  absl::Status waiter = pool->Transact(In(absl::Milliseconds(200)), [&](PgTransaction&) {
    ran = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(waiter.code(), absl::StatusCode::kDeadlineExceeded) << waiter;
  EXPECT_THAT(std::string(waiter.message()), HasSubstr("busy"));
  EXPECT_FALSE(ran);

  release.set_value();
  holder.join();
  EXPECT_TRUE(holder_status.ok()) << holder_status;
  // The connection came back to the pool.
  EXPECT_TRUE(Insert(*pool, 2, In(absl::Seconds(10))).ok());
  EXPECT_EQ(CountItems(), 2);
}

TEST_F(PgPoolTest, StatementOutlivingTheDeadlineIsCancelled) {
  auto pool = MakePool(1);
  absl::Status status = pool->Transact(In(absl::Milliseconds(200)), [&](PgTransaction& txn) {
    txn.exec("SELECT pg_sleep(5)");
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  // The connection survives the cancelled statement.
  EXPECT_TRUE(Insert(*pool, 1, In(absl::Seconds(10))).ok());
}

TEST_F(PgPoolTest, RecoversAfterServerRestart) {
  auto pool = MakePool(1);
  ASSERT_TRUE(Insert(*pool, 1, In(absl::Seconds(10))).ok());
  ASSERT_TRUE(cluster_->Restart().ok());

  // The pooled connection broke; the first call after the restart notices
  // that at BEGIN, connects afresh (with the schema and the prepared queries
  // of a new connection) and succeeds (issue 8).
  using Seen = std::pair<std::string, int64_t>;
  absl::StatusOr<Seen> seen = pool->Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) -> absl::StatusOr<Seen> {
    Seen result{txn.exec1("SHOW search_path")[0].as<std::string>(),
                txn.exec_prepared("count_items")[0][0].as<int64_t>()};
    txn.exec_prepared("insert_item", 2, "after restart");
    return result;
  });
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->first, schema_);
  EXPECT_EQ(seen->second, 1);
  EXPECT_EQ(CountItems(), 2);
}

TEST(WithConnectTimeoutTest, AddsTimeoutToEitherUrlForm) {
  EXPECT_EQ(WithConnectTimeout("postgresql://u@h/db", 3), "postgresql://u@h/db?connect_timeout=3");
  EXPECT_EQ(WithConnectTimeout("postgres://u@h/db?sslmode=disable", 3),
            "postgres://u@h/db?sslmode=disable&connect_timeout=3");
  EXPECT_EQ(WithConnectTimeout("host=/tmp dbname=x", 4), "host=/tmp dbname=x connect_timeout=4");
  EXPECT_EQ(WithConnectTimeout("host=/tmp connect_timeout=9", 4), "host=/tmp connect_timeout=9");
}

TEST(StatusFromDatabaseErrorTest, MapsBrokenConnectionAndUnknownErrors) {
  EXPECT_EQ(StatusFromDatabaseError(pqxx::broken_connection("gone")).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromDatabaseError(std::runtime_error("odd")).code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace gridserve
