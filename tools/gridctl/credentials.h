#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gridserve::gridctl {

// A saved login session: which gateway, and the token pair it issued.
struct Credentials {
  std::string server;
  std::string subject;  // "users/<id>", for display
  std::string access_token;
  absl::Time access_token_expire_time = absl::InfinitePast();
  std::string refresh_token;
  absl::Time refresh_token_expire_time = absl::InfinitePast();
};

// The session file $XDG_CONFIG_HOME/gridserve/credentials.json (else
// $HOME/.config/gridserve/credentials.json). Tokens are secrets, so the
// directory is 0700 and the file 0600; it is written to a temporary file
// created with those modes and renamed, so no reader ever sees a partial file.
class CredentialsStore {
 public:
  // From XDG_CONFIG_HOME / HOME (values passed in, so tests choose them);
  // FAILED_PRECONDITION when neither is set.
  static absl::StatusOr<CredentialsStore> Locate(const std::optional<std::string>& xdg_config_home,
                                                 const std::optional<std::string>& home);
  static absl::StatusOr<CredentialsStore> FromEnvironment();

  const std::string& path() const { return path_; }
  // nullopt when there is no saved session; an error if the file is unreadable or corrupt.
  absl::StatusOr<std::optional<Credentials>> Load() const;
  absl::Status Save(const Credentials& credentials) const;
  // Removing a missing file is not an error.
  absl::Status Delete() const;

 private:
  CredentialsStore(std::string directory, std::string path)
      : directory_(std::move(directory)), path_(std::move(path)) {}
  std::string directory_;
  std::string path_;
};

}  // namespace gridserve::gridctl
