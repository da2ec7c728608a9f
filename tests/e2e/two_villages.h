#pragma once

// The stack the member e2e tests share: the whole suite without the TLS
// listener, and the tree 黔江区 → 邻鄂镇 → 演示一村, 演示二村 created through the
// gateway.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/status_macros.h"
#include "tools/devstack/demo.h"
#include "tools/devstack/stack.h"

namespace gridserve::e2e {

inline constexpr char kDistrict[] = "500114000000";
inline constexpr char kTown[] = "500114101000";          // 邻鄂镇
inline constexpr char kVillage[] = "500114101201";       // 演示一村
inline constexpr char kOtherVillage[] = "500114101202";  // 演示二村

// `name` names the throwaway state folder (see devstack::TestStackOptions).
inline absl::StatusOr<std::unique_ptr<devstack::Stack>> StartTwoVillageStack(const std::string& name) {
  devstack::StackOptions options = devstack::TestStackOptions(name);
  options.gateway_tls = false;
  ASSIGN_OR_RETURN(std::unique_ptr<devstack::Stack> stack, devstack::Stack::Start(std::move(options)));
  RETURN_IF_ERROR(devstack::CreateOrganizations(stack->address("gateway"), stack->AdminToken(),
                                                {{kDistrict, "DISTRICT", "黔江区"},
                                                 {kTown, "TOWN", "邻鄂镇"},
                                                 {kVillage, "VILLAGE", "演示一村"},
                                                 {kOtherVillage, "VILLAGE", "演示二村"}},
                                                "e2e-"));
  return stack;
}

}  // namespace gridserve::e2e
