#include "tools/gridctl/app.h"

#include "absl/time/clock.h"
#include "tools/gridctl/commands.h"
#include "tools/gridctl/error_format.h"

namespace gridserve::gridctl {
namespace {

absl::Status Run(const CommandSet& commands, const CommandLine& line, ProcessContext& process,
                 ErrorContext& error_context) {
  absl::StatusOr<CredentialsStore> store =
      CredentialsStore::Locate(process.getenv("XDG_CONFIG_HOME"), process.getenv("HOME"));
  if (!store.ok()) return LocalError(store.status().message());

  std::optional<std::string> saved_server;
  std::optional<std::string> environment_server = process.getenv("GRIDSERVE_SERVER");
  if (line.global.server.empty() && environment_server.value_or("").empty()) {
    // Only the address is needed here; a damaged file is reported when a token is needed.
    absl::StatusOr<std::optional<Credentials>> saved = store->Load();
    if (saved.ok() && saved->has_value()) saved_server = (*saved)->server;
  }
  ConnectionOptions connection{.server = ResolveServer(line.global, environment_server, saved_server),
                               .timeout = line.global.timeout,
                               .tls_ca_file = line.global.tls_ca,
                               .client_cert_file = line.global.client_cert,
                               .client_key_file = line.global.client_key};
  error_context.server = connection.server;

  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = OpenChannel(connection);
  if (!channel.ok()) return channel.status();
  Gateway gateway(connection, *channel);
  gateway.set_tokens(std::make_unique<TokenSource>(
      *store, connection.server, process.getenv("GRIDSERVE_TOKEN"), [] { return absl::Now(); },
      [&gateway](const std::string& refresh_token) { return gateway.Refresh(refresh_token); }));

  PasswordInput passwords(line.Has("password-stdin"), process.in);
  Invocation invocation{line, gateway, *store, passwords, process.out, process.err, process.err_is_terminal};
  return commands.HandlerOf(*line.command)(invocation);
}

}  // namespace

int RunGridctl(const std::vector<std::string>& args, ProcessContext& process) {
  const CommandSet commands = AllCommands();
  ErrorContext error_context;
  absl::StatusOr<CommandLine> line = ParseCommandLine(args, commands.specs());
  if (!line.ok()) {
    process.err << FormatError(line.status(), error_context) << "\n";
    return ExitCodeFor(line.status());
  }
  if (line->help) {
    process.out << Usage(commands.specs(), line->help_topic);
    return 0;
  }
  error_context.timeout = line->global.timeout;
  absl::Status status = Run(commands, *line, process, error_context);
  if (!status.ok()) process.err << FormatError(status, error_context) << "\n";
  return ExitCodeFor(status);
}

}  // namespace gridserve::gridctl
