#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/flags.h"
#include "gateway/sessions.h"

namespace gridserve::gateway {

// The gateway's account and session settings, from its flags.
struct AccountOptions {
  SessionSettings sessions;
  // The first administrator, created when no account exists yet (only with a password file).
  std::string bootstrap_admin_login;
  std::string bootstrap_admin_password;  // "" when --bootstrap_admin_password_file is not set
  std::string bootstrap_admin_scope;
};

// --lockout_failures, --lockout_minutes, --access_token_minutes,
// --refresh_token_days, --bootstrap_admin_login,
// --bootstrap_admin_password_file, --bootstrap_admin_scope.
void DefineAccountFlags(Flags& flags);

// INVALID_ARGUMENT naming the flag when a value is out of range, the password
// file cannot be read or holds a password shorter than 10 characters.
absl::StatusOr<AccountOptions> AccountOptionsFromFlags(const Flags& flags);

}  // namespace gridserve::gateway
