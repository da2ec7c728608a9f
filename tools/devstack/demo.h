#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gridserve::devstack {

struct DemoSummary {
  int organizations = 0;  // present after loading (created now or earlier)
};

// Creates the organisations listed in `tsv_path` through the gateway. Each
// create carries request_id "demo-<code>", so loading twice changes nothing.
absl::StatusOr<DemoSummary> LoadDemoOrganizations(const std::string& gateway_address,
                                                  const std::string& token, const std::string& tsv_path);

// One demo account per role (DESIGN.md §1), all with kDemoPassword.
struct DemoAccount {
  std::string login_name;
  std::string display_name;
  std::string role;       // also the binding's role
  std::string org_code;   // the account's organisation and the binding's scope
  std::string org_name;
};
inline constexpr char kDemoPassword[] = "gridserve-demo-2024";
const std::vector<DemoAccount>& DemoAccounts();

// Creates DemoAccounts() through the gateway's AccountService with `token`
// (a DISTRICT_ADMIN over 500114). Each create carries request_id
// "demo-account-<login>", so loading twice changes nothing. Returns how many
// are present.
absl::StatusOr<int> LoadDemoAccounts(const std::string& gateway_address, const std::string& token);

}  // namespace gridserve::devstack
