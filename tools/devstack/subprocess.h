#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gridserve::devstack {

// A child process with its output appended to a log file.
class Subprocess {
 public:
  // Starts argv[0] (looked up on PATH) with exactly `env` as its environment;
  // its output goes to `log_path`, or to our own stdout/stderr when empty.
  static absl::StatusOr<Subprocess> Start(const std::vector<std::string>& argv,
                                          const std::map<std::string, std::string>& env,
                                          const std::string& log_path);
  Subprocess(Subprocess&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }
  Subprocess& operator=(Subprocess&& other) noexcept;
  ~Subprocess();  // SIGKILLs a child still running

  // Sends `signal`, waits up to `timeout`, then SIGKILLs. Returns the exit code
  // (128 + signal number for a signalled child).
  int Stop(int signal, absl::Duration timeout);
  // Waits for the child to exit by itself (no timeout).
  int Wait();
  // True while the child has not exited.
  bool Running();
  pid_t pid() const { return pid_; }

 private:
  explicit Subprocess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  int exit_code_ = -1;
};

// Runs a command to completion; INTERNAL with the log path if it fails.
absl::Status RunCommand(const std::vector<std::string>& argv,
                        const std::map<std::string, std::string>& env, const std::string& log_path);

// The current environment as a map.
std::map<std::string, std::string> CurrentEnvironment();

}  // namespace gridserve::devstack
