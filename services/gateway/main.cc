// gridserve-gateway: the one public entry. Verifies callers, forwards every
// gridserve.<service>.v1.* call to its backend, serves reflection for all of
// them, and answers AuthService itself.
#include <cstdio>

#include "common/log.h"
#include "common/server.h"
#include "gateway/auth_service.h"
#include "gateway/forwarding_service.h"
#include "gateway/public_services.h"
#include "gateway/reflection_service.h"

int main(int argc, char** argv) {
  using namespace gridserve;
  BlockTerminationSignals();
  SetLogService("gateway");
  Flags flags = StandardFlags("gateway", 50051);
  if (argc == 2 && absl::string_view(argv[1]) == "--help") {
    std::fputs(flags.Usage("gridserve-gateway").c_str(), stdout);
    return 0;
  }
  if (absl::Status status = flags.Parse(argc, argv, Flags::ProcessEnv); !status.ok()) {
    return ConfigError("gateway", status);
  }
  absl::StatusOr<ServerSettings> settings = SettingsFromFlags("gateway", flags, /*needs_database=*/false);
  if (!settings.ok()) return ConfigError("gateway", settings.status());
  if (absl::Status status = gateway::CheckBackendsConfigured(settings->peers); !status.ok()) {
    return ConfigError("gateway", status);
  }
  absl::StatusOr<TokenCodec> tokens = TokenCodec::FromKeyFile(settings->token_key_file);
  if (!tokens.ok()) return ConfigError("gateway", tokens.status());

  PeerChannels backends(settings->peers);
  gateway::ForwardingService forwarding(backends, *tokens);
  gateway::AuthService auth(*tokens);
  gateway::ReflectionService reflection(gateway::PublicServiceNames());
  ServerParts parts{.services = {&auth, &reflection},
                    .generic = &forwarding,
                    .prepare = nullptr,
                    .tokens = &*tokens};
  return RunServer(*settings, parts);
}
