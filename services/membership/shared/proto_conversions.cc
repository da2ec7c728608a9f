#include "membership/shared/proto_conversions.h"

#include "google/protobuf/util/time_util.h"

namespace gridserve::membership {

v1::Gender GenderToProto(Gender gender) {
  switch (gender) {
    case Gender::kMale: return v1::GENDER_MALE;
    case Gender::kFemale: return v1::GENDER_FEMALE;
    case Gender::kUnspecified: return v1::GENDER_UNSPECIFIED;
  }
  return v1::GENDER_UNSPECIFIED;
}

Gender GenderFromProto(v1::Gender gender) {
  switch (gender) {
    case v1::GENDER_MALE: return Gender::kMale;
    case v1::GENDER_FEMALE: return Gender::kFemale;
    default: return Gender::kUnspecified;
  }
}

google::protobuf::Timestamp TimestampOf(absl::Time time) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

}  // namespace gridserve::membership
