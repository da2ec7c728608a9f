#pragma once

#include <optional>
#include <string>

#include "absl/synchronization/mutex.h"
#include "common/pg_pool.h"
#include "gateway/audit_log.h"

namespace gridserve::gateway {

// AuditStore on the gateway schema (sql/queries/*audit*.sql).
class PgAuditStore final : public AuditStore {
 public:
  explicit PgAuditStore(PgPool& pool) : pool_(pool) {}

  absl::StatusOr<std::vector<AuditRecord>> Append(const std::vector<AuditRecord>& entries,
                                                  absl::Time deadline) override;
  absl::StatusOr<std::vector<AuditRecord>> List(const AuditFilter& filter, int64_t before_sequence, int limit,
                                                absl::Time deadline) override;
  absl::StatusOr<std::vector<AuditRecord>> ReadChain(int64_t after_sequence, int64_t up_to_sequence, int limit,
                                                     absl::Time deadline) override;
  absl::StatusOr<AuditChainHead> Head(absl::Time deadline) override;

  // The end of the chain as an append needs it.
  struct ChainEnd {
    int64_t sequence = 0;
    std::string hash;
    absl::Time time = absl::InfinitePast();  // of the last entry
  };

 private:
  PgPool& pool_;
  absl::Mutex mutex_;
  // Where this store's last append left the head; unset until the first
  // append and after a failed one.
  std::optional<ChainEnd> head_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace gridserve::gateway
