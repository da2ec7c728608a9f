// devstack: runs the whole suite on this machine.
//   devstack up  --state_dir=D --build_dir=B --source_dir=S [--gateway_port=50051]
//                [--backend_base_port=50060] [--demo=true]
//       persistent database under D/pg; runs until Ctrl-C.
//   devstack run --state_dir=D --build_dir=B --source_dir=S [--demo=true]
//                [--persistent_database=true] -- COMMAND ARGS...
//       throwaway database (or D/pg), free ports; runs COMMAND with GRIDSERVE_GATEWAY_ADDRESS,
//       GRIDSERVE_ADMIN_TOKEN, GRIDSERVE_TOKEN_KEY_FILE, GRIDSERVE_<BACKEND>_ADDRESS
//       GRIDSERVE_ADMIN_PASSWORD_FILE (login "admin"), GRIDSERVE_DEMO_PASSWORD (with --demo)
//       and GRIDSERVE_PROTO_DIR set, stops everything and exits with COMMAND's code.
//   devstack token --token_key_file=F --subject=S --roles=A,B --scope=CODE [--ttl_minutes=60]
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/flags.h"
#include "tools/devstack/demo.h"
#include "tools/devstack/stack.h"

namespace gridserve::devstack {
namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "devstack: %s\n", std::string(status.message()).c_str());
  return 1;
}

sigset_t BlockTermination() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

Flags StackFlags() {
  Flags flags;
  flags.Define("state_dir", ".dev", "folder for the database, logs, port files and the token key")
      .Define("build_dir", "build", "CMake build folder with the service binaries")
      .Define("source_dir", ".", "repository root")
      .Define("gateway_port", "0", "gateway port (0: any free port)")
      .Define("backend_base_port", "0", "backends listen on base+1..base+4 (0: any free ports)")
      .Define("demo", "false", "load the demo organisation tree, one demo account per role and demo members")
      .Define("persistent_database", "false", "run: keep the database under <state_dir>/pg (up always does)")
      .Define("token_key_file", "", "token: key file")
      .Define("subject", "dev-user", "token: subject")
      .Define("roles", "DISTRICT_ADMIN", "token: roles, comma separated, each held over --scope")
      .Define("scope", "500114000000", "token: org scope of the roles")
      .Define("ttl_minutes", "720", "token: lifetime");
  return flags;
}

absl::StatusOr<StackOptions> OptionsFrom(const Flags& flags, bool persistent) {
  StackOptions options;
  options.state_dir = flags.Get("state_dir");
  options.build_dir = flags.Get("build_dir");
  options.source_dir = flags.Get("source_dir");
  auto gateway_port = flags.GetInt("gateway_port", 0, 65535);
  if (!gateway_port.ok()) return gateway_port.status();
  auto base_port = flags.GetInt("backend_base_port", 0, 65530);
  if (!base_port.ok()) return base_port.status();
  options.gateway_port = *gateway_port;
  options.backend_base_port = *base_port;
  options.persistent_database = persistent;
  return options;
}

// Loads the demo tree, demo accounts and demo members when --demo=true; prints what is there.
absl::Status MaybeLoadDemo(const Flags& flags, const Stack& stack, const StackOptions& options) {
  if (flags.Get("demo") != "true") return absl::OkStatus();
  auto demo = LoadDemoOrganizations(stack.address("gateway"), stack.AdminToken(),
                                    options.source_dir + "/tools/demo/organizations.tsv");
  if (!demo.ok()) return demo.status();
  std::cout << "demo data: " << demo->organizations << " organisations present (黔江区, 邻鄂镇 and demo villages)"
            << std::endl;
  auto accounts = LoadDemoAccounts(stack.address("gateway"), stack.AdminToken());
  if (!accounts.ok()) return accounts.status();
  std::cout << "demo accounts: " << accounts->size() << " present, one per role, all with password " << kDemoPassword
            << "\n";
  for (const DemoAccount& account : DemoAccounts()) {
    std::cout << "  " << account.login_name << std::string(24 - account.login_name.size(), ' ') << account.role
              << std::string(19 - account.role.size(), ' ') << account.org_code << " " << account.org_name << "\n";
  }
  auto members = LoadDemoMembers(stack.address("gateway"), stack.AdminToken(),
                                 options.source_dir + "/tools/demo/members.tsv",
                                 "users/" + accounts->at("demo-member"));
  if (!members.ok()) return members.status();
  std::cout << "demo members: " << members->members << " present in four villages, " << members->duties
            << " with duties and " << members->commitments << " commitments for " << members->year
            << " (demo-member is 李明德 of 演示一村)\n";
  std::cout << std::flush;
  return absl::OkStatus();
}

