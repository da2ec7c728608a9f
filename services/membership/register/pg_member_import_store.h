#pragma once

#include "common/pg_pool.h"
#include "membership/register/member_import.h"

namespace gridserve::membership {

// MemberImportStore on the membership schema (sql/queries/member_import_*.sql):
// COPY into a temporary staging table, then set-based INSERT ... SELECT and
// UPDATE ... FROM against members, in one transaction.
class PgMemberImportStore : public MemberImportStore {
 public:
  explicit PgMemberImportStore(PgPool& pool) : pool_(pool) {}

  absl::StatusOr<std::vector<ImportBranch>> ListBranches(const std::string& org_code, absl::Time deadline) override;
  absl::StatusOr<std::optional<StoredImport>> FindImport(const std::string& request_id, absl::Time deadline) override;
  absl::StatusOr<ImportCounts> Write(const std::vector<ImportRow>& rows, const ImportWrite& write,
                                     const v1::ImportReport& report,
                                     absl::Time deadline) override;

 private:
  PgPool& pool_;
};

}  // namespace gridserve::membership
