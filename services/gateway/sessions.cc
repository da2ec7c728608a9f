#include "gateway/sessions.h"

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "gateway/accounts.h"

namespace gridserve::gateway {
namespace {

std::string Rfc3339(absl::Time time) { return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone()); }

absl::Status RefreshRejected(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("refresh token ", why, "; log in again with your password"));
}

}  // namespace

std::string Sessions::BadCredentialsMessage() const {
  return absl::StrCat("login name or password is wrong; check both and try again (", settings_.lockout_failures,
                      " failures in a row lock the account for ", absl::FormatDuration(settings_.lockout), ")");
}

absl::Status Sessions::CheckMayLogIn(const User& user, absl::Time now) const {
  if (user.status == UserStatus::kDisabled) {
    return absl::PermissionDeniedError(
        "this account is disabled; ask an administrator of your organisation to enable it");
  }
  if (user.status == UserStatus::kLocked && user.lock_expire_time.has_value() && *user.lock_expire_time > now) {
    return absl::UnauthenticatedError(
        absl::StrCat("this account is locked after ", settings_.lockout_failures, " failed logins in a row until ",
                     Rfc3339(*user.lock_expire_time), " (in ",
                     absl::FormatDuration(absl::Ceil(*user.lock_expire_time - now, absl::Seconds(1))),
                     "); try again then, or ask an administrator to unlock it (UpdateUser status ACTIVE)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<IssuedSession> Sessions::Login(const std::string& login_name, const std::string& password,
                                              absl::Time deadline) {
  std::vector<FieldViolation> violations;
  if (login_name.empty()) violations.push_back({"login_name", "is required"});
  if (password.empty()) violations.push_back({"password", "is required"});
  if (password.size() > PasswordHasher::kMaxLength) {
    violations.push_back({"password", absl::StrCat("must be at most ", PasswordHasher::kMaxLength, " bytes")});
  }
  if (!violations.empty()) return InvalidArgument(violations);
  absl::StatusOr<std::pair<User, std::string>> found = store_.FindCredentials(login_name, deadline);
  if (found.status().code() == absl::StatusCode::kNotFound) {
    passwords_.VerifyDummy(password);
    return absl::UnauthenticatedError(BadCredentialsMessage());
  }
  if (!found.ok()) return found.status();
  auto& [user, hash] = *found;
  absl::Time now = clock_();
  if (user.status == UserStatus::kLocked && user.lock_expire_time.has_value() && *user.lock_expire_time > now) {
    return CheckMayLogIn(user, now);  // no verification: guesses during a lock neither count nor succeed
  }
  if (!passwords_.Verify(hash, password)) {
    if (user.status != UserStatus::kDisabled) {
      RETURN_IF_ERROR(
          store_.RecordLoginFailure(user.id, settings_.lockout_failures, now, settings_.lockout, deadline).status());
    }
    return absl::UnauthenticatedError(BadCredentialsMessage());
  }
  RETURN_IF_ERROR(CheckMayLogIn(user, now));
  RETURN_IF_ERROR(store_.RecordLoginSuccess(user.id, now, deadline));
  return Issue(user, deadline);
}

absl::StatusOr<IssuedSession> Sessions::Refresh(const std::string& refresh_token, absl::Time deadline) {
  if (refresh_token.empty()) return InvalidField("refresh_token", "is required: the refresh_token of Login or Refresh");
  std::string sha = Sha256Hex(refresh_token);
  absl::StatusOr<RefreshTokenRecord> record = store_.FindRefreshToken(sha, deadline);
  if (record.status().code() == absl::StatusCode::kNotFound) return RefreshRejected("is not valid");
  if (!record.ok()) return record.status();
  absl::Time now = clock_();
  if (record->replaced) {
    // Only a copy of the token can be presented after it was exchanged: end every session of the user.
    RETURN_IF_ERROR(store_.RevokeAllRefreshTokens(record->user_id, deadline).status());
    return RefreshRejected(
        "was already used; as it may have been copied, every session of this account has been ended");
  }
  if (record->revoked) return RefreshRejected("was revoked (by a logout, a password change or a disabled account)");
  if (record->expire_time <= now) return RefreshRejected(absl::StrCat("expired at ", Rfc3339(record->expire_time)));
  ASSIGN_OR_RETURN(User user, store_.GetUser(record->user_id, deadline));
  if (user.status == UserStatus::kDisabled) {
    RETURN_IF_ERROR(store_.RevokeAllRefreshTokens(user.id, deadline).status());
    return CheckMayLogIn(user, now);
  }
  std::string next = NewRefreshToken();
  absl::Time next_expire = now + settings_.refresh_token_ttl;
  ASSIGN_OR_RETURN(bool rotated, store_.RotateRefreshToken(sha, Sha256Hex(next), next_expire, deadline));
  if (!rotated) {
    RETURN_IF_ERROR(store_.RevokeAllRefreshTokens(user.id, deadline).status());
    return RefreshRejected(
        "was used twice at the same time; as it may have been copied, every session of this account has been ended");
  }
  return IssueWithRefreshToken(user, std::move(next), next_expire);
}

absl::Status Sessions::Logout(const Principal& caller, const std::string& refresh_token, absl::Time deadline) {
  if (refresh_token.empty()) return InvalidField("refresh_token", "is required: the refresh_token to revoke");
  std::string user_id = UserIdOfSubject(caller.subject);
  if (user_id.empty()) return absl::OkStatus();  // not a user (e.g. a system client): it holds no refresh tokens
  return store_.RevokeRefreshToken(Sha256Hex(refresh_token), user_id, deadline);
}

absl::StatusOr<IssuedSession> Sessions::Issue(const User& user, absl::Time deadline) {
  std::string refresh_token = NewRefreshToken();
  absl::Time expire = clock_() + settings_.refresh_token_ttl;
  RETURN_IF_ERROR(store_.AddRefreshToken(user.id, Sha256Hex(refresh_token), expire, deadline));
  return IssueWithRefreshToken(user, std::move(refresh_token), expire);
}

absl::StatusOr<IssuedSession> Sessions::IssueWithRefreshToken(const User& user, std::string refresh_token,
                                                              absl::Time refresh_expire_time) {
  IssuedSession session;
  session.principal = {.subject = SubjectOfUser(user.id),
                       .bindings = user.bindings,
                       .expires_at = absl::ToUnixSeconds(clock_() + settings_.access_token_ttl)};
  session.access_token = tokens_.Sign(session.principal);
  session.refresh_token = std::move(refresh_token);
  session.refresh_token_expire_time = refresh_expire_time;
  return session;
}

}  // namespace gridserve::gateway
