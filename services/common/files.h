#pragma once

#include <optional>
#include <string>

namespace gridserve {

// The whole content of the file at `path`, or nullopt when it cannot be
// opened (callers say which flag or setting named it).
std::optional<std::string> ReadFile(const std::string& path);

}  // namespace gridserve
