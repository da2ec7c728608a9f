// login, whoami, logout.
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "tools/gridctl/commands.h"
#include "tools/gridctl/output.h"

namespace gridserve::gridctl {
namespace {

void PrintPrincipal(const v1::Principal& principal, std::ostream& out) {
  out << KeyValues({{"subject", principal.subject()}, {"token expires", FormatTimestamp(principal.expire_time())}});
  if (principal.bindings().empty()) {
    out << "roles:   none\n";
    return;
  }
  Table roles({"ROLE", "ORG SCOPE"});
  for (const v1::RoleBinding& binding : principal.bindings())
    roles.AddRow({RoleName(binding.role()), binding.org_scope()});
  out << "\n" << roles.Render();
}

absl::Status Login(Invocation& run) {
  const std::string& login_name = run.line.arguments[0];
  absl::StatusOr<std::string> password = run.passwords.Read(absl::StrCat("Password for ", login_name, ": "));
  if (!password.ok()) return password.status();
  v1::LoginRequest request;
  request.set_login_name(login_name);
  request.set_password(*password);
  v1::LoginResponse response;
  absl::Status status = Invoke(run.gateway, /*authenticated=*/false, [&](grpc::ClientContext* context) {
    return run.gateway.auth().Login(context, request, &response);
  });
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    return LocalError(absl::StrCat("login failed: ", status.message()));
  }
  if (!status.ok()) return status;
  Credentials credentials = CredentialsFromSession(run.gateway.options().server, response.session());
  if (absl::Status saved = run.store.Save(credentials); !saved.ok()) {
    return LocalError(absl::StrCat("logged in, but could not save the session: ", saved.message()));
  }
  if (run.line.global.json) {
    run.out << ToJson(response.session().principal());
    return absl::OkStatus();
  }
  run.out << "Logged in to " << run.gateway.options().server << " as " << login_name << " ("
          << response.session().principal().subject() << "); session saved in " << run.store.path() << "\n";
  PrintPrincipal(response.session().principal(), run.out);
  return absl::OkStatus();
}

absl::Status WhoAmI(Invocation& run) {
  v1::WhoAmIResponse response;
  absl::Status status = Invoke(run.gateway, /*authenticated=*/true, [&](grpc::ClientContext* context) {
    return run.gateway.auth().WhoAmI(context, {}, &response);
  });
  if (!status.ok()) return status;
  if (run.line.global.json) {
    run.out << ToJson(response);
  } else {
    PrintPrincipal(response.principal(), run.out);
  }
  return absl::OkStatus();
}

absl::Status Logout(Invocation& run) {
  absl::StatusOr<std::optional<Credentials>> saved = run.store.Load();
  if (!saved.ok()) return LocalError(saved.status().message());
  if (!saved->has_value()) {
    run.out << "Not logged in (no session saved in " << run.store.path() << ").\n";
    return absl::OkStatus();
  }
  if ((*saved)->server != run.gateway.options().server) {
    return LocalError(absl::StrCat("the saved session is for the gateway at ", (*saved)->server,
                                   ": run `gridctl --server=", (*saved)->server, " logout`"));
  }
  grpc::ClientContext context;
  // Logout needs a valid access token; preparing may renew the session, so
  // the refresh token to revoke is read afterwards.
  absl::Status revoked = run.gateway.Prepare(context, /*authenticated=*/true);
  if (revoked.ok()) {
    absl::StatusOr<std::optional<Credentials>> current = run.store.Load();
    v1::LogoutRequest request;
    if (current.ok() && current->has_value()) request.set_refresh_token((*current)->refresh_token);
    v1::LogoutResponse response;
    revoked = FromGrpcStatus(run.gateway.auth().Logout(&context, request, &response));
  }
  if (absl::Status deleted = run.store.Delete(); !deleted.ok()) return LocalError(deleted.message());
  if (revoked.ok()) {
    run.out << "Logged out; the session is revoked and " << run.store.path() << " deleted.\n";
    return absl::OkStatus();
  }
  if (revoked.code() == absl::StatusCode::kUnauthenticated) {
    run.out << "Logged out; the session had already expired and " << run.store.path() << " is deleted.\n";
    return absl::OkStatus();
  }
  return LocalError(absl::StrCat("deleted ", run.store.path(), ", but the gateway at ", run.gateway.options().server,
                                 " did not revoke the session (", absl::StatusCodeToString(revoked.code()), ": ",
                                 revoked.message(), "); it stays valid until it expires"));
}

}  // namespace

void AddSessionCommands(CommandSet& commands) {
  commands.Add({.path = "login",
                .arguments = "LOGIN_NAME",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {{"password-stdin", "", "read the password from the first line of standard input"}},
                .summary = "Log in and save the session (asks for the password without echo).\n"
                           "The access token is renewed automatically before it expires."},
               Login);
  commands.Add({.path = "whoami", .summary = "Show who the current token belongs to and its roles."}, WhoAmI);
  commands.Add({.path = "logout", .summary = "Revoke the saved session at the gateway and delete it."}, Logout);
}

}  // namespace gridserve::gridctl
