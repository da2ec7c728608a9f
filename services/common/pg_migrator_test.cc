#include "common/pg_migrator.h"

#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/pg_pool.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "tests/support/pg_test_schema.h"
#include "tools/devstack/pg_cluster.h"

namespace gridserve {

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

absl::Time In(absl::Duration d) { return absl::Now() + d; }

// DESIGN.md §5: SQL lives in migrations per service, applied at start-up under
// an advisory lock. The migrations below fail if run twice (CREATE TABLE and
// ALTER TABLE ADD COLUMN without IF NOT EXISTS), and 0002 needs 0001 first.
constexpr SqlFile kMigrations[] = {
    {"0001_items", "CREATE TABLE items (id int PRIMARY KEY)"},
    {"0002_item_names", "ALTER TABLE items ADD COLUMN name text NOT NULL DEFAULT ''"},
};

class PgMigratorTest : public ::testing::Test {
 protected:
  // The binary's one throwaway cluster (shared with pg_pool_test.cc); every
  // test works in a fresh schema of it.
  void SetUp() override {
    absl::StatusOr<devstack::PgCluster*> cluster = gridserve::testing::SharedCluster();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *cluster;
    schema_ = gridserve::testing::NewSchemaName("migrator");
    pool_ = std::make_unique<PgPool>(PgPool::Options{
        .url = cluster_->Url(), .schema = schema_, .application_name = "pg_migrator_test", .max_connections = 2});
    pool_->MarkReady();
  }

  absl::Status Apply(std::span<const SqlFile> migrations) {
    return ApplyMigrations(cluster_->Url(), schema_, migrations);
  }

  // (name, checksum length) of every recorded migration, in the order applied.
  std::vector<std::pair<std::string, size_t>> Recorded() {
    using Rows = std::vector<std::pair<std::string, size_t>>;
    absl::StatusOr<Rows> rows = pool_->Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) -> absl::StatusOr<Rows> {
      Rows recorded;
      for (const auto& row : txn.exec(absl::StrCat("SELECT name, checksum FROM ", txn.quote_name(schema_),
                                                   ".schema_migrations ORDER BY applied_at, name"))) {
        recorded.emplace_back(row[0].as<std::string>(), row[1].as<std::string>().size());
      }
      return recorded;
    });
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.value_or(Rows());
  }

  bool SchemaExists() {
    absl::StatusOr<bool> exists = pool_->Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) -> absl::StatusOr<bool> {
      return !txn.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1", schema_).empty();
    });
    EXPECT_TRUE(exists.ok()) << exists.status();
    return exists.value_or(false);
  }

  devstack::PgCluster* cluster_ = nullptr;
  std::string schema_;
  std::unique_ptr<PgPool> pool_;
};

TEST_F(PgMigratorTest, CreatesMissingSchemaAndAppliesInOrder) {
  ASSERT_FALSE(SchemaExists());
  absl::Status status = Apply(kMigrations);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(SchemaExists());
  // A SHA-256 checksum in hex is 64 characters.
  EXPECT_THAT(Recorded(), ElementsAre(Pair("0001_items", 64u), Pair("0002_item_names", 64u)));
  absl::Status insert = pool_->Transact(In(absl::Seconds(10)), [](PgTransaction& txn) {
    txn.exec0("INSERT INTO items (id, name) VALUES (1, 'one')");
    return absl::OkStatus();
  });
  EXPECT_TRUE(insert.ok()) << insert;
}

TEST_F(PgMigratorTest, UsesAnExistingSchema) {
  ASSERT_TRUE(cluster_->Execute(absl::StrCat("CREATE SCHEMA ", schema_)).ok());
  absl::Status status = Apply(kMigrations);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(Recorded().size(), 2u);
}

TEST_F(PgMigratorTest, SecondRunIsANoOp) {
  ASSERT_TRUE(Apply(kMigrations).ok());
  absl::Status again = Apply(kMigrations);
  EXPECT_TRUE(again.ok()) << again;
  EXPECT_THAT(Recorded(), ElementsAre(Pair("0001_items", 64u), Pair("0002_item_names", 64u)));
}

