#include "gateway/audit_log.h"

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "common/log.h"

namespace gridserve::gateway {
namespace {

nlohmann::json CallFields(const GuardedCall& call) {
  return {{"method", call.method},
          {"subject", call.principal.subject},
          {"resource", call.resource},
          {"request_id", call.request_id},
          {"client_address", call.client_address}};
}

}  // namespace

AuditRecord AuditEntryOf(const GuardedCall& call, AuditPhase phase, const std::string& result_code) {
  AuditRecord entry;
  entry.kind = call.rule != nullptr ? call.rule->audit : AuditKind::kNone;
  entry.phase = phase;
  entry.subject = call.principal.subject;
  entry.roles = RolesText(call.principal);
  entry.method = call.method;
  entry.resource = call.resource;
  entry.result_code = result_code;
  entry.request_id = call.request_id;
  entry.client_address = call.client_address;
  return entry;
}

std::string StatusCodeName(grpc::StatusCode code) {
  // gRPC's codes are absl's codes, with the same names.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

absl::Status AuditLog::Admit(const GuardedCall& call) {
  if (call.rule == nullptr || call.rule->audit == AuditKind::kNone) {
    return absl::InternalError("the gateway asked the audit log to admit a call its permission table does not audit");
  }
  absl::StatusOr<AuditRecord> written =
      store_.Append(AuditEntryOf(call, AuditPhase::kStarted, ""), absl::Now() + options_.write_timeout);
  if (!written.ok()) {
    nlohmann::json fields = CallFields(call);
    fields["error"] = written.status().ToString();
    Log(LogLevel::kError, "audit log write failed; call refused", fields);
    return absl::UnavailableError("audit log unavailable; the call was not forwarded — retry later");
  }
  return absl::OkStatus();
}

void AuditLog::Finished(const GuardedCall& call, const grpc::Status& status) {
  std::string code = StatusCodeName(status.error_code());
  absl::StatusOr<AuditRecord> written =
      store_.Append(AuditEntryOf(call, AuditPhase::kFinished, code), absl::Now() + options_.write_timeout);
  if (!written.ok()) {
    // The call already happened: its STARTED entry stands without an outcome.
    nlohmann::json fields = CallFields(call);
    fields["result_code"] = code;
    fields["error"] = written.status().ToString();
    Log(LogLevel::kError, "audit log could not record the outcome of a forwarded call", fields);
  }
}

}  // namespace gridserve::gateway
