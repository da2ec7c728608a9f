#include "tools/gridctl/command_line.h"

#include <algorithm>
#include <set>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gridserve::gridctl {
namespace {

constexpr char kUsagePayload[] = "type.gridserve.dev/gridctl.UsageError";

const FlagSpec* FindFlag(const std::vector<FlagSpec>& flags, absl::string_view name) {
  for (const FlagSpec& flag : flags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

bool IsPrefixOfSomeCommand(const std::vector<std::string>& words, const std::vector<CommandSpec>& commands) {
  std::string prefix = absl::StrJoin(words, " ") + " ";
  return std::any_of(commands.begin(), commands.end(),
                     [&](const CommandSpec& c) { return absl::StartsWith(c.path, prefix); });
}

const CommandSpec* FindCommand(const std::vector<std::string>& words, const std::vector<CommandSpec>& commands) {
  std::string path = absl::StrJoin(words, " ");
  for (const CommandSpec& command : commands) {
    if (command.path == path) return &command;
  }
  return nullptr;
}

// Subcommands directly under `words`, e.g. {"create", "get"} for {"user"}.
std::vector<std::string> SubcommandsOf(const std::vector<std::string>& words,
                                       const std::vector<CommandSpec>& commands) {
  std::string prefix = words.empty() ? "" : absl::StrJoin(words, " ") + " ";
  std::vector<std::string> result;
  for (const CommandSpec& command : commands) {
    if (!absl::StartsWith(command.path, prefix)) continue;
    std::vector<std::string> rest = absl::StrSplit(command.path.substr(prefix.size()), ' ');
    if (std::find(result.begin(), result.end(), rest[0]) == result.end()) result.push_back(rest[0]);
  }
  return result;
}

absl::Status ApplyGlobalFlag(const std::string& name, const std::string& value, GlobalOptions& global) {
  if (name == "server") {
    if (value.empty() || !absl::StrContains(value, ':')) {
      return UsageError(absl::StrCat("--server must be HOST:PORT, e.g. 127.0.0.1:50051 (got \"", value, "\")"));
    }
    global.server = value;
  } else if (name == "timeout") {
    absl::Duration timeout;
    if (!absl::ParseDuration(value, &timeout) || timeout <= absl::ZeroDuration()) {
      return UsageError(absl::StrCat("--timeout must be a positive duration such as 10s or 1m (got \"", value, "\")"));
    }
    global.timeout = timeout;
  } else if (name == "json") {
    global.json = true;
  } else if (name == "tls_ca" || name == "client_cert" || name == "client_key") {
    if (value.empty()) return UsageError(absl::StrCat("--", name, " needs a file: --", name, "=FILE"));
    (name == "tls_ca" ? global.tls_ca : name == "client_cert" ? global.client_cert : global.client_key) = value;
  }
  return absl::OkStatus();
}

std::string FlagUsage(const FlagSpec& flag) {
  std::string head = absl::StrCat("  --", flag.name, flag.value_name.empty() ? "" : "=" + flag.value_name);
  if (head.size() < 30)
    head.resize(30, ' ');
  else
    head += "  ";
  return absl::StrCat(head, flag.help, flag.repeatable ? " (repeat the flag for more)" : "", "\n");
}

std::string CommandLineUsage(const CommandSpec& command) {
  std::string line = absl::StrCat("gridctl ", command.path);
  if (!command.flags.empty()) absl::StrAppend(&line, " [flags]");
  if (!command.arguments.empty()) absl::StrAppend(&line, " ", command.arguments);
  return line;
}

}  // namespace

std::optional<std::string> CommandLine::Flag(absl::string_view flag) const {
  auto it = flags.find(std::string(flag));
  if (it == flags.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> CommandLine::Values(absl::string_view flag) const {
  if (auto it = repeated_flags.find(std::string(flag)); it != repeated_flags.end()) return it->second;
  if (auto it = flags.find(std::string(flag)); it != flags.end()) return {it->second};
  return {};
}

const std::vector<FlagSpec>& GlobalFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"server", "HOST:PORT",
       "the gateway (default: $GRIDSERVE_SERVER, else the server of the saved session, "
       "else 127.0.0.1:50051)"},
      {"timeout", "DURATION", "deadline of each call (default 10s)"},
      {"json", "", "print protobuf JSON instead of tables"},
      {"tls_ca", "FILE", "connect with TLS, trusting this PEM CA (the gateway's TLS port)"},
      {"client_cert", "FILE",
       "with --tls_ca: present this PEM client certificate (mTLS); the certificate is then the "
       "identity and no session token is sent"},
      {"client_key", "FILE", "the PEM private key of --client_cert"},
  };
  return *flags;
}

absl::Status UsageError(absl::string_view message) {
  absl::Status status(absl::StatusCode::kInvalidArgument, message);
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) { return status.GetPayload(kUsagePayload).has_value(); }

absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                             const std::vector<CommandSpec>& commands) {
  CommandLine result;
  std::vector<std::string> words;  // command words, then positional arguments
  bool help_command = false;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_ended || !absl::StartsWith(arg, "-") || arg == "-") {
      if (result.command != nullptr || help_command) {
        result.arguments.push_back(arg);
        continue;
      }
      if (words.empty() && arg == "help") {
        help_command = true;
        continue;
      }
      words.push_back(arg);
      if ((result.command = FindCommand(words, commands)) != nullptr) continue;
      if (!IsPrefixOfSomeCommand(words, commands)) {
        return UsageError(absl::StrCat("unknown command \"", absl::StrJoin(words, " "),
                                       "\": run `gridctl help` for the list of commands"));
      }
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      result.help = true;
      continue;
    }
    if (!absl::StartsWith(arg, "--")) {
      return UsageError(absl::StrCat("unknown flag ", arg, ": flags are written --name=value"));
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const FlagSpec* spec = FindFlag(GlobalFlags(), name);
    bool global = spec != nullptr;
    if (spec == nullptr && result.command != nullptr) spec = FindFlag(result.command->flags, name);
    if (spec == nullptr) {
      if (result.command == nullptr) {
        return UsageError(
            absl::StrCat("unknown flag --", name, " (command flags go after the command words; see `gridctl help`)"));
      }
      return UsageError(absl::StrCat("unknown flag --", name, " for `gridctl ", result.command->path,
                                     "`: see `gridctl ", result.command->path, " --help`"));
    }
    if (spec->value_name.empty()) {
      if (value.has_value() && *value != "true" && *value != "false") {
        return UsageError(absl::StrCat("--", name, " is a switch and takes no value"));
      }
      if (value == "false") {
        result.flags.erase(name);
        continue;
      }
      value = "true";
    } else if (!value.has_value()) {
      if (i + 1 >= args.size()) {
        return UsageError(absl::StrCat("--", name, " needs a value: --", name, "=", spec->value_name));
      }
      value = args[++i];
    }
    if (global) {
      if (absl::Status s = ApplyGlobalFlag(name, *value, result.global); !s.ok()) return s;
    } else {
      result.flags[name] = *value;
      if (spec->repeatable) result.repeated_flags[name].push_back(*value);
    }
  }

  if (help_command || result.help) {
    result.help = true;
    result.help_topic = words;
    if (help_command) {
      result.help_topic.insert(result.help_topic.end(), result.arguments.begin(), result.arguments.end());
    }
    result.arguments.clear();
    result.command = nullptr;
    return result;
  }
  if (result.command == nullptr) {
    if (words.empty()) return UsageError("no command given: run `gridctl help` for the list of commands");
    return UsageError(absl::StrCat("`gridctl ", absl::StrJoin(words, " "),
                                   "` needs one of: ", absl::StrJoin(SubcommandsOf(words, commands), ", ")));
  }
  const CommandSpec& command = *result.command;
  int count = static_cast<int>(result.arguments.size());
  if (count < command.min_arguments || count > command.max_arguments) {
    std::string expected = command.arguments.empty() ? "no arguments" : command.arguments;
    return UsageError(absl::StrCat("`gridctl ", command.path, "` takes ", expected, " (got ", count,
                                   count == 1 ? " argument" : " arguments", "): usage: ", CommandLineUsage(command)));
  }
  return result;
}

