#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
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
  absl::Time deadline = absl::InfiniteFuture();  // the forwarded call's deadline
};

// Decides on calls that need more than the method rules, such as writing the
// audit log; asked only for calls whose rule says so (rule->audit != kNone).
// Neither method blocks: gRPC's threads call them.
class CallGuard {
 public:
  using Admission = std::function<void(absl::Status)>;

  virtual ~CallGuard() = default;
  // Before anything reaches the backend. Calls `done` exactly once, on any
  // thread (possibly before Admit returns): OK lets the call go ahead, an
  // error refuses it with that status (e.g. UNAVAILABLE when the audit log
  // cannot be written: no unaudited call).
  virtual void Admit(const GuardedCall& call, Admission done) = 0;
  // After the backend answered with `status` (the client hears it at once).
  virtual void Finished(const GuardedCall& call, const grpc::Status& status) = 0;
};

}  // namespace gridserve::gateway
