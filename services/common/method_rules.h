#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/permissions.h"

namespace gridserve {

// Whether the call writes, or reads personal data: both are audited.
enum class AuditKind { kNone, kWrite, kPersonalDataRead, kLogin };

// How a method may be called, as its proto declares it with the method
// option (gridserve.api.v1.access) (proto/gridserve/api/v1/access.proto).
struct MethodRule {
  Permission permission = Permission::kPublic;
  AuditKind audit = AuditKind::kNone;
  // Request field holding the org code or record the call acts on ("" if
  // none), e.g. "organization.code"; the gateway records it in the audit log.
  std::string resource_field;
  // Deadlines are capped at this; a call without one gets it.
  absl::Duration timeout = absl::Seconds(30);
  // A client stream quiet for this long ends with DEADLINE_EXCEEDED.
  absl::Duration idle_timeout = absl::Seconds(60);
  bool client_streaming = false;
  bool server_streaming = false;
};

// The rule of a full method name ("/pkg.Service/Method"), read once from the
// descriptors of the gridserve.* protos linked into this process; the
// infrastructure services (grpc.health.v1, server reflection) are public.
// nullptr when no linked descriptor declares the method with a rule: such a
// method is not served (UNIMPLEMENTED), so no RPC is exposed by accident.
const MethodRule* FindMethodRule(absl::string_view method);

// Lowers every declared timeout above `max_call` to it and every idle
// timeout above `max_idle` (a zero duration leaves them), e.g. an operator
// who wants no call to run longer than 60 s. Call at start-up, before the
// first call is served.
void LimitDeclaredTimeouts(absl::Duration max_call, absl::Duration max_idle);

// Every method that has a rule (for tests and documentation).
std::vector<std::string> MethodsWithRules();

// What is wrong with the declarations, one line each ("" entries never):
// a gridserve.* method without the option, with an unspecified permission or
// audit kind, a resource_field that is not a string field of its request, or
// a negative timeout. Empty when every declaration is complete.
std::vector<std::string> MethodRuleProblems();

}  // namespace gridserve
