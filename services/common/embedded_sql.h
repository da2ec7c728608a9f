#pragma once

#include "absl/strings/string_view.h"
#include <span>
#include <string_view>

namespace gridserve {

// One .sql file embedded at build time by gridserve_embed_sql().
struct SqlFile {
  absl::string_view name;  // file stem, e.g. "0001_organizations" or "get_organization"
  absl::string_view text;
};

}  // namespace gridserve
