#include "tools/gridctl/credentials.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace gridserve::gridctl {
namespace {

std::string Errno() { return std::strerror(errno); }

std::string FormatRfc3339(absl::Time time) { return absl::FormatTime(absl::RFC3339_full, time, absl::UTCTimeZone()); }

absl::StatusOr<absl::Time> ParseTime(const nlohmann::json& json, const char* key) {
  std::string text = json.value(key, "");
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return absl::DataLossError(absl::StrCat(key, " is not an RFC 3339 time (", error, ")"));
  }
  return time;
}

// mkdir -p, with mode 0700 for directories created here; an existing session
// directory is tightened to 0700 too.
absl::Status MakePrivateDirectory(const std::string& directory) {
  std::string partial;
  for (size_t pos = 0; pos != std::string::npos;) {
    pos = directory.find('/', pos + 1);
    partial = directory.substr(0, pos);
    if (partial.empty()) continue;
    if (mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      return absl::PermissionDeniedError(absl::StrCat("cannot create ", partial, ": ", Errno()));
    }
  }
  if (chmod(directory.c_str(), 0700) != 0) {
    return absl::PermissionDeniedError(absl::StrCat("cannot restrict ", directory, " to mode 0700: ", Errno()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CredentialsStore> CredentialsStore::Locate(const std::optional<std::string>& xdg_config_home,
                                                          const std::optional<std::string>& home) {
  std::string config;
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  if (xdg_config_home.has_value() && !xdg_config_home->empty() && (*xdg_config_home)[0] == '/') {
    config = *xdg_config_home;
  } else if (home.has_value() && !home->empty()) {
    config = *home + "/.config";
  } else {
    return absl::FailedPreconditionError("cannot find a place for the session file: set HOME or XDG_CONFIG_HOME");
  }
  std::string directory = config + "/gridserve";
  return CredentialsStore(directory, directory + "/credentials.json");
}

absl::StatusOr<CredentialsStore> CredentialsStore::FromEnvironment() {
  auto env = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  return Locate(env("XDG_CONFIG_HOME"), env("HOME"));
}

absl::StatusOr<std::optional<Credentials>> CredentialsStore::Load() const {
  struct stat info;
  if (stat(path_.c_str(), &info) != 0) {
    if (errno == ENOENT) return std::nullopt;
    return absl::PermissionDeniedError(absl::StrCat("cannot read ", path_, ": ", Errno()));
  }
  std::ifstream in(path_);
  if (!in) return absl::PermissionDeniedError(absl::StrCat("cannot read ", path_));
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  auto corrupt = [&](const std::string& why) {
    return absl::DataLossError(
        absl::StrCat("the session file ", path_, " is damaged (", why, "): delete it and log in again"));
  };
  if (!json.is_object()) return corrupt("not a JSON object");
  Credentials credentials;
  credentials.server = json.value("server", "");
  credentials.subject = json.value("subject", "");
  credentials.access_token = json.value("access_token", "");
  credentials.refresh_token = json.value("refresh_token", "");
  absl::StatusOr<absl::Time> access_expiry = ParseTime(json, "access_token_expire_time");
  if (!access_expiry.ok()) return corrupt(std::string(access_expiry.status().message()));
  absl::StatusOr<absl::Time> refresh_expiry = ParseTime(json, "refresh_token_expire_time");
  if (!refresh_expiry.ok()) return corrupt(std::string(refresh_expiry.status().message()));
  credentials.access_token_expire_time = *access_expiry;
  credentials.refresh_token_expire_time = *refresh_expiry;
  if (credentials.server.empty() || credentials.access_token.empty()) return corrupt("no server or access token");
  return credentials;
}

absl::Status CredentialsStore::Save(const Credentials& credentials) const {
  if (absl::Status s = MakePrivateDirectory(directory_); !s.ok()) return s;
  nlohmann::json json = {
      {"server", credentials.server},
      {"subject", credentials.subject},
      {"access_token", credentials.access_token},
      {"access_token_expire_time", FormatRfc3339(credentials.access_token_expire_time)},
      {"refresh_token", credentials.refresh_token},
      {"refresh_token_expire_time", FormatRfc3339(credentials.refresh_token_expire_time)},
  };
  std::string text = json.dump(2) + "\n";
  std::string temporary = absl::StrCat(path_, ".tmp.", getpid());
  int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return absl::PermissionDeniedError(absl::StrCat("cannot write ", temporary, ": ", Errno()));
  // open() applies the umask; fchmod makes the mode exactly 0600 whatever it is.
  bool written = fchmod(fd, 0600) == 0 && write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 fsync(fd) == 0;
  std::string write_error = written ? "" : Errno();
  if (close(fd) != 0 && written) {
    written = false;
    write_error = Errno();
  }
  if (!written || rename(temporary.c_str(), path_.c_str()) != 0) {
    if (write_error.empty()) write_error = Errno();
    unlink(temporary.c_str());
    return absl::PermissionDeniedError(absl::StrCat("cannot save the session to ", path_, ": ", write_error));
  }
  return absl::OkStatus();
}

absl::Status CredentialsStore::Delete() const {
  if (unlink(path_.c_str()) != 0 && errno != ENOENT) {
    return absl::PermissionDeniedError(absl::StrCat("cannot delete ", path_, ": ", Errno()));
  }
  return absl::OkStatus();
}

}  // namespace gridserve::gridctl
