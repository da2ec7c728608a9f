// The audit log on a real PostgreSQL: chaining, serialized appends, the
// append-only trigger, tamper detection, listing, and refusal when the
// database cannot be written.
#include "gateway/pg_audit_store.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors.h"
#include "gateway/audit_log.h"
#include "gateway/audit_service.h"
#include "gateway_sql.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "tests/support/pg_test_schema.h"

namespace gridserve::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kCreateOrganization[] = "/gridserve.membership.v1.OrganizationService/CreateOrganization";
constexpr char kGetUser[] = "/gridserve.gateway.v1.AccountService/GetUser";

absl::Time Deadline() { return absl::Now() + absl::Seconds(20); }

const MethodRule kWriteRule{Permission::kOrgWrite, AuditKind::kWrite, "organization.code"};
const MethodRule kPersonalReadRule{Permission::kAccountRead, AuditKind::kPersonalDataRead, "user_id"};

GuardedCall Call(const std::string& subject, const std::string& resource,
                 const std::string& method = kCreateOrganization, const MethodRule* rule = &kWriteRule) {
  return GuardedCall{
      .method = method,
      .rule = rule,
      .principal = {.subject = subject, .bindings = {{"TOWN_ADMIN", "500114101000"}, {"AUDITOR", "500114000000"}}},
      .client_address = "ipv4:192.0.2.7:40000",
      .request_id = absl::StrCat("req-", subject, "-", resource),
      .resource = resource};
}

// Admit, waiting for the answer (the audit log answers from its writer thread).
absl::Status AdmitAndWait(AuditLog& log, const GuardedCall& call) {
  std::promise<absl::Status> answer;
  log.Admit(call, [&answer](absl::Status status) { answer.set_value(std::move(status)); });
  return answer.get_future().get();
}

std::vector<int64_t> SequencesOf(const std::vector<AuditRecord>& records) {
  std::vector<int64_t> sequences;
  for (const AuditRecord& record : records) sequences.push_back(record.sequence);
  return sequences;
}

class PgAuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<gridserve::testing::TestSchema> schema =
        gridserve::testing::MakeTestSchema("gateway_audit", sql::Migrations(), sql::Queries(), /*max_connections=*/8);
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = std::move(schema).value();
    store_ = std::make_unique<PgAuditStore>(*schema_.pool);
    log_ = std::make_unique<AuditLog>(*store_);
  }

  void Append(int count) {
    for (int i = 0; i < count; ++i) {
      ASSERT_TRUE(AdmitAndWait(*log_, Call("user" + std::to_string(i), "50011410120" + std::to_string(i % 10))).ok());
    }
  }

  // Every entry queued so far, once written.
  std::vector<AuditRecord> WholeChain() {
    log_->Flush();
    absl::StatusOr<AuditChainHead> head = store_->Head(Deadline());
    EXPECT_TRUE(head.ok()) << head.status();
    absl::StatusOr<std::vector<AuditRecord>> chain = store_->ReadChain(0, head->sequence, 100000, Deadline());
    EXPECT_TRUE(chain.ok()) << chain.status();
    return chain.ok() ? *chain : std::vector<AuditRecord>{};
  }

  ChainReport Verify(int batch_size = 1000) {
    absl::StatusOr<ChainReport> report = VerifyAuditChain(*store_, batch_size, Deadline());
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : ChainReport{.intact = false, .problem = report.status().ToString()};
  }

  // Runs `sql` in the gateway's own transaction (as the gateway's role would).
  absl::Status RunAsGateway(const std::string& sql) {
    return schema_.pool->Transact(Deadline(), [&](PgTransaction& txn) {
      txn.exec0(sql);
      return absl::OkStatus();
    });
  }

  gridserve::testing::TestSchema schema_;
  std::unique_ptr<PgAuditStore> store_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(PgAuditStoreTest, AppendsFormAChainFromGenesis) {
  GuardedCall call = Call("alice", "500114101201");
  ASSERT_TRUE(AdmitAndWait(*log_, call).ok());
  log_->Finished(call, grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no"));
  GuardedCall read = Call("bob", "u-42", kGetUser, &kPersonalReadRule);
  ASSERT_TRUE(AdmitAndWait(*log_, read).ok());

  std::vector<AuditRecord> chain = WholeChain();
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_THAT(SequencesOf(chain), ElementsAre(1, 2, 3));
  EXPECT_EQ(chain[0].previous_hash, kGenesisHash);
  EXPECT_EQ(chain[1].previous_hash, chain[0].hash);
  EXPECT_EQ(chain[2].previous_hash, chain[1].hash);
  for (const AuditRecord& record : chain) {
    EXPECT_EQ(record.hash, ComputeAuditHash(record)) << "entry " << record.sequence << " as read back";
  }
  EXPECT_LE(chain[0].time, chain[1].time);
  EXPECT_LE(chain[1].time, chain[2].time);
  EXPECT_LT(absl::AbsDuration(absl::Now() - chain[0].time), absl::Minutes(1));

  const AuditRecord& started = chain[0];
  EXPECT_EQ(started.kind, AuditKind::kWrite);
  EXPECT_EQ(started.phase, AuditPhase::kStarted);
  EXPECT_EQ(started.subject, "alice");
  EXPECT_EQ(started.roles, "TOWN_ADMIN@500114101000, AUDITOR@500114000000");
  EXPECT_EQ(started.method, kCreateOrganization);
  EXPECT_EQ(started.resource, "500114101201");
  EXPECT_EQ(started.result_code, "");
  EXPECT_EQ(started.request_id, "req-alice-500114101201");
  EXPECT_EQ(started.client_address, "ipv4:192.0.2.7:40000");
  EXPECT_EQ(chain[1].phase, AuditPhase::kFinished);
  EXPECT_EQ(chain[1].result_code, "PERMISSION_DENIED");
  EXPECT_EQ(chain[1].request_id, started.request_id);
  EXPECT_EQ(chain[2].kind, AuditKind::kPersonalDataRead);
  EXPECT_EQ(chain[2].resource, "u-42");

  absl::StatusOr<AuditChainHead> head = store_->Head(Deadline());
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->sequence, 3);
  EXPECT_EQ(head->hash, chain[2].hash);
  ChainReport report = Verify();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.entries_checked, 3);
}

// Issue 8: one Append stores a batch, every entry chained to the one before.
TEST_F(PgAuditStoreTest, ABatchChainsEveryEntry) {
  std::vector<AuditRecord> batch;
  for (int i = 0; i < 5; ++i) batch.push_back(AuditEntryOf(Call(absl::StrCat("u", i), "500114101201"), AuditPhase::kStarted, ""));
  absl::StatusOr<std::vector<AuditRecord>> stored = store_->Append(batch, Deadline());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_THAT(SequencesOf(*stored), ElementsAre(1, 2, 3, 4, 5));
  std::vector<AuditRecord> chain = WholeChain();
  ASSERT_EQ(chain.size(), 5u);
  for (size_t i = 0; i < chain.size(); ++i) {
    EXPECT_EQ(chain[i].hash, (*stored)[i].hash);
    EXPECT_EQ(chain[i].previous_hash, i == 0 ? std::string(kGenesisHash) : chain[i - 1].hash);
    EXPECT_EQ(chain[i].subject, absl::StrCat("u", i));
  }
  absl::StatusOr<AuditChainHead> head = store_->Head(Deadline());
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->sequence, 5);
  EXPECT_EQ(head->hash, chain.back().hash);
  EXPECT_TRUE(Verify().intact);
}

