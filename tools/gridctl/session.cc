#include "tools/gridctl/session.h"

#include "absl/strings/str_cat.h"
#include "tools/gridctl/error_format.h"

namespace gridserve::gridctl {
namespace {

absl::Time FromProto(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

}  // namespace

TokenAction DecideTokenAction(const Credentials& credentials, absl::Time now) {
  if (!credentials.access_token.empty() && credentials.access_token_expire_time - now > kRefreshMargin) {
    return TokenAction::kUse;
  }
  // The refresh call itself needs a moment; a refresh token about to expire is as good as gone.
  if (!credentials.refresh_token.empty() && credentials.refresh_token_expire_time - now > absl::Seconds(5)) {
    return TokenAction::kRefresh;
  }
  return TokenAction::kLoginAgain;
}

Credentials CredentialsFromSession(const std::string& server, const v1::Session& session) {
  Credentials credentials;
  credentials.server = server;
  credentials.subject = session.principal().subject();
  credentials.access_token = session.access_token();
  credentials.access_token_expire_time = FromProto(session.access_token_expire_time());
  credentials.refresh_token = session.refresh_token();
  credentials.refresh_token_expire_time = FromProto(session.refresh_token_expire_time());
  return credentials;
}

absl::StatusOr<std::string> TokenSource::AccessToken() {
  if (environment_token_.has_value() && !environment_token_->empty()) return *environment_token_;
  absl::StatusOr<std::optional<Credentials>> saved = store_.Load();
  if (!saved.ok()) return LocalError(saved.status().message());
  if (!saved->has_value()) {
    return absl::UnauthenticatedError(absl::StrCat("no saved session in ", store_.path()));
  }
  Credentials& credentials = **saved;
  if (credentials.server != server_) {
    // A token is a secret for one gateway; never send it to another address.
    return absl::UnauthenticatedError(
        absl::StrCat("the saved session is for the gateway at ", credentials.server, ", not ", server_));
  }
  switch (DecideTokenAction(credentials, clock_())) {
    case TokenAction::kUse:
      return credentials.access_token;
    case TokenAction::kLoginAgain:
      return absl::UnauthenticatedError("the saved session has expired");
    case TokenAction::kRefresh:
      break;
  }
  absl::StatusOr<v1::Session> session = refresher_(credentials.refresh_token);
  if (!session.ok()) {
    if (session.status().code() == absl::StatusCode::kUnauthenticated) {
      return absl::UnauthenticatedError(
          absl::StrCat("the gateway refused to renew the session: ", session.status().message()));
    }
    return session.status();
  }
  Credentials renewed = CredentialsFromSession(server_, *session);
  if (renewed.subject.empty()) renewed.subject = credentials.subject;
  if (absl::Status saved_status = store_.Save(renewed); !saved_status.ok()) {
    // The old refresh token is spent now; say so, the new session cannot be kept.
    return LocalError(
        absl::StrCat("renewed the session but could not save it (", saved_status.message(), "): log in again"));
  }
  return renewed.access_token;
}

}  // namespace gridserve::gridctl
