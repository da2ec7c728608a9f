#pragma once

#include "absl/strings/string_view.h"
#include <string_view>

#include "nlohmann/json.hpp"

namespace gridserve {

// The logging facade: one JSON object per line on stderr, with time, level,
// service and message, plus any fields given.
enum class LogLevel { kInfo, kWarning, kError };

// Call once, first thing in main(), before any other thread logs.
void SetLogService(absl::string_view service);
void Log(LogLevel level, absl::string_view message, const nlohmann::json& fields = nlohmann::json::object());

}  // namespace gridserve