// Issue 8: two gateway replicas append to one chain. Each remembers where it
// left the head; when the other appended meanwhile, its optimistic append
// writes nothing, and it chains its batch onto the real head instead: no
// fork, no gap, under concurrency too.
TEST_F(PgAuditStoreTest, TwoReplicasAppendOntoOneChain) {
  PgAuditStore second_store(*schema_.pool);
  AuditLog second_log(second_store);
  auto entry = [](const std::string& subject) {
    return std::vector<AuditRecord>{AuditEntryOf(Call(subject, "500114101201"), AuditPhase::kStarted, "")};
  };
  ASSERT_TRUE(store_->Append(entry("a1"), Deadline()).ok());
  ASSERT_TRUE(second_store.Append(entry("b1"), Deadline()).ok());
  absl::StatusOr<std::vector<AuditRecord>> stale = store_->Append(entry("a2"), Deadline());
  ASSERT_TRUE(stale.ok()) << stale.status();
  EXPECT_EQ((*stale)[0].sequence, 3) << "chained onto b1, not onto what the first store remembered";

  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (AuditLog* log : {log_.get(), &second_log}) {
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&, log, t] {
        for (int i = 0; i < 20; ++i) {
          if (!AdmitAndWait(*log, Call(absl::StrCat("writer", t), absl::StrCat(i))).ok()) ++failures;
        }
      });
    }
  }
  for (std::thread& thread : threads) thread.join();
  second_log.Flush();
  EXPECT_EQ(failures.load(), 0);
  std::vector<AuditRecord> chain = WholeChain();
  ASSERT_EQ(chain.size(), 3u + 2 * 3 * 20);
  for (size_t i = 0; i < chain.size(); ++i) {
    ASSERT_EQ(chain[i].sequence, static_cast<int64_t>(i + 1));
    if (i > 0) {
      ASSERT_EQ(chain[i].previous_hash, chain[i - 1].hash) << "no fork at " << i + 1;
      ASSERT_GE(chain[i].time, chain[i - 1].time) << "times never go back along the chain";
    }
  }
  EXPECT_TRUE(Verify().intact);
}

// Issue 8: the queue of calls waiting for their STARTED entry is bounded.
// While the chain head is locked by someone else, two calls wait; the third
// is refused at once with UNAVAILABLE and a retry hint, and nothing of it is
// written. Once the lock goes, the two waiting calls are admitted.
TEST_F(PgAuditStoreTest, AFullQueueShedsCallsWithARetryHint) {
  AuditLog small(*store_, {.max_waiting = 2, .retry_after = absl::Seconds(2)});
  std::promise<void> locked, release;
  std::shared_future<void> released = release.get_future().share();
  std::thread holder([&] {
    absl::Status held = schema_.pool->Transact(Deadline(), [&](PgTransaction& txn) {
      txn.exec("SELECT 1 FROM audit_chain_head FOR UPDATE");
      locked.set_value();
      released.wait();
      return absl::OkStatus();
    });
    EXPECT_TRUE(held.ok()) << held;
  });
  locked.get_future().wait();
  std::promise<absl::Status> first, second;
  small.Admit(Call("a", "500114101201"), [&](absl::Status status) { first.set_value(status); });
  small.Admit(Call("b", "500114101201"), [&](absl::Status status) { second.set_value(status); });
  absl::Status shed = AdmitAndWait(small, Call("c", "500114101201"));
  EXPECT_EQ(shed.code(), absl::StatusCode::kUnavailable) << shed;
  EXPECT_THAT(std::string(shed.message()), HasSubstr("retry in 2s"));
  EXPECT_EQ(RetryDelayOf(shed), absl::Seconds(2));
  release.set_value();
  holder.join();
  EXPECT_TRUE(first.get_future().get().ok());
  EXPECT_TRUE(second.get_future().get().ok());
  small.Flush();
  std::vector<AuditRecord> chain = WholeChain();
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0].subject, "a");
  EXPECT_EQ(chain[1].subject, "b");
}

TEST_F(PgAuditStoreTest, EmptyChainVerifies) {
  ChainReport report = Verify();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.entries_checked, 0);
}