absl::StatusOr<int> IntFlag(const CommandLine& line, absl::string_view name, int default_value, int min, int max) {
  std::optional<std::string> text = line.Flag(name);
  if (!text.has_value()) return default_value;
  int value;
  if (!absl::SimpleAtoi(*text, &value) || value < min || value > max) {
    return UsageError(
        absl::StrCat("--", name, " must be a whole number from ", min, " to ", max, " (got \"", *text, "\")"));
  }
  return value;
}

absl::StatusOr<absl::Time> ParseTimeFlag(absl::string_view name, const std::string& value, absl::Time now,
                                         absl::TimeZone zone) {
  absl::Time time;
  std::string ignored;
  if (absl::ParseTime(absl::RFC3339_full, value, &time, &ignored)) return time;
  for (const char* format : {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"}) {
    if (absl::ParseTime(format, value, zone, &time, &ignored)) return time;
  }
  absl::Duration ago;
  if (absl::ParseDuration(value, &ago) && ago >= absl::ZeroDuration()) return now - ago;
  return UsageError(absl::StrCat("--", name, " must be a time such as 2024-05-01, \"2024-05-01 08:00\", ",
                                 "2024-05-01T08:00:00+08:00, or a duration ago such as 2h (got \"", value, "\")"));
}

std::string ResolveServer(const GlobalOptions& options, const std::optional<std::string>& environment,
                          const std::optional<std::string>& saved) {
  if (!options.server.empty()) return options.server;
  if (environment.has_value() && !environment->empty()) return *environment;
  if (saved.has_value() && !saved->empty()) return *saved;
  return kDefaultServer;
}

std::string Usage(const std::vector<CommandSpec>& commands, const std::vector<std::string>& topic) {
  std::string text;
  if (const CommandSpec* command = FindCommand(topic, commands)) {
    absl::StrAppend(&text, "usage: ", CommandLineUsage(*command), "\n\n", command->summary, "\n");
    if (!command->flags.empty()) {
      absl::StrAppend(&text, "\nflags:\n");
      for (const FlagSpec& flag : command->flags) absl::StrAppend(&text, FlagUsage(flag));
    }
    absl::StrAppend(&text, "\nglobal flags (anywhere on the line):\n");
    for (const FlagSpec& flag : GlobalFlags()) absl::StrAppend(&text, FlagUsage(flag));
    return text;
  }
  std::string prefix = topic.empty() ? "" : absl::StrJoin(topic, " ") + " ";
  bool any = false;
  absl::StrAppend(&text, "usage: gridctl [--server=HOST:PORT] [--timeout=10s] [--json] COMMAND ...\n\ncommands:\n");
  for (const CommandSpec& command : commands) {
    if (!absl::StartsWith(command.path, prefix)) continue;
    any = true;
    std::string head = absl::StrCat("  ", CommandLineUsage(command).substr(8));
    if (head.size() < 44)
      head.resize(44, ' ');
    else
      head += "  ";
    absl::StrAppend(&text, head, command.summary.substr(0, command.summary.find('\n')), "\n");
  }
  if (!any) return Usage(commands, {});
  absl::StrAppend(&text, "\nglobal flags (anywhere on the line):\n");
  for (const FlagSpec& flag : GlobalFlags()) absl::StrAppend(&text, FlagUsage(flag));
  absl::StrAppend(&text,
                  "\nenvironment:\n"
                  "  GRIDSERVE_SERVER            default gateway address\n"
                  "  GRIDSERVE_TOKEN             use this access token instead of the saved session (scripts)\n"
                  "  XDG_CONFIG_HOME             the session is saved in $XDG_CONFIG_HOME/gridserve/credentials.json\n"
                  "                              (default ~/.config/gridserve/credentials.json)\n"
                  "\nexit codes: 0 ok, 1 the call failed, 2 usage error.\n"
                  "`gridctl COMMAND --help` shows the flags of one command.\n");
  return text;
}

}  // namespace gridserve::gridctl
