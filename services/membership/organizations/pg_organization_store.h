#pragma once

#include "common/pg_pool.h"
#include "membership/organizations/organization.h"

namespace gridserve::membership {

// OrganizationStore on the membership schema (sql/queries/*organization*.sql).
class PgOrganizationStore : public OrganizationStore {
 public:
  explicit PgOrganizationStore(PgPool& pool) : pool_(pool) {}

  absl::StatusOr<Organization> Create(const Organization& organization, OrganizationKind parent_kind,
                                      const std::string& request_id, absl::Time deadline) override;
  absl::StatusOr<Organization> Get(const std::string& code, absl::Time deadline) override;
  absl::StatusOr<std::vector<Organization>> ListChildren(const std::string& parent_code,
                                                         const std::vector<std::string>& code_prefixes,
                                                         const std::string& after_code, int limit,
                                                         absl::Time deadline) override;
  absl::StatusOr<Organization> UpdateDisplayName(const std::string& code, const std::string& display_name,
                                                 absl::Time deadline) override;

 private:
  PgPool& pool_;
};

}  // namespace gridserve::membership
