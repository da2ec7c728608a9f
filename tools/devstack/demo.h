#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace gridserve::devstack {

struct DemoSummary {
  int organizations = 0;  // present after loading (created now or earlier)
};

// Creates the organisations listed in `tsv_path` through the gateway. Each
// create carries request_id "demo-<code>", so loading twice changes nothing.
absl::StatusOr<DemoSummary> LoadDemoOrganizations(const std::string& gateway_address,
                                                  const std::string& token, const std::string& tsv_path);

}  // namespace gridserve::devstack
