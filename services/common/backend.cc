#include "common/log.h"
#include "common/pg_migrator.h"
#include "common/server.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"

namespace gridserve {

int RunBackend(const BackendDefinition& definition, int argc, char** argv) {
  BlockTerminationSignals();
  SetLogService(definition.name);
  Flags flags = StandardFlags(definition.name, definition.default_port);
  if (argc == 2 && absl::string_view(argv[1]) == "--help") {
    std::fputs(flags.Usage(definition.name).c_str(), stdout);
    return 0;
  }
  if (absl::Status status = flags.Parse(argc, argv, Flags::ProcessEnv); !status.ok()) {
    return ConfigError(definition.name, status);
  }
  absl::StatusOr<ServerSettings> settings = SettingsFromFlags(definition.name, flags, true);
  if (!settings.ok()) return ConfigError(definition.name, settings.status());
  absl::StatusOr<TokenCodec> tokens = TokenCodec::FromKeyFile(settings->token_key_file);
  if (!tokens.ok()) return ConfigError(definition.name, tokens.status());

  PgPool pool({.url = settings->database_url,
               .schema = settings->database_schema,
               .application_name = "gridserve-" + definition.name,
               .max_connections = settings->pool_size,
               .queries = definition.queries});
  PeerChannels peers(settings->peers);
  BackendContext context{*settings, pool, *tokens, peers};
  std::unique_ptr<ServiceBundle> bundle = definition.make_services(context);

  ServerParts parts;
  parts.services = bundle->Services();
  parts.tokens = &*tokens;
  parts.prepare = [&]() -> absl::Status {
    absl::Status status = ApplyMigrations(settings->database_url, settings->database_schema, definition.migrations);
    if (status.ok()) pool.MarkReady();
    return status;
  };
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  return RunServer(*settings, parts);
}

}  // namespace gridserve
