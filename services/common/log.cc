#include "common/log.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gridserve {
namespace {

// Set once, at start-up, before other threads log.
std::string& ServiceName() {
  static std::string name = "gridserve";
  return name;
}
const std::string& Service() { return ServiceName(); }

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

}  // namespace

void SetLogService(absl::string_view service) { ServiceName() = std::string(service); }

void Log(LogLevel level, absl::string_view message, const nlohmann::json& fields) {
  nlohmann::json line = {
      {"ts", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone())},
      {"level", LevelName(level)},
      {"msg", message},
      {"service", Service()}};
  if (fields.is_object()) line.update(fields);
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  // One write(2) per line, outside any lock: lines from several threads do
  // not interleave (a pipe takes up to PIPE_BUF bytes at once, a file opened
  // for appending takes each write whole), and no thread waits for another's
  // formatting. stderr is unbuffered, so nothing sits in a buffer either.
  for (size_t written = 0; written < text.size();) {
    ssize_t n = ::write(STDERR_FILENO, text.data() + written, text.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
}

}  // namespace gridserve
