#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/audit_chain.h"
#include "gateway/call_guard.h"

namespace gridserve::gateway {

// Which entries a listing wants (empty / unset = no filter).
struct AuditFilter {
  std::string subject;
  std::string method;
  std::string resource_prefix;
  absl::Time start_time = absl::InfinitePast();  // inclusive
  absl::Time end_time = absl::InfiniteFuture();  // exclusive
  // Division-code prefixes the reader may see (empty: the whole log). An
  // entry is visible when its resource starts with one of them or its caller
  // held a binding whose scope does.
  std::vector<std::string> scope_prefixes;
};

// The sequence and hash of the last entry appended (0 and kGenesisHash before the first).
struct AuditChainHead {
  int64_t sequence = 0;
  std::string hash;
};

// Where the audit log lives: the gateway schema's audit_entries table.
class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // Appends `entries`, in order, at the end of the chain in one transaction:
  // fills in sequence, time (the database's clock), previous_hash and hash of
  // each, every entry chained to the one before as always; serialized with
  // every other append (also from other gateway replicas). Returns the stored
  // entries.
  virtual absl::StatusOr<std::vector<AuditRecord>> Append(const std::vector<AuditRecord>& entries,
                                                          absl::Time deadline) = 0;
  // Entries matching `filter` with sequence < `before_sequence`, newest first, at most `limit`.
  virtual absl::StatusOr<std::vector<AuditRecord>> List(const AuditFilter& filter, int64_t before_sequence, int limit,
                                                        absl::Time deadline) = 0;
  // Entries with after_sequence < sequence <= up_to_sequence, oldest first, at most `limit`.
  virtual absl::StatusOr<std::vector<AuditRecord>> ReadChain(int64_t after_sequence, int64_t up_to_sequence, int limit,
                                                             absl::Time deadline) = 0;
  virtual absl::StatusOr<AuditChainHead> Head(absl::Time deadline) = 0;
};

// The CallGuard that writes the audit log: a STARTED entry before an audited
// call is forwarded (if it cannot be written the call is refused with
// UNAVAILABLE: no call is served unaudited) and a FINISHED entry with the
// outcome (the client is answered meanwhile; if the gateway dies first, the
// STARTED entry stands without an outcome).
//
// Entries are written by one thread in batches (group commit): whatever
// arrived while the previous batch was being written goes into the next, in
// one transaction, so the chain head is locked once per batch instead of
// twice per call. The queue is bounded: past `max_waiting` calls waiting for
// their STARTED entry, a call is refused at once with UNAVAILABLE and a
// google.rpc.RetryInfo. A STARTED entry is written by the call's deadline
// (at most `write_timeout` from now) or not at all.
class AuditLog final : public CallGuard {
 public:
  struct Options {
    absl::Duration write_timeout = absl::Seconds(5);
    int max_waiting = 4096;
    int max_batch = 512;
    absl::Duration retry_after = absl::Seconds(1);  // the hint given with a refusal for load
  };

  explicit AuditLog(AuditStore& store) : AuditLog(store, Options()) {}
  AuditLog(AuditStore& store, Options options);
  ~AuditLog() override;  // writes what is queued, then stops

  void Admit(const GuardedCall& call, Admission done) override;
  void Finished(const GuardedCall& call, const grpc::Status& status) override;

  // Blocks until every entry queued before the call has been written (or
  // failed to be). For tests and shutdown.
  void Flush();

 private:
  struct Waiting {
    AuditRecord entry;
    absl::Time deadline;
    Admission done;  // empty for FINISHED entries
  };

  void Loop();
  void Write(std::vector<Waiting> batch);

  AuditStore& store_;
  const Options options_;
  absl::Mutex mutex_;
  std::deque<Waiting> queue_ ABSL_GUARDED_BY(mutex_);
  int waiting_admissions_ ABSL_GUARDED_BY(mutex_) = 0;
  int64_t queued_ ABSL_GUARDED_BY(mutex_) = 0;   // entries ever queued
  int64_t written_ ABSL_GUARDED_BY(mutex_) = 0;  // entries ever taken and written (or failed)
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread writer_;
};

// The entry an audited call is recorded with (sequence, time and hashes are
// filled in by AuditStore::Append).
AuditRecord AuditEntryOf(const GuardedCall& call, AuditPhase phase, const std::string& result_code);

// The gRPC code name, e.g. "OK", "PERMISSION_DENIED".
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace gridserve::gateway
