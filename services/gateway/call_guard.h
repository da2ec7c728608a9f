#pragma once

#include <string>

#include "absl/status/status.h"
#include "common/method_rules.h"
#include "common/token.h"
#include "grpcpp/support/status.h"

namespace gridserve::gateway {

// One call as the gateway sees it before forwarding.
struct GuardedCall {
  std::string method;
  const MethodRule* rule = nullptr;
  Principal principal;  // empty subject for a public call
  std::string client_address;
  std::string request_id;
  std::string resource;  // the value of rule->resource_field in the first request message
};

// Decides on calls that need more than the permission table, such as writing
// the audit log. Both methods may block: the gateway calls them off gRPC's
// threads, and only for calls whose rule asks for it (rule->audit != kNone).
class CallGuard {
 public:
  virtual ~CallGuard() = default;
  // Before anything reaches the backend; an error refuses the call with it
  // (e.g. UNAVAILABLE when the audit log cannot be written: no unaudited writes).
  virtual absl::Status Admit(const GuardedCall& call) = 0;
  // After the backend answered with `status`, before the client hears it.
  virtual void Finished(const GuardedCall& call, const grpc::Status& status) = 0;
};

}  // namespace gridserve::gateway
