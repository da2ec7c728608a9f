#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gridserve::devstack {

struct DemoSummary {
  int organizations = 0;  // present after loading (created now or earlier)
};

// One organisation to create: kind as in the protos without the prefix
// ("DISTRICT", "TOWN", "VILLAGE", "COMMUNITY").
struct OrganizationRow {
  std::string code;
  std::string kind;
  std::string display_name;
  std::string parent_code;  // may be empty: the service derives it from the code
};

// Creates `rows` in order through `address` (the gateway or membership) with
// `token`, each with request_id "<request_id_prefix><code>" so creating them
// again changes nothing. Fails naming the first row that could not be created.
absl::Status CreateOrganizations(const std::string& address, const std::string& token,
                                 const std::vector<OrganizationRow>& rows, const std::string& request_id_prefix,
                                 bool demo_data = false);

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
// Returns the user id of each demo account by login name.
absl::StatusOr<std::map<std::string, std::string>> LoadDemoAccounts(const std::string& gateway_address,
                                                                    const std::string& token);

struct DemoMembersSummary {
  int members = 0;      // present after loading
  int duties = 0;       // members with duties for `year`
  int commitments = 0;  // commitments for `year`
  int year = 0;
};

// Creates the members of `tsv_path` (tools/demo/members.tsv) through the
// gateway, with their duties and commitments for the current year; the member
// keyed m01 is linked to `member_user` ("users/<id>", the demo-member account).
// Creates carry request ids "demo-member-<key>" and
// "demo-commitment-<key>-<year>-<n>", and duties are set (a replace), so
// loading twice changes nothing.
absl::StatusOr<DemoMembersSummary> LoadDemoMembers(const std::string& gateway_address, const std::string& token,
                                                   const std::string& tsv_path, const std::string& member_user);

}  // namespace gridserve::devstack
