#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_auth.h"
#include "common/token.h"
#include "gateway/audit_log.h"
#include "gridserve/gateway/v1/audit.grpc.pb.h"

namespace gridserve::gateway {

// The rules of reading the audit log, without gRPC.
struct AuditQuery {
  AuditFilter filter;
  int page_size = 0;  // 0: the default (50); above the maximum (500): the maximum
  std::string page_token;
};

// What an auditor may list: nothing filtered for a binding over a district
// (one deployment serves one district, and logins and account calls belong to
// it), else the significant prefixes of its town bindings.
std::vector<std::string> AuditScopePrefixes(const Principal& caller);

struct AuditPage {
  std::vector<AuditRecord> entries;  // newest first
  std::string next_page_token;       // empty on the last page
};

struct ChainReport {
  bool intact = true;
  int64_t entries_checked = 0;
  int64_t first_broken_sequence = 0;
  std::string problem;
};

// One page of entries matching the query; INVALID_ARGUMENT with field
// violations for a negative page_size, an inverted time range or a
// page_token that was not issued for these filters.
absl::StatusOr<AuditPage> ListAuditEntries(AuditStore& store, const AuditQuery& query, absl::Time deadline);

// Recomputes the chain from entry 1 up to the head as it was when the check
// started (later appends are left for the next check), reading it in batches
// of `batch_size` by sequence so memory stays flat however long the log is.
absl::StatusOr<ChainReport> VerifyAuditChain(AuditStore& store, int batch_size, absl::Time deadline);

// gridserve.gateway.v1.AuditService, answered by the gateway itself: only
// callers with AUDIT_READ (the AUDITOR role) may use it.
class AuditService final : public v1::AuditService::Service {
 public:
  AuditService(AuditStore& store, const TokenCodec& tokens) : store_(store), authorize_(tokens, v1::AuditService::service_full_name()) {}

  grpc::Status ListAuditEntries(grpc::ServerContext* context, const v1::ListAuditEntriesRequest* request,
                                v1::ListAuditEntriesResponse* response) override;
  grpc::Status VerifyAuditChain(grpc::ServerContext* context, const v1::VerifyAuditChainRequest* request,
                                v1::VerifyAuditChainResponse* response) override;

 private:
  AuditStore& store_;
  const MethodAuthorizer authorize_;
};

}  // namespace gridserve::gateway
