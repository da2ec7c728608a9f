#pragma once

// Conversions every membership gRPC service needs between the rules' types
// and the protos (one copy, used by the member, commitment, duty and
// organisation services).

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "gridserve/membership/v1/member.pb.h"
#include "membership/shared/member.h"

namespace gridserve::membership {

v1::Gender GenderToProto(Gender gender);
Gender GenderFromProto(v1::Gender gender);
google::protobuf::Timestamp TimestampOf(absl::Time time);

}  // namespace gridserve::membership
