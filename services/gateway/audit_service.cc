#include "gateway/audit_service.h"

#include <algorithm>
#include <limits>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/call_auth.h"
#include "common/division.h"
#include "common/errors.h"
#include "common/paging.h"
#include "common/permissions.h"
#include "common/status_macros.h"
#include "google/protobuf/util/time_util.h"

namespace gridserve::gateway {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kVerifyBatchSize = 1000;

// A page token names the last entry returned and the filters it belongs to,
// so a token cannot be replayed against another listing.
std::string FilterFingerprint(const AuditFilter& filter) {
  std::string encoded;
  for (const std::string& field :
       {filter.subject, filter.method, filter.resource_prefix, absl::StrCat(absl::ToUnixMicros(filter.start_time)),
        absl::StrCat(absl::ToUnixMicros(filter.end_time)), absl::StrJoin(filter.scope_prefixes, ",")}) {
    absl::StrAppend(&encoded, field.size(), ":", field, ",");
  }
  return Sha256Hex(encoded).substr(0, 16);
}

bool IsSequence(absl::string_view text) {
  int64_t sequence = 0;
  return absl::SimpleAtoi(text, &sequence) && sequence > 0;
}

v1::AuditKind ToProto(AuditKind kind) {
  switch (kind) {
    case AuditKind::kWrite:
      return v1::AUDIT_KIND_WRITE;
    case AuditKind::kPersonalDataRead:
      return v1::AUDIT_KIND_PERSONAL_DATA_READ;
    case AuditKind::kLogin:
      return v1::AUDIT_KIND_LOGIN;
    case AuditKind::kNone:
      return v1::AUDIT_KIND_UNSPECIFIED;
  }
  return v1::AUDIT_KIND_UNSPECIFIED;
}

void ToProto(const AuditRecord& record, v1::AuditEntry* proto) {
  proto->set_sequence(record.sequence);
  *proto->mutable_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(record.time));
  proto->set_kind(ToProto(record.kind));
  proto->set_phase(record.phase == AuditPhase::kStarted ? v1::AUDIT_PHASE_STARTED : v1::AUDIT_PHASE_FINISHED);
  proto->set_subject(record.subject);
  proto->set_roles(record.roles);
  proto->set_method(record.method);
  proto->set_resource(record.resource);
  proto->set_result_code(record.result_code);
  proto->set_request_id(record.request_id);
  proto->set_client_address(record.client_address);
  proto->set_previous_hash(record.previous_hash);
  proto->set_hash(record.hash);
}

void CheckTimestamp(const google::protobuf::Timestamp& time, const std::string& field,
                    std::vector<FieldViolation>& violations) {
  if (time.seconds() < TimeUtil::kTimestampMinSeconds || time.seconds() > TimeUtil::kTimestampMaxSeconds ||
      time.nanos() < 0 || time.nanos() > 999999999) {
    violations.push_back({field, "not a valid timestamp (years 0001 to 9999, nanos 0 to 999999999)"});
  }
}

absl::Time FromProto(const google::protobuf::Timestamp& time) {
  return absl::FromUnixSeconds(time.seconds()) + absl::Nanoseconds(time.nanos());
}

}  // namespace

std::vector<std::string> AuditScopePrefixes(const Principal& caller) {
  std::vector<std::string> prefixes;
  for (const RoleBinding& binding : caller.bindings) {
    if (!RoleGrants(binding.role, Permission::kAuditRead) || !IsDivisionCode(binding.org_scope)) continue;
    if (LevelOf(binding.org_scope) <= DivisionLevel::kCounty) return {};
    prefixes.emplace_back(SignificantPrefix(binding.org_scope));
  }
  return prefixes;
}

