#pragma once

#include <istream>
#include <string>

#include "absl/status/statusor.h"

namespace gridserve::gridctl {

// Reads passwords: from the terminal with echo switched off (termios), or, with
// --password-stdin, one line per password from standard input (for scripts).
class PasswordInput {
 public:
  PasswordInput(bool from_stdin, std::istream& in) : from_stdin_(from_stdin), in_(in) {}

  // A password the user already has (login, current password).
  absl::StatusOr<std::string> Read(const std::string& prompt);
  // A new password: asked twice on a terminal, and both must match.
  absl::StatusOr<std::string> ReadNew(const std::string& prompt);

 private:
  absl::StatusOr<std::string> ReadFromTerminal(const std::string& prompt);
  bool from_stdin_;
  std::istream& in_;
};

}  // namespace gridserve::gridctl
