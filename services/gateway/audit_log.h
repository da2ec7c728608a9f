#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
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
  // Appends `entry` at the end of the chain: fills in sequence, time (the
  // database's clock), previous_hash and hash, serialized with every other
  // append (also from other gateway replicas). Returns the stored entry.
  virtual absl::StatusOr<AuditRecord> Append(const AuditRecord& entry, absl::Time deadline) = 0;
  // Entries matching `filter` with sequence < `before_sequence`, newest first, at most `limit`.
  virtual absl::StatusOr<std::vector<AuditRecord>> List(const AuditFilter& filter, int64_t before_sequence, int limit,
                                                        absl::Time deadline) = 0;
  // Entries with after_sequence < sequence <= up_to_sequence, oldest first, at most `limit`.
  virtual absl::StatusOr<std::vector<AuditRecord>> ReadChain(int64_t after_sequence, int64_t up_to_sequence, int limit,
                                                             absl::Time deadline) = 0;
  virtual absl::StatusOr<AuditChainHead> Head(absl::Time deadline) = 0;
};

// The CallGuard that writes the audit log: a STARTED entry before an audited
// call is forwarded (if that fails the call is refused with UNAVAILABLE, so
// there are no unaudited writes) and a FINISHED entry with the outcome.
class AuditLog final : public CallGuard {
 public:
  struct Options {
    // How long one append may take before the call is refused.
    absl::Duration write_timeout = absl::Seconds(5);
  };

  explicit AuditLog(AuditStore& store) : AuditLog(store, Options()) {}
  AuditLog(AuditStore& store, Options options) : store_(store), options_(options) {}

  absl::Status Admit(const GuardedCall& call) override;
  void Finished(const GuardedCall& call, const grpc::Status& status) override;

 private:
  AuditStore& store_;
  Options options_;
};

// The entry an audited call is recorded with (sequence, time and hashes are
// filled in by AuditStore::Append).
AuditRecord AuditEntryOf(const GuardedCall& call, AuditPhase phase, const std::string& result_code);

// The gRPC code name, e.g. "OK", "PERMISSION_DENIED".
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace gridserve::gateway