absl::StatusOr<AuditPage> ListAuditEntries(AuditStore& store, const AuditQuery& query, absl::Time deadline) {
  std::vector<FieldViolation> violations;
  CheckPageSize(query.page_size, violations);
  if (query.filter.start_time >= query.filter.end_time) {
    violations.push_back({"end_time", "must be after start_time (start_time is inclusive, end_time exclusive)"});
  }
  if (!violations.empty()) return InvalidArgument(violations);
  int64_t before_sequence = std::numeric_limits<int64_t>::max();
  if (!query.page_token.empty()) {
    ASSIGN_OR_RETURN(std::string cursor,
                     DecodePageToken(query.page_token, FilterFingerprint(query.filter), IsSequence, "filters"));
    (void)absl::SimpleAtoi(cursor, &before_sequence);
  }
  int limit = PageLimit(query.page_size);
  ASSIGN_OR_RETURN(std::vector<AuditRecord> entries, store.List(query.filter, before_sequence, limit + 1, deadline));
  AuditPage page;
  if (static_cast<int>(entries.size()) > limit) {
    entries.resize(limit);
    page.next_page_token = EncodePageToken(FilterFingerprint(query.filter), absl::StrCat(entries.back().sequence));
  }
  page.entries = std::move(entries);
  return page;
}

absl::StatusOr<ChainReport> VerifyAuditChain(AuditStore& store, int batch_size, absl::Time deadline) {
  ASSIGN_OR_RETURN(AuditChainHead head, store.Head(deadline));
  ChainVerifier verifier;
  int64_t after = 0;
  while (verifier.intact() && after < head.sequence) {
    ASSIGN_OR_RETURN(std::vector<AuditRecord> batch, store.ReadChain(after, head.sequence, batch_size, deadline));
    if (batch.empty()) break;
    for (const AuditRecord& record : batch) {
      if (!verifier.Add(record)) break;
    }
    after = batch.back().sequence;
  }
  verifier.Finish(head.sequence, head.hash);
  return ChainReport{.intact = verifier.intact(),
                     .entries_checked = verifier.entries_checked(),
                     .first_broken_sequence = verifier.first_broken_sequence(),
                     .problem = verifier.problem()};
}

grpc::Status AuditService::ListAuditEntries(grpc::ServerContext* context, const v1::ListAuditEntriesRequest* request,
                                            v1::ListAuditEntriesResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "ListAuditEntries");
  if (!call.ok()) return ToGrpcStatus(call.status());
  std::vector<FieldViolation> violations;
  if (request->has_start_time()) CheckTimestamp(request->start_time(), "start_time", violations);
  if (request->has_end_time()) CheckTimestamp(request->end_time(), "end_time", violations);
  if (!violations.empty()) return ToGrpcStatus(InvalidArgument(violations));
  AuditQuery query{.filter = {.subject = request->subject(),
                              .method = request->method(),
                              .resource_prefix = request->resource_prefix()},
                   .page_size = request->page_size(),
                   .page_token = request->page_token()};
  if (request->has_start_time()) query.filter.start_time = FromProto(request->start_time());
  if (request->has_end_time()) query.filter.end_time = FromProto(request->end_time());
  query.filter.scope_prefixes = AuditScopePrefixes(call->caller);
  absl::StatusOr<AuditPage> page = gateway::ListAuditEntries(store_, query, call->deadline);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const AuditRecord& record : page->entries) ToProto(record, response->add_entries());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status AuditService::VerifyAuditChain(grpc::ServerContext* context, const v1::VerifyAuditChainRequest* request,
                                            v1::VerifyAuditChainResponse* response) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "VerifyAuditChain");
  if (!call.ok()) return ToGrpcStatus(call.status());
  // A long log takes a while: its declared timeout allows up to 10 minutes.
  absl::StatusOr<ChainReport> report = gateway::VerifyAuditChain(store_, kVerifyBatchSize, call->deadline);
  if (!report.ok()) return ToGrpcStatus(report.status());
  response->set_intact(report->intact);
  response->set_entries_checked(report->entries_checked);
  response->set_first_broken_sequence(report->first_broken_sequence);
  response->set_problem(report->problem);
  return grpc::Status::OK;
}

}  // namespace gridserve::gateway
