#include "common/errors.h"

#include <algorithm>
#include <optional>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace gridserve {
namespace {

constexpr char kBadRequestUrl[] = "type.googleapis.com/google.rpc.BadRequest";
constexpr char kRetryInfoUrl[] = "type.googleapis.com/google.rpc.RetryInfo";

std::optional<google::rpc::BadRequest> BadRequestOf(const absl::Status& status) {
  auto payload = status.GetPayload(kBadRequestUrl);
  if (!payload) return std::nullopt;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return std::nullopt;
  return bad_request;
}

std::optional<google::rpc::RetryInfo> RetryInfoOf(const absl::Status& status) {
  auto payload = status.GetPayload(kRetryInfoUrl);
  if (!payload) return std::nullopt;
  google::rpc::RetryInfo retry_info;
  if (!retry_info.ParseFromString(std::string(*payload))) return std::nullopt;
  return retry_info;
}

}  // namespace

namespace {

absl::Status WithRetryDelay(absl::StatusCode code, std::string message, absl::Duration retry_delay) {
  int64_t millis = absl::ToInt64Milliseconds(absl::Ceil(std::max(retry_delay, absl::ZeroDuration()), absl::Milliseconds(1)));
  google::rpc::RetryInfo retry_info;
  retry_info.mutable_retry_delay()->set_seconds(millis / 1000);
  retry_info.mutable_retry_delay()->set_nanos(static_cast<int32_t>(millis % 1000) * 1000000);
  absl::Status status(code, message);
  status.SetPayload(kRetryInfoUrl, absl::Cord(retry_info.SerializeAsString()));
  return status;
}

}  // namespace

absl::Status ResourceExhausted(std::string message, absl::Duration retry_delay) {
  return WithRetryDelay(absl::StatusCode::kResourceExhausted, std::move(message), retry_delay);
}

absl::Status Unavailable(std::string message, absl::Duration retry_delay) {
  return WithRetryDelay(absl::StatusCode::kUnavailable, std::move(message), retry_delay);
}

absl::Duration RetryDelayOf(const absl::Status& status) {
  std::optional<google::rpc::RetryInfo> retry_info = RetryInfoOf(status);
  if (!retry_info) return -absl::InfiniteDuration();
  return absl::Seconds(retry_info->retry_delay().seconds()) + absl::Nanoseconds(retry_info->retry_delay().nanos());
}

absl::Status InvalidArgument(const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const FieldViolation& v : violations) {
    auto* proto = bad_request.add_field_violations();
    proto->set_field(v.field);
    proto->set_description(v.description);
    parts.push_back(absl::StrCat(v.field, ": ", v.description));
  }
  absl::Status status(absl::StatusCode::kInvalidArgument,
                      absl::StrCat("invalid request: ", absl::StrJoin(parts, "; ")));
  status.SetPayload(kBadRequestUrl, absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status InvalidField(std::string field, std::string description) {
  return InvalidArgument({{std::move(field), std::move(description)}});
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> result;
  if (auto bad_request = BadRequestOf(status)) {
    for (const auto& v : bad_request->field_violations()) {
      result.push_back({v.field(), v.description()});
    }
  }
  return result;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  std::optional<google::rpc::BadRequest> bad_request = BadRequestOf(status);
  std::optional<google::rpc::RetryInfo> retry_info = RetryInfoOf(status);
  if (!bad_request && !retry_info) return grpc::Status(code, message);
  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  if (bad_request) details.add_details()->PackFrom(*bad_request);
  if (retry_info) details.add_details()->PackFrom(*retry_info);
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::BadRequest bad_request;
      if (any.UnpackTo(&bad_request)) {
        result.SetPayload(kBadRequestUrl, absl::Cord(bad_request.SerializeAsString()));
      }
      google::rpc::RetryInfo retry_info;
      if (any.UnpackTo(&retry_info)) {
        result.SetPayload(kRetryInfoUrl, absl::Cord(retry_info.SerializeAsString()));
      }
    }
  }
  return result;
}

}  // namespace gridserve
