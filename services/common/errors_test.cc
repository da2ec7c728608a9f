#include "common/errors.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace gridserve {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

::testing::Matcher<const FieldViolation&> Violation(const std::string& field, const std::string& description) {
  return AllOf(Field("field", &FieldViolation::field, field),
               Field("description", &FieldViolation::description, description));
}

::testing::Matcher<const FieldViolation&> Violation(const FieldViolation& expected) {
  return Violation(expected.field, expected.description);
}

// DESIGN.md §5 Errors: canonical codes; INVALID_ARGUMENT carries
// google.rpc.BadRequest field violations; messages say what was wrong.
const std::vector<FieldViolation> kViolations = {
    {"organization.code", "must be 12 digits, e.g. 500114101201"},
    {"organization.display_name", "is required, e.g. 邻鄂镇"},
};

google::rpc::BadRequest BadRequestFromWire(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details())) << "error_details is not a google.rpc.Status";
  EXPECT_EQ(details.code(), static_cast<int>(status.error_code()));
  EXPECT_EQ(details.message(), status.error_message());
  google::rpc::BadRequest bad_request;
  EXPECT_EQ(details.details_size(), 1);
  if (details.details_size() == 1) {
    EXPECT_TRUE(details.details(0).Is<google::rpc::BadRequest>()) << details.details(0).type_url();
    EXPECT_TRUE(details.details(0).UnpackTo(&bad_request));
  }
  return bad_request;
}

TEST(InvalidArgumentTest, CarriesBadRequestViolations) {
  absl::Status status = InvalidArgument(kViolations);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsOf(status), ElementsAre(Violation(kViolations[0]), Violation(kViolations[1])));
}

TEST(InvalidArgumentTest, MessageListsTheViolationsForClientsIgnoringDetails) {
  absl::Status status = InvalidArgument(kViolations);
  EXPECT_THAT(std::string(status.message()), HasSubstr("organization.code: must be 12 digits"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("organization.display_name: is required"));
}

TEST(InvalidFieldTest, IsOneViolation) {
  absl::Status status = InvalidField("page_token", "not a token from this listing");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsOf(status), ElementsAre(Violation("page_token", "not a token from this listing")));
}

TEST(FieldViolationsOfTest, EmptyForStatusesWithoutDetails) {
  EXPECT_THAT(FieldViolationsOf(absl::OkStatus()), IsEmpty());
  EXPECT_THAT(FieldViolationsOf(absl::InvalidArgumentError("plain")), IsEmpty());
  EXPECT_THAT(FieldViolationsOf(absl::NotFoundError("gone")), IsEmpty());
}

TEST(ToGrpcStatusTest, OkIsOk) {
  grpc::Status status = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OK);
  EXPECT_TRUE(status.error_details().empty());
}

TEST(ToGrpcStatusTest, PutsBadRequestIntoErrorDetails) {
  grpc::Status status = ToGrpcStatus(InvalidArgument(kViolations));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("organization.code"));
  google::rpc::BadRequest bad_request = BadRequestFromWire(status);
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "organization.code");
  EXPECT_EQ(bad_request.field_violations(0).description(), "must be 12 digits, e.g. 500114101201");
  EXPECT_EQ(bad_request.field_violations(1).field(), "organization.display_name");
  EXPECT_EQ(bad_request.field_violations(1).description(), "is required, e.g. 邻鄂镇");
}

TEST(ToGrpcStatusTest, PreservesCodesAndMessages) {
  const std::vector<std::pair<absl::Status, grpc::StatusCode>> cases = {
      {absl::NotFoundError("organisation 500114101201 does not exist"), grpc::StatusCode::NOT_FOUND},
      {absl::PermissionDeniedError("outside your org scope"), grpc::StatusCode::PERMISSION_DENIED},
      {absl::UnauthenticatedError("log in again"), grpc::StatusCode::UNAUTHENTICATED},
      {absl::AlreadyExistsError("exists"), grpc::StatusCode::ALREADY_EXISTS},
      {absl::FailedPreconditionError("parent missing"), grpc::StatusCode::FAILED_PRECONDITION},
      {absl::DeadlineExceededError("too slow"), grpc::StatusCode::DEADLINE_EXCEEDED},
      {absl::UnavailableError("starting"), grpc::StatusCode::UNAVAILABLE},
      {absl::AbortedError("conflict"), grpc::StatusCode::ABORTED},
      {absl::InternalError("bug"), grpc::StatusCode::INTERNAL},
      {absl::InvalidArgumentError("plain"), grpc::StatusCode::INVALID_ARGUMENT},
  };
  for (const auto& [in, code] : cases) {
    grpc::Status out = ToGrpcStatus(in);
    EXPECT_EQ(out.error_code(), code) << in;
    EXPECT_EQ(out.error_message(), std::string(in.message())) << in;
    EXPECT_TRUE(out.error_details().empty()) << in;
  }
}

TEST(FromGrpcStatusTest, OkIsOk) { EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok()); }

TEST(FromGrpcStatusTest, RoundTripsViolationsCodeAndMessage) {
  absl::Status original = InvalidArgument(kViolations);
  absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(back.message(), original.message());
  EXPECT_THAT(FieldViolationsOf(back), ElementsAre(Violation(kViolations[0]), Violation(kViolations[1])));
}

TEST(FromGrpcStatusTest, PreservesCodeWithoutDetails) {
  absl::Status back = FromGrpcStatus(grpc::Status(grpc::StatusCode::NOT_FOUND, "no such member"));
  EXPECT_EQ(back.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(back.message(), "no such member");
  EXPECT_THAT(FieldViolationsOf(back), IsEmpty());
}

TEST(FromGrpcStatusTest, ReadsBadRequestBuiltByAnotherPeer) {
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field("member.phone");
  violation->set_description("must be 11 digits");
  google::rpc::Status details;
  details.set_code(static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  details.set_message("bad phone");
  details.add_details()->PackFrom(bad_request);
  absl::Status back =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad phone", details.SerializeAsString()));
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsOf(back), ElementsAre(Violation("member.phone", "must be 11 digits")));
}

TEST(FromGrpcStatusTest, IgnoresUnparsableDetails) {
  absl::Status back =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "odd peer", std::string("\xff\xff\xff", 3)));
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(back.message(), "odd peer");
  EXPECT_THAT(FieldViolationsOf(back), IsEmpty());
}

TEST(ResourceExhaustedTest, CarriesRetryInfoOnTheWireRoundedUpToMilliseconds) {
  absl::Status status = ResourceExhausted("too many calls; retry in 0.25s", absl::Microseconds(250100));
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryDelayOf(status), absl::Milliseconds(251));
  grpc::Status wire = ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(wire.error_message(), "too many calls; retry in 0.25s");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::RetryInfo retry_info;
  ASSERT_TRUE(details.details(0).UnpackTo(&retry_info));
  EXPECT_EQ(retry_info.retry_delay().seconds(), 0);
  EXPECT_EQ(retry_info.retry_delay().nanos(), 251000000);
  absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(RetryDelayOf(back), absl::Milliseconds(251));
}

TEST(ResourceExhaustedTest, NoRetryInfoMeansNegativeDelay) {
  EXPECT_LT(RetryDelayOf(absl::ResourceExhaustedError("x")), absl::ZeroDuration());
  EXPECT_TRUE(ToGrpcStatus(absl::ResourceExhaustedError("x")).error_details().empty());
}

}  // namespace
}  // namespace gridserve
