#pragma once

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gridserve/gateway/v1/auth.pb.h"
#include "tools/gridctl/credentials.h"

namespace gridserve::gridctl {

namespace v1 = ::gridserve::gateway::v1;

// An access token expiring sooner than this is refreshed before a call, so it
// cannot expire on the way.
inline constexpr absl::Duration kRefreshMargin = absl::Seconds(30);

enum class TokenAction {
  kUse,         // the access token is good for the call
  kRefresh,     // exchange the refresh token first
  kLoginAgain,  // both tokens are (nearly) expired
};
TokenAction DecideTokenAction(const Credentials& credentials, absl::Time now);

// The saved form of a Session that `server` returned from Login or Refresh.
Credentials CredentialsFromSession(const std::string& server, const v1::Session& session);

// Supplies the access token for calls to one gateway: GRIDSERVE_TOKEN when
// set (scripts, tests), else the saved session, refreshed and saved again when
// it is about to expire.
class TokenSource {
 public:
  using Clock = std::function<absl::Time()>;
  // Exchanges a refresh token for a new session (AuthService.Refresh).
  using Refresher = std::function<absl::StatusOr<v1::Session>(const std::string& refresh_token)>;

  TokenSource(CredentialsStore store, std::string server, std::optional<std::string> environment_token, Clock clock,
              Refresher refresher)
      : store_(std::move(store)),
        server_(std::move(server)),
        environment_token_(std::move(environment_token)),
        clock_(std::move(clock)),
        refresher_(std::move(refresher)) {}

  // UNAUTHENTICATED (with what to do) when there is no usable session.
  absl::StatusOr<std::string> AccessToken();

 private:
  CredentialsStore store_;
  std::string server_;
  std::optional<std::string> environment_token_;
  Clock clock_;
  Refresher refresher_;
};

}  // namespace gridserve::gridctl
