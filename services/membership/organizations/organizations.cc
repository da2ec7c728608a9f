#include "membership/organizations/organizations.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/permissions.h"
#include "common/division.h"
#include "common/utf8.h"
#include "common/paging.h"
#include "common/status_macros.h"

namespace gridserve::membership {
namespace {

constexpr size_t kMaxDisplayNameChars = 50;

int Segment(const std::string& code, size_t offset) {
  int value = 0;
  (void)absl::SimpleAtoi(code.substr(offset, 3), &value);
  return value;
}

// Adds why `display_name` is unacceptable, if it is.
void AddDisplayNameViolation(const std::string& display_name, const std::string& field,
                             std::vector<FieldViolation>& violations) {
  std::string name(absl::StripAsciiWhitespace(display_name));
  if (name.empty()) {
    violations.push_back({field, "is required, e.g. 邻鄂镇"});
  } else if (CodePoints(name) > kMaxDisplayNameChars) {
    violations.push_back({field, absl::StrCat("must be at most ", kMaxDisplayNameChars, " characters")});
  } else if (std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    violations.push_back({field, "must not contain control characters"});
  }
}

// Why `code` cannot be of `kind` ("" when it can).
std::string KindMismatch(const std::string& code, OrganizationKind kind) {
  int town = Segment(code, 6);
  int village = Segment(code, 9);
  if (kind != OrganizationKind::kDistrict && code.substr(4, 2) == "00") {
    return "digits 1-6 must be a district (county) code such as 500114";
  }
  switch (kind) {
    case OrganizationKind::kDistrict:
      if (LevelOf(code) != DivisionLevel::kCounty) {
        return "a district code has a non-zero county part and ends in six zeros, e.g. 500114000000";
      }
      return "";
    case OrganizationKind::kTown:
      if (village != 0 || town < 1 || town > 399) {
        return "a town code has digits 7-9 from 001 to 399 (0xx 街道, 1xx 镇, 2xx-3xx 乡) and ends in 000, "
               "e.g. 500114101000";
      }
      return "";
    case OrganizationKind::kVillage:
      if (town == 0 || village < 200 || village > 399) {
        return "a village (村) code ends in 200-399, e.g. 500114101201; 001-199 is a community (社区)";
      }
      return "";
    case OrganizationKind::kCommunity:
      if (town == 0 || village < 1 || village > 199) {
        return "a community (社区) code ends in 001-199, e.g. 500114101001; 200-399 is a village (村)";
      }
      return "";
    case OrganizationKind::kUnspecified:
      return "";
  }
  return "";
}

OrganizationKind ParentKindOf(OrganizationKind kind) {
  switch (kind) {
    case OrganizationKind::kTown: return OrganizationKind::kDistrict;
    case OrganizationKind::kVillage:
    case OrganizationKind::kCommunity: return OrganizationKind::kTown;
    default: return OrganizationKind::kUnspecified;
  }
}

// Length of the significant prefix of the children of `parent_code`.
size_t ChildPrefixLength(const std::string& parent_code) {
  if (parent_code.empty()) return 6;
  switch (LevelOf(parent_code)) {
    case DivisionLevel::kCounty: return 9;
    case DivisionLevel::kTown: return 12;
    default: return 12;
  }
}

}  // namespace

absl::string_view KindName(OrganizationKind kind) {
  switch (kind) {
    case OrganizationKind::kDistrict: return "DISTRICT";
    case OrganizationKind::kTown: return "TOWN";
    case OrganizationKind::kVillage: return "VILLAGE";
    case OrganizationKind::kCommunity: return "COMMUNITY";
    case OrganizationKind::kUnspecified: return "UNSPECIFIED";
  }
  return "UNSPECIFIED";
}

std::optional<OrganizationKind> KindFromName(absl::string_view name) {
  for (OrganizationKind kind : {OrganizationKind::kDistrict, OrganizationKind::kTown,
                                OrganizationKind::kVillage, OrganizationKind::kCommunity}) {
    if (KindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string ParentCodeOf(const std::string& code, OrganizationKind kind) {
  switch (kind) {
    case OrganizationKind::kTown: return CountyOf(code);
    case OrganizationKind::kVillage:
    case OrganizationKind::kCommunity: return TownOf(code);
    default: return "";
  }
}

std::vector<FieldViolation> ValidateNewOrganization(const Organization& organization,
                                                    const std::string& field_prefix) {
  std::vector<FieldViolation> violations;
  auto field = [&](absl::string_view name) { return absl::StrCat(field_prefix, name); };
  bool code_ok = IsDivisionCode(organization.code);
  if (!code_ok) {
    violations.push_back({field("code"), "must be the 12-digit statistical division code (统计用区划代码), e.g. 500114101201"});
  }
  if (organization.kind == OrganizationKind::kUnspecified) {
    violations.push_back({field("kind"), "is required: DISTRICT, TOWN, VILLAGE or COMMUNITY"});
  } else if (code_ok) {
    if (std::string mismatch = KindMismatch(organization.code, organization.kind); !mismatch.empty()) {
      violations.push_back({field("code"), absl::StrCat("does not fit kind ", KindName(organization.kind), ": ", mismatch)});
    } else if (std::string parent = ParentCodeOf(organization.code, organization.kind);
               !organization.parent_code.empty() && organization.parent_code != parent) {
      violations.push_back({field("parent_code"), absl::StrCat("must be ", parent.empty() ? "empty for a district" : parent,
                                                               " (implied by the code); leave it empty to have it derived")});
    }
  }
  AddDisplayNameViolation(organization.display_name, field("display_name"), violations);
  return violations;
}

absl::StatusOr<Organization> Organizations::Create(const Principal& caller, Organization organization,
                                                   const std::string& request_id, absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kOrgWrite, "creating an organisation"));
  std::vector<FieldViolation> violations = ValidateNewOrganization(organization, "organization.");
  if (request_id.size() > 64) violations.push_back({"request_id", "must be at most 64 characters, e.g. a UUID"});
  if (!violations.empty()) return InvalidArgument(violations);
  RETURN_IF_ERROR(RequirePermissionAt(caller, Permission::kOrgWrite, organization.code, "organization.code"));
  organization.display_name = std::string(absl::StripAsciiWhitespace(organization.display_name));
  organization.parent_code = ParentCodeOf(organization.code, organization.kind);
  return store_.Create(organization, ParentKindOf(organization.kind), request_id, deadline);
}

absl::StatusOr<Organization> Organizations::Get(const Principal& caller, const std::string& code,
                                                absl::Time deadline) {
  if (!IsDivisionCode(code)) return InvalidField("code", "must be a 12-digit division code, e.g. 500114101201");
  // The tree itself is not personal data: a caller may read its own subtree
  // and the organisations above it (its town, its district).
  RETURN_IF_ERROR(RequirePermissionAtOrAbove(caller, Permission::kOrgRead, code, "code"));
  return store_.Get(code, deadline);
}

absl::StatusOr<OrganizationPage> Organizations::List(const Principal& caller, const std::string& parent_code,
                                                     int page_size, const std::string& page_token,
                                                     absl::Time deadline) {
  std::vector<FieldViolation> violations;
  if (!parent_code.empty() && !IsDivisionCode(parent_code)) {
    violations.push_back({"parent_code", "must be a 12-digit division code, or empty to list districts"});
  }
  CheckPageSize(page_size, violations);
  if (!violations.empty()) return InvalidArgument(violations);
  if (parent_code.empty()) {
    RETURN_IF_ERROR(RequirePermission(caller, Permission::kOrgRead, "listing organisations"));
  } else {
    RETURN_IF_ERROR(RequirePermissionAtOrAbove(caller, Permission::kOrgRead, parent_code, "parent_code"));
  }
  std::string after_code;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(after_code, DecodePageToken(page_token, parent_code, IsDivisionCode, "parent_code"));
  }
  int limit = PageLimit(page_size);
  // A child is visible when it lies under, or above, a scope the caller may
  // read: a town admin listing the district sees its own town only.
  std::set<std::string> visible_prefixes;
  for (const RoleBinding& binding : caller.bindings) {
    if (!RoleGrants(binding.role, Permission::kOrgRead)) continue;
    absl::string_view scope_prefix = SignificantPrefix(binding.org_scope);
    visible_prefixes.insert(std::string(scope_prefix.substr(0, ChildPrefixLength(parent_code))));
  }
  ASSIGN_OR_RETURN(std::vector<Organization> rows,
                   store_.ListChildren(parent_code, {visible_prefixes.begin(), visible_prefixes.end()}, after_code,
                                       limit + 1, deadline));
  OrganizationPage page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.next_page_token = EncodePageToken(parent_code, rows.back().code);
  }
  page.organizations = std::move(rows);
  return page;
}

absl::StatusOr<Organization> Organizations::Update(const Principal& caller, const std::string& code,
                                                   const std::string& display_name,
                                                   const std::vector<std::string>& update_paths,
                                                   absl::Time deadline) {
  RETURN_IF_ERROR(RequirePermission(caller, Permission::kOrgWrite, "renaming an organisation"));
  std::vector<FieldViolation> violations;
  if (!IsDivisionCode(code)) violations.push_back({"organization.code", "must name the organisation to update, e.g. 500114101201"});
  if (update_paths.empty()) violations.push_back({"update_mask", "is required; the only field that can change is display_name"});
  for (const std::string& path : update_paths) {
    if (path != "display_name") {
      violations.push_back({"update_mask", absl::StrCat("field '", path, "' cannot be changed; only display_name can (code, kind and parent are fixed)")});
    }
  }
  AddDisplayNameViolation(display_name, "organization.display_name", violations);
  if (!violations.empty()) return InvalidArgument(violations);
  RETURN_IF_ERROR(RequirePermissionAt(caller, Permission::kOrgWrite, code, "organization.code"));
  return store_.UpdateDisplayName(code, std::string(absl::StripAsciiWhitespace(display_name)), deadline);
}

}  // namespace gridserve::membership
