#include "tools/gridctl/password_input.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "tools/gridctl/command_line.h"
#include "tools/gridctl/error_format.h"

namespace gridserve::gridctl {
namespace {

// Restores the terminal when the user presses Ctrl-C at the prompt, so the
// shell is not left without echo.
int g_terminal_fd = -1;
struct termios g_saved_mode;
void RestoreAndReraise(int signal) {
  if (g_terminal_fd >= 0) tcsetattr(g_terminal_fd, TCSAFLUSH, &g_saved_mode);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

std::string StripLineEnd(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

}  // namespace

absl::StatusOr<std::string> PasswordInput::ReadFromTerminal(const std::string& prompt) {
  int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return UsageError("no terminal to ask for the password: pipe it in and pass --password-stdin");
  }
  struct termios mode;
  if (tcgetattr(fd, &mode) != 0) {
    close(fd);
    return UsageError("cannot switch off echo on this terminal: pipe the password in and pass --password-stdin");
  }
  (void)!write(fd, prompt.data(), prompt.size());
  g_saved_mode = mode;
  g_terminal_fd = fd;
  auto previous_int = std::signal(SIGINT, RestoreAndReraise);
  auto previous_term = std::signal(SIGTERM, RestoreAndReraise);
  struct termios silent = mode;
  silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  silent.c_lflag |= ECHONL;
  tcsetattr(fd, TCSAFLUSH, &silent);

  std::string password;
  char c;
  ssize_t n;
  while ((n = read(fd, &c, 1)) == 1 && c != '\n') password.push_back(c);

  tcsetattr(fd, TCSAFLUSH, &mode);
  g_terminal_fd = -1;
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  close(fd);
  if (n != 1 && password.empty()) return LocalError("no password entered");
  return StripLineEnd(password);
}

absl::StatusOr<std::string> PasswordInput::Read(const std::string& prompt) {
  std::string password;
  if (from_stdin_) {
    if (!std::getline(in_, password)) return UsageError("--password-stdin: standard input ended before the password");
    password = StripLineEnd(password);
  } else {
    absl::StatusOr<std::string> typed = ReadFromTerminal(prompt);
    if (!typed.ok()) return typed.status();
    password = *typed;
  }
  if (password.empty()) return UsageError("the password is empty");
  return password;
}

absl::StatusOr<std::string> PasswordInput::ReadNew(const std::string& prompt) {
  absl::StatusOr<std::string> first = Read(prompt);
  if (!first.ok() || from_stdin_) return first;
  absl::StatusOr<std::string> again = ReadFromTerminal("Repeat it: ");
  if (!again.ok()) return again.status();
  if (*again != *first) return UsageError("the two passwords differ; nothing was changed");
  return first;
}

}  // namespace gridserve::gridctl
