#include "common/log.h"

#include <cstdio>
#include <mutex>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gridserve {
namespace {

std::mutex log_mutex;
std::string& ServiceName() {
  static std::string name = "gridserve";
  return name;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

}  // namespace

void SetLogService(absl::string_view service) {
  std::lock_guard lock(log_mutex);
  ServiceName() = std::string(service);
}

void Log(LogLevel level, absl::string_view message, const nlohmann::json& fields) {
  nlohmann::json line = {
      {"ts", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone())},
      {"level", LevelName(level)},
      {"msg", message}};
  if (fields.is_object()) line.update(fields);
  std::lock_guard lock(log_mutex);
  line["service"] = ServiceName();
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace gridserve
