#include "common/flags.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gridserve {

Flags& Flags::Define(std::string name, std::string default_value, std::string help) {
  flags_[std::move(name)] = Flag{default_value, default_value, std::move(help)};
  return *this;
}

std::string Flags::EnvName(absl::string_view flag) {
  return absl::StrCat("GRIDSERVE_", absl::AsciiStrToUpper(flag));
}

std::optional<std::string> Flags::ProcessEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

absl::Status Flags::Parse(int argc, const char* const* argv, const Getenv& getenv) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", arg, "'; flags look like --name=value"));
    }
    arg.remove_prefix(2);
    size_t eq = arg.find('=');
    absl::string_view name = arg.substr(0, eq);
    auto it = flags_.find(name);
    if (it == flags_.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name, "; --help lists the flags"));
    }
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value: --", name, "=VALUE"));
    }
    it->second.value = std::string(arg.substr(eq + 1));
  }
  for (auto& [name, flag] : flags_) {
    if (std::optional<std::string> value = getenv(EnvName(name))) flag.value = *value;
  }
  return absl::OkStatus();
}

std::string Flags::Get(absl::string_view name) const {
  auto it = flags_.find(name);
  return it == flags_.end() ? "" : it->second.value;
}

absl::StatusOr<int> Flags::GetInt(absl::string_view name, int min, int max) const {
  int value = 0;
  if (!absl::SimpleAtoi(Get(name), &value) || value < min || value > max) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, "=", Get(name), " must be a whole number from ", min, " to ", max));
  }
  return value;
}

absl::StatusOr<std::map<std::string, std::string>> Flags::GetMap(absl::string_view name) const {
  std::map<std::string, std::string> result;
  for (absl::string_view entry : absl::StrSplit(Get(name), ',', absl::SkipWhitespace())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    if (kv.first.empty() || kv.second.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " entry '", entry, "' must look like name=host:port"));
    }
    result[kv.first] = kv.second;
  }
  return result;
}

std::string Flags::Usage(absl::string_view program) const {
  std::string text = absl::StrCat("usage: ", program, " [--flag=value ...]\n");
  for (const auto& [name, flag] : flags_) {
    absl::StrAppend(&text, "  --", name, " (env ", EnvName(name), ", default '", flag.default_value, "')\n      ", flag.help, "\n");
  }
  return text;
}

}  // namespace gridserve
