#include "gateway/audit_chain.h"

#include "common/sha256.h"

#include <openssl/evp.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace gridserve::gateway {
namespace {

void AppendNetstring(std::string& out, absl::string_view field) {
  absl::StrAppend(&out, field.size(), ":", field, ",");
}

}  // namespace

absl::string_view AuditKindName(AuditKind kind) {
  switch (kind) {
    case AuditKind::kWrite:
      return "WRITE";
    case AuditKind::kPersonalDataRead:
      return "PERSONAL_DATA_READ";
    case AuditKind::kLogin:
      return "LOGIN";
    case AuditKind::kNone:
      return "";
  }
  return "";
}

bool ParseAuditKind(absl::string_view name, AuditKind* kind) {
  for (AuditKind candidate : {AuditKind::kWrite, AuditKind::kPersonalDataRead, AuditKind::kLogin}) {
    if (name == AuditKindName(candidate)) {
      *kind = candidate;
      return true;
    }
  }
  return false;
}

absl::string_view AuditPhaseName(AuditPhase phase) { return phase == AuditPhase::kStarted ? "STARTED" : "FINISHED"; }

bool ParseAuditPhase(absl::string_view name, AuditPhase* phase) {
  if (name == "STARTED") {
    *phase = AuditPhase::kStarted;
  } else if (name == "FINISHED") {
    *phase = AuditPhase::kFinished;
  } else {
    return false;
  }
  return true;
}

std::string RolesText(const Principal& principal) {
  std::string text;
  for (const RoleBinding& binding : principal.bindings) {
    absl::StrAppend(&text, text.empty() ? "" : ", ", binding.role, "@", binding.org_scope);
  }
  return text;
}

std::string CanonicalEncoding(const AuditRecord& record) {
  std::string out;
  AppendNetstring(out, "gridserve-audit-v1");
  AppendNetstring(out, absl::StrCat(record.sequence));
  AppendNetstring(out, absl::StrCat(absl::ToUnixMicros(record.time)));
  AppendNetstring(out, AuditKindName(record.kind));
  AppendNetstring(out, AuditPhaseName(record.phase));
  for (const std::string* field :
       {&record.subject, &record.roles, &record.method, &record.resource, &record.result_code, &record.request_id,
        &record.client_address, &record.previous_hash}) {
    AppendNetstring(out, *field);
  }
  return out;
}

std::string ComputeAuditHash(const AuditRecord& record) { return Sha256Hex(CanonicalEncoding(record)); }

bool ChainVerifier::Add(const AuditRecord& record) {
  if (!intact()) return false;
  int64_t expected = last_sequence_ + 1;
  if (record.sequence != expected) {
    Break(expected,
          absl::StrCat("entry ", expected, " is missing: the entry after ", last_sequence_, " is ", record.sequence));
    return false;
  }
  if (record.previous_hash != last_hash_) {
    Break(record.sequence,
          absl::StrCat("previous_hash of entry ", record.sequence, " is ", record.previous_hash, ", but the hash of ",
                       record.sequence == 1 ? std::string("the chain's start (64 zeros)")
                                            : absl::StrCat("entry ", last_sequence_),
                       " is ", last_hash_, ": an entry was replaced or removed"));
    return false;
  }
  std::string recomputed = ComputeAuditHash(record);
  if (record.hash != recomputed) {
    Break(record.sequence, absl::StrCat("entry ", record.sequence, " was modified: its contents hash to ", recomputed,
                                        ", but its stored hash is ", record.hash));
    return false;
  }
  ++checked_;
  last_sequence_ = record.sequence;
  last_hash_ = record.hash;
  return true;
}

void ChainVerifier::Finish(int64_t head_sequence, absl::string_view head_hash) {
  if (!intact()) return;
  if (last_sequence_ < head_sequence) {
    Break(last_sequence_ + 1, absl::StrCat("entries ", last_sequence_ + 1, " to ", head_sequence,
                                           " were appended (the chain head says so) but are missing"));
  } else if (last_sequence_ == head_sequence && last_hash_ != head_hash) {
    Break(last_sequence_, absl::StrCat("the chain head records hash ", head_hash, " for entry ", head_sequence,
                                       ", but the entry's hash is ", last_hash_));
  }
}

void ChainVerifier::Break(int64_t sequence, std::string problem) {
  first_broken_ = sequence;
  problem_ = std::move(problem);
}

}  // namespace gridserve::gateway
