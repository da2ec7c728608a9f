#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/token.h"
#include "gridserve/membership/v1/member.pb.h"
#include "membership/shared/member.h"
#include "membership/register/personal_data_sealer.h"

namespace gridserve::membership {

// A village or community a roster row may name in 所在党支部.
struct ImportBranch {
  std::string code;
  std::string display_name;
};

// One valid row, ready for the store.
struct ImportRow {
  int row_number = 0;
  Member member;  // normalised; national_id cleared (it travels sealed in `identity`)
  SealedIdentity identity;
};

// What the store did (or, for a dry run, would do) with the rows.
struct ImportCounts {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

struct ImportWrite {
  std::string actor;        // subject of the caller, for member_events
  std::string request_id;   // "" for none
  std::string org_code;
  std::string file_name;
  std::string file_sha256;  // hex; ties a request_id to one file
  absl::CivilDay effective_date;
  bool dry_run = false;
};

// An earlier import stored under a request_id.
struct StoredImport {
  std::string file_sha256;
  std::string org_code;
  v1::ImportReport report;
};

// Storage of roster imports. Implemented on PostgreSQL by PgMemberImportStore.
class MemberImportStore {
 public:
  virtual ~MemberImportStore() = default;

  // The villages and communities in the subtree of `org_code` (itself
  // included when it is one); NOT_FOUND when `org_code` does not exist.
  virtual absl::StatusOr<std::vector<ImportBranch>> ListBranches(const std::string& org_code,
                                                                 absl::Time deadline) = 0;
  virtual absl::StatusOr<std::optional<StoredImport>> FindImport(const std::string& request_id,
                                                                 absl::Time deadline) = 0;
  // In one transaction: loads `rows` with COPY into a staging table, matches
  // each to the active record of the same person (person_key) in the same
  // branch, and — unless write.dry_run — inserts the new ones, updates the
  // changed ones, appends an IMPORTED event per created or updated member
  // and stores `report` (with the counts filled in) under write.request_id.
  // ALREADY_EXISTS when another import took the request_id meanwhile. The
  // transaction may be retried, so nothing is reported while it runs.
  virtual absl::StatusOr<ImportCounts> Write(const std::vector<ImportRow>& rows, const ImportWrite& write,
                                             const v1::ImportReport& report, absl::Time deadline) = 0;
};

// Limits of one import (ImportMembers' contract).
inline constexpr size_t kMaxImportChunkBytes = 1u << 20;
inline constexpr size_t kMaxImportFileBytes = 32u << 20;
inline constexpr int kMaxImportRows = 50'000;
// The most problems one report lists (rows_with_problems counts them all).
inline constexpr int kMaxReportedProblems = 1000;

using ImportProgressSink = std::function<void(const v1::ImportProgress&)>;

// Bulk import of a roster (issue 4 deliverable 2): reads the file
// (roster_reader.h), maps the attachment-1 columns (roster_columns.h),
// judges every row with the register's own rules (ParseAndValidateMember)
// and identifies people with the register's own person key
// (PersonalDataSealer), then writes all rows in one transaction or none.
class MemberImport {
 public:
  MemberImport(MemberImportStore& store, const PersonalDataSealer& sealer,
               std::function<absl::Time()> now = absl::Now)
      : store_(store), sealer_(sealer), now_(std::move(now)) {}

  // Checks made before the file is received: a valid org_code over which the
  // caller holds MEMBER_WRITE.
  absl::Status CheckHeader(const Principal& caller, const v1::ImportHeader& header) const;

  // Imports `file`. Problems with rows (and with the header row) are in the
  // report, and then nothing is written; a file that cannot be read at all
  // is INVALID_ARGUMENT, one over the limits RESOURCE_EXHAUSTED. A repeated
  // request_id returns the stored report of the first import of the same file.
  absl::StatusOr<v1::ImportReport> Import(const Principal& caller, const v1::ImportHeader& header,
                                          absl::string_view file, const ImportProgressSink& progress,
                                          absl::Time deadline);

 private:
  MemberImportStore& store_;
  const PersonalDataSealer& sealer_;
  std::function<absl::Time()> now_;
};

}  // namespace gridserve::membership