int Up(const Flags& flags) {
  sigset_t signals = BlockTermination();
  auto options = OptionsFrom(flags, /*persistent=*/true);
  if (!options.ok()) return Fail(options.status());
  std::cout << "starting PostgreSQL, membership, grid_assignment, activity_tracking, evaluation and gateway..." << std::endl;
  auto stack = Stack::Start(*options);
  if (!stack.ok()) return Fail(stack.status());
  std::string token = (*stack)->AdminToken();
  if (absl::Status status = MaybeLoadDemo(flags, **stack, *options); !status.ok()) return Fail(status);
  std::cout << "\nGridServe is up.\n"
            << "  gateway            " << (*stack)->address("gateway") << "   <- clients connect here\n"
            << "  gateway (TLS)      " << (*stack)->tls_address() << "   <- consuming systems, client certificates in "
            << (*stack)->tls().dir << " (registry " << (*stack)->tls().registry << ")\n";
  for (const std::string& backend : Stack::BackendNames()) {
    std::cout << "  " << backend << std::string(19 - backend.size(), ' ') << (*stack)->address(backend) << "\n";
  }
  std::cout << "  postgres           " << (*stack)->database().Url() << "\n"
            << "  logs               " << options->state_dir << "/logs/\n\n"
            << "first administrator (DISTRICT_ADMIN over 500114 黔江区): login " << Stack::kBootstrapAdminLogin
            << ", password in " << (*stack)->admin_password_file() << "\n"
            << "  (log in: " << options->build_dir << "/tools/gridctl/gridctl login admin, or AuthService/Login;\n"
            << "   the access token goes in 'authorization: Bearer <token>')\n\n"
            << "development admin token (DISTRICT_ADMIN over 500114 黔江区, 12 h):\n  " << token << "\n\n"
            << "try:  grpcurl -plaintext -H 'authorization: Bearer <token>' -d '{\"parent_code\":\"500114000000\"}' \\\n"
            << "        " << (*stack)->address("gateway") << " gridserve.membership.v1.OrganizationService/ListOrganizations\n\n"
            << "Ctrl-C stops everything." << std::endl;
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::cout << "\nstopping..." << std::endl;
  stack->reset();
  std::cout << "stopped." << std::endl;
  return 0;
}

int Run(const Flags& flags, const std::vector<std::string>& command) {
  BlockTermination();
  if (command.empty()) return Fail(absl::InvalidArgumentError("run needs a command after --"));
  auto options = OptionsFrom(flags, flags.Get("persistent_database") == "true");
  if (!options.ok()) return Fail(options.status());
  auto stack = Stack::Start(*options);
  if (!stack.ok()) return Fail(stack.status());
  if (absl::Status status = MaybeLoadDemo(flags, **stack, *options); !status.ok()) return Fail(status);
  std::map<std::string, std::string> env = CurrentEnvironment();
  env["GRIDSERVE_GATEWAY_ADDRESS"] = (*stack)->address("gateway");
  env["GRIDSERVE_ADMIN_TOKEN"] = (*stack)->AdminToken();
  env["GRIDSERVE_TOKEN_KEY_FILE"] = (*stack)->token_key_file();
  env["GRIDSERVE_ADMIN_PASSWORD_FILE"] = (*stack)->admin_password_file();
  if (flags.Get("demo") == "true") env["GRIDSERVE_DEMO_PASSWORD"] = kDemoPassword;
  env["GRIDSERVE_PROTO_DIR"] = options->source_dir + "/proto";
  for (const std::string& backend : Stack::BackendNames()) {
    env[absl::StrCat("GRIDSERVE_", absl::AsciiStrToUpper(backend), "_ADDRESS")] = (*stack)->address(backend);
  }
  auto child = Subprocess::Start(command, env, /*log_path=*/"");
  if (!child.ok()) return Fail(child.status());
  int code = child->Wait();
  stack->reset();
  return code;
}

int Token(const Flags& flags) {
  auto tokens = TokenCodec::FromKeyFile(flags.Get("token_key_file"));
  if (!tokens.ok()) return Fail(tokens.status());
  auto ttl = flags.GetInt("ttl_minutes", 1, 7 * 24 * 60);
  if (!ttl.ok()) return Fail(ttl.status());
  std::vector<RoleBinding> bindings;
  for (absl::string_view role : absl::StrSplit(flags.Get("roles"), ',', absl::SkipEmpty())) {
    bindings.push_back({std::string(role), flags.Get("scope")});
  }
  std::cout << tokens->Sign({.subject = flags.Get("subject"),
                             .bindings = bindings,
                             .expires_at = absl::ToUnixSeconds(absl::Now() + absl::Minutes(*ttl))})
            << std::endl;
  return 0;
}

}  // namespace
}  // namespace gridserve::devstack

int main(int argc, char** argv) {
  using namespace gridserve::devstack;
  const std::string usage = "usage: devstack up|run|token [--flag=value ...] [-- COMMAND ...]\n";
  if (argc < 2) {
    std::fputs(usage.c_str(), stderr);
    return 2;
  }
  std::string mode = argv[1];
  std::vector<const char*> flag_args = {argv[0]};
  std::vector<std::string> command;
  for (int i = 2; i < argc; ++i) {
    if (absl::string_view(argv[i]) == "--") {
      command.assign(argv + i + 1, argv + argc);
      break;
    }
    flag_args.push_back(argv[i]);
  }
  gridserve::Flags flags = StackFlags();
  if (absl::Status status = flags.Parse(static_cast<int>(flag_args.size()), flag_args.data(),
                                        [](const std::string&) { return std::nullopt; });
      !status.ok()) {
    std::fprintf(stderr, "devstack: %s\n%s", std::string(status.message()).c_str(), flags.Usage("devstack").c_str());
    return 2;
  }
  if (mode == "up") return Up(flags);
  if (mode == "run") return Run(flags, command);
  if (mode == "token") return Token(flags);
  std::fputs(usage.c_str(), stderr);
  return 2;
}
