#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/token.h"
#include "gateway/passwords.h"
#include "gateway/user.h"

namespace gridserve::gateway {

struct SessionSettings {
  int lockout_failures = 5;                    // failed logins in a row that lock an account
  absl::Duration lockout = absl::Minutes(15);  // how long the lock lasts
  absl::Duration access_token_ttl = absl::Minutes(15);
  absl::Duration refresh_token_ttl = absl::Hours(24 * 7);
};

// What Login and Refresh hand out.
struct IssuedSession {
  std::string access_token;
  std::string refresh_token;
  absl::Time refresh_token_expire_time;
  Principal principal;  // what the access token says, incl. its expiry
};

// Login, Refresh and Logout of people (AuthService's rules):
//  - a wrong password and an unknown login name get the same answer, and an
//    unknown name costs the same argon2id verification as a known one;
//  - `lockout_failures` failures in a row lock the account for `lockout`;
//  - refresh tokens are single use: Refresh replaces the token, and a token
//    presented again after it was replaced revokes all the user's sessions;
//  - access tokens carry the user's current role bindings.
class Sessions {
 public:
  using Clock = std::function<absl::Time()>;

  Sessions(
      AccountStore& store, const PasswordHasher& passwords, const TokenCodec& tokens, SessionSettings settings,
      Clock clock = [] { return absl::Now(); })
      : store_(store), passwords_(passwords), tokens_(tokens), settings_(settings), clock_(std::move(clock)) {}

  absl::StatusOr<IssuedSession> Login(const std::string& login_name, const std::string& password, absl::Time deadline);
  absl::StatusOr<IssuedSession> Refresh(const std::string& refresh_token, absl::Time deadline);
  // Revokes the caller's refresh token; OK also when it was already revoked,
  // is unknown, or belongs to someone else (then nothing changes).
  absl::Status Logout(const Principal& caller, const std::string& refresh_token, absl::Time deadline);

  // The one answer for an unknown login name and a wrong password.
  std::string BadCredentialsMessage() const;

 private:
  absl::StatusOr<IssuedSession> Issue(const User& user, absl::Time deadline);
  absl::StatusOr<IssuedSession> IssueWithRefreshToken(const User& user, std::string refresh_token,
                                                      absl::Time refresh_expire_time);
  // UNAUTHENTICATED for a lock still in force, PERMISSION_DENIED for a disabled account.
  absl::Status CheckMayLogIn(const User& user, absl::Time now) const;

  AccountStore& store_;
  const PasswordHasher& passwords_;
  const TokenCodec& tokens_;
  const SessionSettings settings_;
  const Clock clock_;
};

}  // namespace gridserve::gateway
