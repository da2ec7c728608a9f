#include "gateway/account_options.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "gateway/accounts.h"
#include "gateway/passwords.h"
#include "common/files.h"

namespace gridserve::gateway {

void DefineAccountFlags(Flags& flags) {
  flags.Define("lockout_failures", "5", "failed logins in a row that lock an account")
      .Define("lockout_minutes", "15", "how long a locked account stays locked")
      .Define("access_token_minutes", "15", "lifetime of the access tokens Login and Refresh issue")
      .Define("refresh_token_days", "7", "lifetime of refresh tokens")
      .Define("bootstrap_admin_login", "admin",
              "login name of the first DISTRICT_ADMIN, created when no account exists")
      .Define("bootstrap_admin_password_file", "",
              "file holding the first administrator's password (one line, >= 10 characters); empty: no bootstrap")
      .Define("bootstrap_admin_scope", "500114000000", "org scope (and org_code) of the first administrator");
}

absl::StatusOr<AccountOptions> AccountOptionsFromFlags(const Flags& flags) {
  AccountOptions options;
  ASSIGN_OR_RETURN(options.sessions.lockout_failures, flags.GetInt("lockout_failures", 1, 100));
  ASSIGN_OR_RETURN(int lockout_minutes, flags.GetInt("lockout_minutes", 1, 7 * 24 * 60));
  ASSIGN_OR_RETURN(int access_minutes, flags.GetInt("access_token_minutes", 1, 24 * 60));
  ASSIGN_OR_RETURN(int refresh_days, flags.GetInt("refresh_token_days", 1, 365));
  options.sessions.lockout = absl::Minutes(lockout_minutes);
  options.sessions.access_token_ttl = absl::Minutes(access_minutes);
  options.sessions.refresh_token_ttl = absl::Hours(24) * refresh_days;

  options.bootstrap_admin_login = flags.Get("bootstrap_admin_login");
  options.bootstrap_admin_scope = flags.Get("bootstrap_admin_scope");
  std::string path = flags.Get("bootstrap_admin_password_file");
  if (path.empty()) return options;
  std::optional<std::string> contents = ReadFile(path);
  if (!contents) {
    return absl::InvalidArgumentError(
        absl::StrCat("--bootstrap_admin_password_file=", path, " cannot be read; check the path and its permissions"));
  }
  options.bootstrap_admin_password = std::string(absl::StripTrailingAsciiWhitespace(*contents));
  if (std::string problem = NewPasswordProblem(options.bootstrap_admin_password); !problem.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--bootstrap_admin_password_file=", path, ": the password ", problem));
  }
  User admin{
      .login_name = options.bootstrap_admin_login, .display_name = "admin", .org_code = options.bootstrap_admin_scope};
  for (const FieldViolation& violation : ValidateNewUser(admin, options.bootstrap_admin_password, "")) {
    std::string flag = violation.field == "org_code" ? "bootstrap_admin_scope" : "bootstrap_admin_login";
    return absl::InvalidArgumentError(absl::StrCat("--", flag, "=", flags.Get(flag), ": ", violation.description));
  }
  return options;
}

}  // namespace gridserve::gateway
