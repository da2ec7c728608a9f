#pragma once

#include "absl/strings/string_view.h"
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gridserve::membership {

enum class OrganizationKind { kUnspecified, kDistrict, kTown, kVillage, kCommunity };

absl::string_view KindName(OrganizationKind kind);  // "DISTRICT", ...
std::optional<OrganizationKind> KindFromName(absl::string_view name);

// One node of the district's organisation tree.
struct Organization {
  std::string code;  // 12-digit division code
  OrganizationKind kind = OrganizationKind::kUnspecified;
  std::string parent_code;  // "" for a district
  std::string display_name;
  bool demo_data = false;
  absl::Time create_time;
  absl::Time update_time;
};

// Storage of the tree. Implemented on PostgreSQL by PgOrganizationStore.
class OrganizationStore {
 public:
  virtual ~OrganizationStore() = default;

  // Inserts `organization` in one transaction: a repeated `request_id`
  // returns the organisation created first; the parent must exist with
  // `parent_kind`; the code and the name among siblings must be free
  // (ALREADY_EXISTS otherwise).
  virtual absl::StatusOr<Organization> Create(const Organization& organization,
                                              OrganizationKind parent_kind,
                                              const std::string& request_id, absl::Time deadline) = 0;
  virtual absl::StatusOr<Organization> Get(const std::string& code, absl::Time deadline) = 0;
  // Children of `parent_code` ("" for districts) whose code starts with one
  // of `code_prefixes` (digits only), after `after_code`, ordered by code, at most `limit`.
  virtual absl::StatusOr<std::vector<Organization>> ListChildren(
      const std::string& parent_code, const std::vector<std::string>& code_prefixes, const std::string& after_code,
      int limit, absl::Time deadline) = 0;
  virtual absl::StatusOr<Organization> UpdateDisplayName(const std::string& code,
                                                         const std::string& display_name,
                                                         absl::Time deadline) = 0;
};

}  // namespace gridserve::membership
