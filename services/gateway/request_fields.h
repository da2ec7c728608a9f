#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/byte_buffer.h"

namespace gridserve::gateway {

// The string value at `field_path` ("organization.code") in a serialized
// request of full method `method` ("/pkg.Service/Method"), decoded with the
// compiled-in descriptors; "" when the method, path or value is unknown.
std::string RequestField(absl::string_view method, const grpc::ByteBuffer& request, absl::string_view field_path);

}  // namespace gridserve::gateway
