#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/errors.h"

namespace gridserve::gridctl {

// What an error message needs to know about the call that failed.
struct ErrorContext {
  std::string server;
  absl::Duration timeout = absl::Seconds(10);
};

// Statuses from the gateway are decoded with gridserve::FromGrpcStatus
// (common/errors.h), which keeps google.rpc.BadRequest field violations and
// google.rpc.RetryInfo from grpc-status-details-bin.

// A problem on this machine (session file, terminal): printed as is.
absl::Status LocalError(absl::string_view message);

// One line, without a trailing newline, e.g.
//   gridctl: invalid request: organization.code: must be 12 digits
//   gridctl: cannot reach the gateway at 127.0.0.1:50051: failed to connect
std::string FormatError(const absl::Status& status, const ErrorContext& context);

// 0 ok, 2 usage error, 1 anything else.
int ExitCodeFor(const absl::Status& status);

}  // namespace gridserve::gridctl
