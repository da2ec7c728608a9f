#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace gridserve {

// One wrong request field: where it is and what to do about it.
struct FieldViolation {
  std::string field;        // e.g. "organization.code"
  std::string description;  // e.g. "must be 12 digits, e.g. 500114101201"
};

// INVALID_ARGUMENT carrying a google.rpc.BadRequest with the given
// violations; the message lists them too, for clients that ignore details.
absl::Status InvalidArgument(const std::vector<FieldViolation>& violations);
absl::Status InvalidField(std::string field, std::string description);

// The field violations carried by `status` (empty if none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// RESOURCE_EXHAUSTED carrying a google.rpc.RetryInfo with `retry_delay`
// (rounded up to whole milliseconds); `message` should say when to retry.
absl::Status ResourceExhausted(std::string message, absl::Duration retry_delay);

// UNAVAILABLE carrying a google.rpc.RetryInfo, e.g. for load shed before
// any work was done.
absl::Status Unavailable(std::string message, absl::Duration retry_delay);

// The retry delay carried by `status` (nullopt-like: negative if none).
absl::Duration RetryDelayOf(const absl::Status& status);

// The one mapping from absl::Status to the wire: canonical code, message,
// and a google.rpc.Status in grpc-status-details-bin when there are details.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for statuses received from peers (keeps BadRequest and RetryInfo details).
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace gridserve
