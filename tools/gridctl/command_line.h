#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gridserve::gridctl {

// One --flag a command accepts.
struct FlagSpec {
  std::string name;        // without the leading "--"
  std::string value_name;  // e.g. "CODE"; empty for a boolean switch
  std::string help;
  // May be given several times (e.g. --area=A --area=B); every value is kept
  // in order (CommandLine::Values). Only for flags that take a value.
  bool repeatable = false;
};

// The shape of one command: its words ("user create"), positional arguments
// and flags. Parsing needs only this; what the command does is bound elsewhere.
struct CommandSpec {
  std::string path;       // "whoami", "user create", ...
  std::string arguments;  // usage of positional arguments, e.g. "USER_ID"
  int min_arguments = 0;
  int max_arguments = 0;
  std::vector<FlagSpec> flags;
  std::string summary;
};

// Options every command takes.
struct GlobalOptions {
  std::string server;  // HOST:PORT of the gateway; empty: not given (see ResolveServer)
  absl::Duration timeout = absl::Seconds(10);
  bool json = false;
  // TLS to the gateway's TLS listener: the CA to trust, and for mTLS the
  // client certificate and key of a registered consuming system.
  std::string tls_ca;
  std::string client_cert;
  std::string client_key;
};

// A parsed command line.
struct CommandLine {
  GlobalOptions global;
  // nullptr for `gridctl help` or an empty command line (print the overview).
  const CommandSpec* command = nullptr;
  // Set by "help WORDS..." or "WORDS... --help": usage of the words' group or command.
  bool help = false;
  std::vector<std::string> help_topic;
  // The value of each flag given (the last one for a flag given twice);
  // boolean switches hold "true".
  std::map<std::string, std::string> flags;
  // Every value of each repeatable flag given, in command-line order.
  std::map<std::string, std::vector<std::string>> repeated_flags;
  std::vector<std::string> arguments;

  bool Has(absl::string_view flag) const { return flags.find(std::string(flag)) != flags.end(); }
  std::optional<std::string> Flag(absl::string_view flag) const;
  // All values of a repeatable flag in order; for another flag its one value;
  // empty when the flag was not given.
  std::vector<std::string> Values(absl::string_view flag) const;
};

// The flags of GlobalOptions, accepted before or after the command words.
const std::vector<FlagSpec>& GlobalFlags();

// Parses argv[1..]. A usage error (unknown command or flag, missing value,
// wrong number of arguments) is an error status marked as usage (IsUsageError).
// "--name=value" and "--name value" both work for flags that take a value;
// "--" ends the flags.
absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                             const std::vector<CommandSpec>& commands);

// --server, else GRIDSERVE_SERVER, else `saved` (the server of the saved
// session), else 127.0.0.1:50051.
std::string ResolveServer(const GlobalOptions& options, const std::optional<std::string>& environment,
                          const std::optional<std::string>& saved);
inline constexpr char kDefaultServer[] = "127.0.0.1:50051";

// Usage errors end with exit code 2, everything else with 1.
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);

// Typed flag values; a bad value is a usage error naming the flag.
absl::StatusOr<int> IntFlag(const CommandLine& line, absl::string_view name, int default_value, int min, int max);
// RFC 3339 ("2024-05-01T08:00:00+08:00"), a local date or date and time
// ("2024-05-01", "2024-05-01 08:00"), or a duration meaning that long ago ("2h", "30m").
absl::StatusOr<absl::Time> ParseTimeFlag(absl::string_view name, const std::string& value, absl::Time now,
                                         absl::TimeZone zone);

// "gridctl help" (no topic) or the usage of one command or group.
std::string Usage(const std::vector<CommandSpec>& commands, const std::vector<std::string>& topic);

}  // namespace gridserve::gridctl
