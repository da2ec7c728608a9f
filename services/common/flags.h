#pragma once

#include "absl/strings/string_view.h"
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gridserve {

// Command-line flags (--name=value) with environment overrides: when the
// variable GRIDSERVE_<NAME> (upper case) is set, it wins over the flag, so a
// Kubernetes ConfigMap can change any setting without touching the args.
class Flags {
 public:
  using Getenv = std::function<std::optional<std::string>(const std::string&)>;

  Flags& Define(std::string name, std::string default_value, std::string help);

  // INVALID_ARGUMENT naming the flag for unknown flags or a missing "=value".
  absl::Status Parse(int argc, const char* const* argv, const Getenv& getenv);

  std::string Get(absl::string_view name) const;
  absl::StatusOr<int> GetInt(absl::string_view name, int min, int max) const;
  // "a=x,b=y" -> {a: x, b: y}; INVALID_ARGUMENT on a malformed entry.
  absl::StatusOr<std::map<std::string, std::string>> GetMap(absl::string_view name) const;

  std::string Usage(absl::string_view program) const;
  static std::string EnvName(absl::string_view flag);
  static std::optional<std::string> ProcessEnv(const std::string& name);

 private:
  struct Flag {
    std::string value;
    std::string default_value;
    std::string help;
  };
  std::map<std::string, Flag, std::less<>> flags_;
};

}  // namespace gridserve
