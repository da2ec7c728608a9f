#include "gateway/public_services.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/method_rules.h"
#include "gateway/forwarding_service.h"

namespace gridserve::gateway {

std::vector<std::string> PublicServiceNames() {
  // Every method with a declared rule is public; the process links the
  // descriptors of every public proto package (gridserve_public_protos).
  std::set<std::string> services;
  for (const std::string& method : MethodsWithRules()) services.insert(method.substr(1, method.rfind('/') - 1));
  return {services.begin(), services.end()};
}

absl::Status CheckBackendsConfigured(const std::map<std::string, std::string>& peers) {
  for (const std::string& service : PublicServiceNames()) {
    absl::StatusOr<std::string> backend = BackendOf(absl::StrCat("/", service, "/"));
    if (!backend.ok() || *backend == "gateway") continue;
    if (!peers.contains(*backend)) {
      return absl::InvalidArgumentError(absl::StrCat("--peers has no address for backend '", *backend, "' (serves ", service,
                                                     "); add ", *backend, "=host:port"));
    }
  }
  return absl::OkStatus();
}

}  // namespace gridserve::gateway
