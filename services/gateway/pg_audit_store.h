#pragma once

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

 private:
  PgPool& pool_;
};

}  // namespace gridserve::gateway
