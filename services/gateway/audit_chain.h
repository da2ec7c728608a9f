#pragma once

#include "common/sha256.h"

// The audit log's hash chain, as pure functions: no database, no gRPC.
//
// Canonical encoding (what an entry's hash covers). Each field is written as
// a netstring, "<decimal byte length>:<bytes>,", so no two different field
// lists encode to the same bytes (("ab","c") and ("a","bc") differ):
//
//   netstring("gridserve-audit-v1")        a version tag, changed if the encoding ever changes
//   netstring(sequence)                    decimal, e.g. "1"
//   netstring(time)                        Unix microseconds, decimal (as stored: timestamptz)
//   netstring(kind)                        "WRITE" | "PERSONAL_DATA_READ" | "LOGIN"
//   netstring(phase)                       "STARTED" | "FINISHED"
//   netstring(subject), netstring(roles), netstring(method), netstring(resource),
//   netstring(result_code), netstring(request_id), netstring(client_address),
//   netstring(previous_hash)               64 lowercase hex digits
//
// hash = lowercase hex SHA-256 of those bytes. The first entry's
// previous_hash is kGenesisHash (64 zeros). Strings are hashed as stored
// (UTF-8 bytes), without any normalisation.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/method_rules.h"
#include "common/token.h"

namespace gridserve::gateway {

inline constexpr char kGenesisHash[] = "0000000000000000000000000000000000000000000000000000000000000000";

enum class AuditPhase { kStarted, kFinished };

// One row of audit_entries.
struct AuditRecord {
  int64_t sequence = 0;
  absl::Time time;  // microsecond precision (PostgreSQL timestamptz)
  AuditKind kind = AuditKind::kWrite;
  AuditPhase phase = AuditPhase::kStarted;
  std::string subject;
  std::string roles;  // "ROLE@scope, ROLE@scope"
  std::string method;
  std::string resource;
  std::string result_code;  // gRPC code name; empty while STARTED
  std::string request_id;
  std::string client_address;
  std::string previous_hash;
  std::string hash;
};

absl::string_view AuditKindName(AuditKind kind);  // "" for kNone
bool ParseAuditKind(absl::string_view name, AuditKind* kind);
absl::string_view AuditPhaseName(AuditPhase phase);
bool ParseAuditPhase(absl::string_view name, AuditPhase* phase);

// "ROLE@scope, ROLE@scope" in the order of the principal's bindings.
std::string RolesText(const Principal& principal);

// The bytes the hash covers (all fields but `hash`), as documented above.
std::string CanonicalEncoding(const AuditRecord& record);
// Lowercase hex SHA-256 of CanonicalEncoding(record).
std::string ComputeAuditHash(const AuditRecord& record);

// Checks a chain fed entry by entry in sequence order (in batches if need
// be): sequences run 1, 2, 3 … without gaps, each previous_hash is the hash
// of the entry before, and each hash matches the entry's contents. The first
// problem found is kept; later entries are ignored.
class ChainVerifier {
 public:
  // False once the chain is broken (the rest need not be fed).
  bool Add(const AuditRecord& record);
  // The chain must end at the recorded head (sequence and hash of the last
  // entry appended): catches entries removed from the end.
  void Finish(int64_t head_sequence, absl::string_view head_hash);

  bool intact() const { return first_broken_ == 0; }
  int64_t entries_checked() const { return checked_; }
  int64_t first_broken_sequence() const { return first_broken_; }
  const std::string& problem() const { return problem_; }
  int64_t last_sequence() const { return last_sequence_; }

 private:
  void Break(int64_t sequence, std::string problem);

  int64_t checked_ = 0;
  int64_t last_sequence_ = 0;
  std::string last_hash_ = kGenesisHash;
  int64_t first_broken_ = 0;
  std::string problem_;
};

}  // namespace gridserve::gateway
