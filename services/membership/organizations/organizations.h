#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/errors.h"
#include "common/token.h"
#include "membership/organizations/organization.h"

namespace gridserve::membership {

// Field violations of a new organisation (empty when valid): code shape,
// kind matching the code's level and segment ranges, parent code derived
// from the code, display name.
std::vector<FieldViolation> ValidateNewOrganization(const Organization& organization,
                                                    const std::string& field_prefix);

// The parent code implied by a code of the given kind ("" for a district).
std::string ParentCodeOf(const std::string& code, OrganizationKind kind);

// A page of children.
struct OrganizationPage {
  std::vector<Organization> organizations;
  std::string next_page_token;
};

// The organisation tree's rules: validation, role and org-scope checks,
// pagination. Storage is behind OrganizationStore.
class Organizations {
 public:
  explicit Organizations(OrganizationStore& store) : store_(store) {}

  absl::StatusOr<Organization> Create(const Principal& caller, Organization organization,
                                      const std::string& request_id, absl::Time deadline);
  absl::StatusOr<Organization> Get(const Principal& caller, const std::string& code, absl::Time deadline);
  absl::StatusOr<OrganizationPage> List(const Principal& caller, const std::string& parent_code,
                                        int page_size, const std::string& page_token, absl::Time deadline);
  absl::StatusOr<Organization> Update(const Principal& caller, const std::string& code,
                                      const std::string& display_name,
                                      const std::vector<std::string>& update_paths, absl::Time deadline);

 private:
  OrganizationStore& store_;
};

}  // namespace gridserve::membership