TEST_F(PgMigratorTest, LaterRunAppliesOnlyNewMigrations) {
  ASSERT_TRUE(Apply(std::span<const SqlFile>(kMigrations).first(1)).ok());
  EXPECT_THAT(Recorded(), ElementsAre(Pair("0001_items", 64u)));
  absl::Status status = Apply(kMigrations);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(Recorded(), ElementsAre(Pair("0001_items", 64u), Pair("0002_item_names", 64u)));
}

TEST_F(PgMigratorTest, ChangedAppliedMigrationIsFailedPrecondition) {
  ASSERT_TRUE(Apply(kMigrations).ok());
  const SqlFile edited[] = {kMigrations[0], {"0002_item_names", "ALTER TABLE items ADD COLUMN name text"}};
  absl::Status status = Apply(edited);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("0002_item_names"));
}

TEST_F(PgMigratorTest, FailingMigrationIsNotRecordedAndLeavesNoTrace) {
  const SqlFile broken[] = {kMigrations[0], {"0002_broken", "CREATE TABLE things (id int); SELECT no_such_function()"}};
  absl::Status status = Apply(broken);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(Recorded(), ElementsAre(Pair("0001_items", 64u)));
  // The half-done 0002 was rolled back with its transaction; the lock was
  // released with the connection, so a fixed set applies.
  const SqlFile fixed[] = {kMigrations[0], {"0002_fixed", "CREATE TABLE things (id int)"}};
  absl::Status retry = Apply(fixed);
  EXPECT_TRUE(retry.ok()) << retry;
}

// Replicas starting together: both appliers succeed and each migration runs
// once. The test holds a gate that the first migration must pass, and opens it
// only when both appliers are blocked in the database, so they really overlap.
TEST_F(PgMigratorTest, ConcurrentAppliersApplyEachMigrationOnce) {
  const std::string gate = absl::StrCat("public.gate_", schema_);
  ASSERT_TRUE(cluster_->Execute(absl::StrCat("CREATE TABLE ", gate, " ()")).ok());
  const std::string first =
      absl::StrCat("LOCK TABLE ", gate, " IN SHARE MODE; CREATE TABLE items (id int PRIMARY KEY)");
  const SqlFile migrations[] = {{"0001_items", first}, kMigrations[1]};

  PgPool gatekeeper(PgPool::Options{.url = cluster_->Url(), .schema = "public", .max_connections = 2});
  gatekeeper.MarkReady();
  std::promise<void> gate_closed;
  std::promise<void> open_gate;
  std::shared_future<void> gate_opened = open_gate.get_future().share();
  absl::Status gate_status;
  std::thread gate_holder([&] {
    gate_status = gatekeeper.Transact(In(absl::Seconds(120)), [&](PgTransaction& txn) {
      txn.exec0(absl::StrCat("LOCK TABLE ", gate, " IN ACCESS EXCLUSIVE MODE"));
      gate_closed.set_value();
      gate_opened.wait();
      return absl::OkStatus();
    });
  });
  gate_closed.get_future().wait();

  absl::Status results[2];
  std::atomic<int> finished{0};
  std::vector<std::thread> appliers;
  for (absl::Status& result : results) {
    appliers.emplace_back([&] {
      result = ApplyMigrations(cluster_->Url(), schema_, migrations);
      ++finished;
    });
  }
  // Wait until both appliers are waiting for a lock (an applier that returns
  // while the gate is closed has already failed; the bound is against hangs).
  int64_t waiting = 0;
  for (absl::Time give_up = In(absl::Seconds(60)); waiting < 2 && finished == 0 && absl::Now() < give_up;) {
    absl::Status status = gatekeeper.Transact(In(absl::Seconds(10)), [&](PgTransaction& txn) {
      waiting = txn.exec1("SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted")[0].as<int64_t>();
      return absl::OkStatus();
    });
    ASSERT_TRUE(status.ok()) << status;
    if (waiting < 2) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(waiting, 2) << "the appliers never both waited";
  open_gate.set_value();
  gate_holder.join();
  for (std::thread& applier : appliers) applier.join();

  EXPECT_TRUE(gate_status.ok()) << gate_status;
  EXPECT_TRUE(results[0].ok()) << results[0];
  EXPECT_TRUE(results[1].ok()) << results[1];
  EXPECT_THAT(Recorded(), ElementsAre(Pair("0001_items", 64u), Pair("0002_item_names", 64u)));
}

}  // namespace
}  // namespace gridserve