TEST_F(PgAuditStoreTest, ConcurrentAppendsFormOneUnbrokenChain) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        GuardedCall call = Call(absl::StrCat("thread", t), absl::StrCat(i));
        if (!AdmitAndWait(*log_, call).ok()) ++failures;
        log_->Finished(call, grpc::Status::OK);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(failures.load(), 0);

  std::vector<AuditRecord> chain = WholeChain();
  ASSERT_EQ(chain.size(), size_t{2 * kThreads * kPerThread});
  std::set<std::string> hashes;
  for (size_t i = 0; i < chain.size(); ++i) {
    ASSERT_EQ(chain[i].sequence, static_cast<int64_t>(i + 1)) << "no gaps";
    ASSERT_EQ(chain[i].previous_hash, i == 0 ? std::string(kGenesisHash) : chain[i - 1].hash) << "no fork at " << i + 1;
    hashes.insert(chain[i].hash);
  }
  EXPECT_EQ(hashes.size(), chain.size());
  // Issue 8: appends are batched (group commit), and the entries of one batch
  // share the time read once under the head's lock: fewer times than entries.
  std::set<absl::Time> times;
  for (const AuditRecord& record : chain) times.insert(record.time);
  EXPECT_LT(times.size(), chain.size()) << "every entry had its own transaction";
  ChainReport report = Verify(/*batch_size=*/7);
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.entries_checked, 2 * kThreads * kPerThread);
}

TEST_F(PgAuditStoreTest, UpdateDeleteAndTruncateAreRejected) {
  Append(3);
  for (const std::string sql : {"UPDATE audit_entries SET subject = 'mallory' WHERE sequence = 2",
                                "DELETE FROM audit_entries WHERE sequence = 3", "TRUNCATE audit_entries"}) {
    absl::Status status = RunAsGateway(sql);
    EXPECT_FALSE(status.ok()) << sql;
    EXPECT_THAT(std::string(status.message()), HasSubstr("append-only")) << sql;
    // Superusers are held to the trigger too (until they disable it).
    status = schema_.Execute(sql);
    EXPECT_THAT(std::string(status.message()), HasSubstr("append-only")) << sql;
  }
  absl::Status rewind = RunAsGateway("UPDATE audit_chain_head SET last_sequence = 1");
  EXPECT_THAT(std::string(rewind.message()), HasSubstr("only moves forward")) << rewind;
  EXPECT_THAT(std::string(RunAsGateway("DELETE FROM audit_chain_head").message()), HasSubstr("only moves forward"));
  absl::Status past_the_end =
      RunAsGateway("UPDATE audit_chain_head SET last_sequence = 99, last_hash = repeat('a', 64)");
  EXPECT_THAT(std::string(past_the_end.message()), HasSubstr("must name the last entry appended")) << past_the_end;
  ChainReport report = Verify();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.entries_checked, 3);
}

TEST_F(PgAuditStoreTest, RowModifiedBehindTheTriggerIsReported) {
  Append(6);
  ASSERT_TRUE(schema_
                  .Execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only; "
                           "UPDATE audit_entries SET resource = '500114999999' WHERE sequence = 4; "
                           "ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only")
                  .ok());
  ChainReport report = Verify(/*batch_size=*/2);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_broken_sequence, 4);
  EXPECT_EQ(report.entries_checked, 3);
  EXPECT_THAT(report.problem, HasSubstr("entry 4 was modified"));
}

TEST_F(PgAuditStoreTest, RowDeletedBehindTheTriggerIsReported) {
  Append(5);
  ASSERT_TRUE(schema_
                  .Execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only; "
                           "DELETE FROM audit_entries WHERE sequence = 2; "
                           "ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only")
                  .ok());
  ChainReport report = Verify();
  EXPECT_EQ(report.first_broken_sequence, 2);
  EXPECT_THAT(report.problem, HasSubstr("entry 2 is missing"));
}

