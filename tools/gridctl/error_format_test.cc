#include "tools/gridctl/error_format.h"

#include "common/errors.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tools/gridctl/command_line.h"

namespace gridserve::gridctl {
namespace {

using ::testing::HasSubstr;

const ErrorContext kContext{.server = "10.0.0.5:50051", .timeout = absl::Seconds(10)};

std::string Format(const grpc::Status& status) { return FormatError(FromGrpcStatus(status), kContext); }

TEST(FormatErrorTest, FieldViolationsFromStatusDetails) {
  // Exactly what a GridServe server sends (common/errors.cc).
  grpc::Status wire = ToGrpcStatus(InvalidArgument({{"organization.code", "must be 12 digits, e.g. 500114101201"},
                                                    {"organization.display_name", "must not be empty"}}));
  EXPECT_EQ(Format(wire),
            "gridctl: invalid request: organization.code: must be 12 digits, e.g. 500114101201; "
            "organization.display_name: must not be empty");
}

TEST(FormatErrorTest, InvalidArgumentWithoutDetailsKeepsTheMessage) {
  EXPECT_EQ(Format(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "invalid request: page_token is stale")),
            "gridctl: invalid request: page_token is stale");
}

TEST(FormatErrorTest, PlainWordsPerCode) {
  struct Case {
    grpc::StatusCode code;
    std::string message;
    std::string want;
  };
  for (const Case& c : std::vector<Case>{
           {grpc::StatusCode::UNAUTHENTICATED, "token expired",
            "gridctl: not logged in or session expired: run `gridctl login NAME` (token expired)"},
           {grpc::StatusCode::UNAVAILABLE, "failed to connect to all addresses",
            "gridctl: cannot reach the gateway at 10.0.0.5:50051: failed to connect to all addresses"},
           {grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded",
            "gridctl: the gateway at 10.0.0.5:50051 did not answer within 10s (raise --timeout if it is just slow)"},
           {grpc::StatusCode::PERMISSION_DENIED, "permission denied: ACCOUNT_WRITE needed for CreateUser",
            "gridctl: permission denied: ACCOUNT_WRITE needed for CreateUser"},
           {grpc::StatusCode::NOT_FOUND, "users/9 does not exist", "gridctl: not found: users/9 does not exist"},
           {grpc::StatusCode::ALREADY_EXISTS, "login name zhangsan is taken",
            "gridctl: already exists: login name zhangsan is taken"},
           {grpc::StatusCode::UNIMPLEMENTED, "", "gridctl: the gateway at 10.0.0.5:50051 does not offer this call"},
           {grpc::StatusCode::INTERNAL, "boom", "gridctl: server error (INTERNAL): boom"},
       }) {
    EXPECT_EQ(Format(grpc::Status(c.code, c.message)), c.want);
  }
}

TEST(FormatErrorTest, RetryHintFromRetryInfo) {
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(2);
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::RESOURCE_EXHAUSTED);
  details.add_details()->PackFrom(retry);
  grpc::Status wire(grpc::StatusCode::RESOURCE_EXHAUSTED, "rate limit of users/42", details.SerializeAsString());
  EXPECT_EQ(Format(wire), "gridctl: too many requests: rate limit of users/42 (retry in 2s)");
}

TEST(FormatErrorTest, AlwaysOneLine) {
  std::string line = Format(grpc::Status(grpc::StatusCode::INTERNAL, "first\nsecond\r\nthird"));
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_THAT(line, HasSubstr("first second"));
}

TEST(FormatErrorTest, LocalAndUsageErrorsPrintedAsIs) {
  EXPECT_EQ(FormatError(LocalError("cannot write /x: Permission denied"), kContext),
            "gridctl: cannot write /x: Permission denied");
  EXPECT_EQ(FormatError(UsageError("unknown command \"x\""), kContext), "gridctl: unknown command \"x\"");
}

TEST(ExitCodeTest, ZeroOkTwoUsageOneOtherwise) {
  EXPECT_EQ(ExitCodeFor(absl::OkStatus()), 0);
  EXPECT_EQ(ExitCodeFor(UsageError("bad flag")), 2);
  EXPECT_EQ(ExitCodeFor(LocalError("no terminal")), 1);
  // A server's INVALID_ARGUMENT is the call failing, not a usage error.
  EXPECT_EQ(ExitCodeFor(FromGrpcStatus(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad"))), 1);
  EXPECT_EQ(ExitCodeFor(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"))), 1);
}

}  // namespace
}  // namespace gridserve::gridctl
