#include "gateway/audit_log.h"

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors.h"
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

AuditLog::AuditLog(AuditStore& store, Options options)
    : store_(store), options_(options), writer_([this] { Loop(); }) {}

AuditLog::~AuditLog() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  writer_.join();
}

void AuditLog::Admit(const GuardedCall& call, Admission done) {
  if (call.rule == nullptr || call.rule->audit == AuditKind::kNone) {
    done(absl::InternalError("the gateway asked the audit log to admit a call its method rule does not audit"));
    return;
  }
  {
    absl::MutexLock lock(&mutex_);
    if (waiting_admissions_ < options_.max_waiting && !stopping_) {
      ++waiting_admissions_;
      ++queued_;
      queue_.push_back({AuditEntryOf(call, AuditPhase::kStarted, ""),
                        std::min(call.deadline, absl::Now() + options_.write_timeout), std::move(done)});
      return;
    }
  }
  Log(LogLevel::kWarning, "audit log queue full; call refused", CallFields(call));
  done(Unavailable(absl::StrCat("the audit log is behind (", options_.max_waiting,
                                " calls waiting); the call was not forwarded — retry in ",
                                absl::FormatDuration(options_.retry_after)),
                   options_.retry_after));
}

void AuditLog::Finished(const GuardedCall& call, const grpc::Status& status) {
  // Never refused: the call happened, so its outcome is recorded whatever the load.
  absl::MutexLock lock(&mutex_);
  ++queued_;
  queue_.push_back({AuditEntryOf(call, AuditPhase::kFinished, StatusCodeName(status.error_code())),
                    absl::Now() + options_.write_timeout, nullptr});
}

void AuditLog::Flush() {
  absl::MutexLock lock(&mutex_);
  struct Written {
    const AuditLog* log;
    int64_t target;
    bool Reached() const { return log->written_ >= target; }
  } written{this, queued_};
  mutex_.Await(absl::Condition(&written, &Written::Reached));
}

void AuditLog::Loop() {
  while (true) {
    std::vector<Waiting> batch;
    {
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(
          +[](AuditLog* log) { return log->stopping_ || !log->queue_.empty(); }, this));
      if (queue_.empty()) return;  // stopping, everything written
      while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    const size_t taken = batch.size();
    Write(std::move(batch));
    absl::MutexLock lock(&mutex_);
    written_ += static_cast<int64_t>(taken);
  }
}

void AuditLog::Write(std::vector<Waiting> batch) {
  // A STARTED entry past its call's deadline is not written: its call is
  // refused (the client has given up on it anyway).
  const absl::Time now = absl::Now();
  int admissions = 0;  // entries of calls waiting to be admitted
  std::vector<Waiting> live;
  for (Waiting& waiting : batch) {
    if (waiting.done) ++admissions;
    if (waiting.done && waiting.deadline <= now) {
      waiting.done(absl::DeadlineExceededError("the call's deadline passed before its audit entry was written"));
      continue;
    }
    live.push_back(std::move(waiting));
  }
  absl::Cleanup no_longer_waiting = [&] {
    absl::MutexLock lock(&mutex_);
    waiting_admissions_ -= admissions;
  };
  if (live.empty()) return;
  std::vector<AuditRecord> entries;
  absl::Time deadline = now;
  for (const Waiting& waiting : live) {
    entries.push_back(waiting.entry);
    deadline = std::max(deadline, waiting.deadline);
  }
  absl::StatusOr<std::vector<AuditRecord>> written = store_.Append(entries, deadline);
  int refused = 0;
  for (Waiting& waiting : live) {
    if (!waiting.done) continue;
    if (written.ok()) {
      waiting.done(absl::OkStatus());
    } else {
      ++refused;
      waiting.done(absl::UnavailableError("audit log unavailable; the call was not forwarded — retry later"));
    }
  }
  if (!written.ok()) {
    // The calls admitted in this batch were refused; FINISHED entries in it
    // stay without an outcome (their STARTED entries stand).
    Log(LogLevel::kError, "audit log write failed",
        {{"error", written.status().ToString()}, {"entries", static_cast<int>(live.size())},
         {"calls_refused", refused}});
  }
}

}  // namespace gridserve::gateway
