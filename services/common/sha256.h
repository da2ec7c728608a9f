#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace gridserve {

// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace gridserve