TEST_F(PgAuditStoreTest, TailRemovedBehindTheTriggerIsReported) {
  Append(5);
  ASSERT_TRUE(schema_
                  .Execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only; "
                           "DELETE FROM audit_entries WHERE sequence >= 4; "
                           "ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only")
                  .ok());
  ChainReport report = Verify();
  EXPECT_EQ(report.first_broken_sequence, 4);
  EXPECT_THAT(report.problem, HasSubstr("entries 4 to 5"));
}

TEST_F(PgAuditStoreTest, AdmitRefusesWhenTheDatabaseIsUnreachable) {
  PgPool unreachable(PgPool::Options{.url = "host=/nonexistent-gridserve-socket-dir dbname=gridserve user=postgres",
                                     .schema = schema_.name,
                                     .application_name = "gridserve-test",
                                     .queries = sql::Queries()});
  unreachable.MarkReady();
  PgAuditStore unreachable_store(unreachable);
  AuditLog unreachable_log(unreachable_store, {.write_timeout = absl::Seconds(3)});
  absl::Status status = AdmitAndWait(unreachable_log, Call("alice", "500114101201"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_EQ(std::string(status.message()), "audit log unavailable; the call was not forwarded — retry later");
  unreachable_log.Finished(Call("alice", "500114101201"), grpc::Status::OK);  // logs, does not crash

  PgPool not_ready(PgPool::Options{
      .url = schema_.url, .schema = schema_.name, .application_name = "gridserve-test", .queries = sql::Queries()});
  PgAuditStore not_ready_store(not_ready);
  AuditLog not_ready_log(not_ready_store);
  EXPECT_EQ(AdmitAndWait(not_ready_log, Call("alice", "500114101201")).code(), absl::StatusCode::kUnavailable);

  EXPECT_TRUE(WholeChain().empty()) << "nothing was written";
}

TEST_F(PgAuditStoreTest, ListFiltersAndPagesNewestFirst) {
  GuardedCall alice = Call("alice", "500114101201");
  GuardedCall bob = Call("bob", "500114102201");
  GuardedCall read = Call("alice", "500114101299", kGetUser, &kPersonalReadRule);
  for (const GuardedCall* call : {&alice, &bob, &read, &alice, &bob}) {
    ASSERT_TRUE(AdmitAndWait(*log_, *call).ok());
    log_->Finished(*call, grpc::Status::OK);
  }
  std::vector<AuditRecord> chain = WholeChain();
  ASSERT_EQ(chain.size(), 10u);

  auto list = [&](AuditQuery query) {
    absl::StatusOr<AuditPage> page = ListAuditEntries(*store_, query, Deadline());
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? *page : AuditPage{};
  };
  EXPECT_THAT(SequencesOf(list({}).entries), ElementsAre(10, 9, 8, 7, 6, 5, 4, 3, 2, 1));
  EXPECT_THAT(SequencesOf(list({.filter = {.subject = "bob"}}).entries), ElementsAre(10, 9, 4, 3));
  EXPECT_THAT(SequencesOf(list({.filter = {.method = kGetUser}}).entries), ElementsAre(6, 5));
  EXPECT_THAT(SequencesOf(list({.filter = {.resource_prefix = "5001141012"}}).entries), ElementsAre(8, 7, 6, 5, 2, 1));
  EXPECT_THAT(SequencesOf(list({.filter = {.subject = "alice", .resource_prefix = "500114101201"}}).entries),
              ElementsAre(8, 7, 2, 1));

  // Time range: start inclusive, end exclusive.
  AuditFilter window{.start_time = chain[2].time, .end_time = chain[6].time};
  std::vector<int64_t> expected;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (it->time >= window.start_time && it->time < window.end_time) expected.push_back(it->sequence);
  }
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(SequencesOf(list({.filter = window}).entries), expected);

  // Paging: three pages of up to 4, then no token.
  std::vector<int64_t> seen;
  AuditQuery query{.page_size = 4};
  int pages = 0;
  do {
    AuditPage page = list(query);
    EXPECT_LE(page.entries.size(), 4u);
    for (const AuditRecord& record : page.entries) seen.push_back(record.sequence);
    query.page_token = page.next_page_token;
    ++pages;
  } while (!query.page_token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre(10, 9, 8, 7, 6, 5, 4, 3, 2, 1));
}

// Issue 3 item 5: an auditor bound to a town lists the calls on that town's
// resources and the calls of accounts bound inside it; a district auditor all.
TEST_F(PgAuditStoreTest, TownAuditorSeesItsTownOnly) {
  auto call = [](const std::string& subject, const RoleBinding& binding, const std::string& resource) {
    GuardedCall guarded = Call(subject, resource);
    guarded.principal.bindings = {binding};
    return guarded;
  };
  GuardedCall own_resource = call("district", {"DISTRICT_ADMIN", "500114000000"}, "500114101203");
  GuardedCall own_caller = call("secretary", {"VILLAGE_SECRETARY", "500114101201"}, "members/7f0c");
  GuardedCall other_town = call("other", {"VILLAGE_SECRETARY", "500114102201"}, "500114102201");
  GuardedCall login = call("", {"TOWN_ADMIN", "500114102000"}, "somebody");
  for (const GuardedCall* guarded : {&own_resource, &own_caller, &other_town, &login}) {
    ASSERT_TRUE(AdmitAndWait(*log_, *guarded).ok());
  }
  auto sequences = [&](const Principal& auditor) {
    absl::StatusOr<AuditPage> page =
        ListAuditEntries(*store_, {.filter = {.scope_prefixes = AuditScopePrefixes(auditor)}}, Deadline());
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? SequencesOf(page->entries) : std::vector<int64_t>{};
  };
  EXPECT_THAT(sequences({.subject = "a", .bindings = {{"AUDITOR", "500114101000"}}}), ElementsAre(2, 1));
  EXPECT_THAT(sequences({.subject = "a", .bindings = {{"AUDITOR", "500114102000"}}}), ElementsAre(4, 3));
  EXPECT_THAT(sequences({.subject = "a", .bindings = {{"AUDITOR", "500114000000"}}}), ElementsAre(4, 3, 2, 1));
  EXPECT_THAT(sequences({.subject = "a", .bindings = {{"AUDITOR", "500114101000"}, {"AUDITOR", "500114102000"}}}),
              ElementsAre(4, 3, 2, 1));
}

TEST_F(PgAuditStoreTest, ListRejectsBadInput) {
  Append(3);
  absl::StatusOr<AuditPage> first = ListAuditEntries(*store_, {.page_size = 1}, Deadline());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token.empty());

  absl::StatusOr<AuditPage> other_filters = ListAuditEntries(
      *store_, {.filter = {.subject = "user0"}, .page_size = 1, .page_token = first->next_page_token}, Deadline());
  EXPECT_EQ(other_filters.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(other_filters.status()).at(0).field, "page_token");

  absl::StatusOr<AuditPage> garbage = ListAuditEntries(*store_, {.page_token = "not-a-token"}, Deadline());
  EXPECT_EQ(FieldViolationsOf(garbage.status()).at(0).field, "page_token");

  absl::StatusOr<AuditPage> negative = ListAuditEntries(*store_, {.page_size = -1}, Deadline());
  EXPECT_EQ(FieldViolationsOf(negative.status()).at(0).field, "page_size");

  absl::Time now = absl::Now();
  absl::StatusOr<AuditPage> inverted =
      ListAuditEntries(*store_, {.filter = {.start_time = now, .end_time = now - absl::Hours(1)}}, Deadline());
  EXPECT_EQ(FieldViolationsOf(inverted.status()).at(0).field, "end_time");

  absl::StatusOr<AuditPage> huge = ListAuditEntries(*store_, {.page_size = 100000}, Deadline());
  ASSERT_TRUE(huge.ok()) << huge.status();
  EXPECT_EQ(huge->entries.size(), 3u) << "page_size above 500 is capped, not refused";
}

}  // namespace
}  // namespace gridserve::gateway
