#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace gridserve::gateway {

// Full names of every service reachable at the gateway: the gridserve.*
// services of all backends (from the compiled-in protos), the gateway's own,
// health and reflection.
std::vector<std::string> PublicServiceNames();

// INVALID_ARGUMENT naming the missing --peers entry unless every backend that
// owns a public service has an address.
absl::Status CheckBackendsConfigured(const std::map<std::string, std::string>& peers);

}  // namespace gridserve::gateway
