#pragma once

// Shared by the e2e tests that run the real gridctl binary against a whole
// suite (devstack::Stack): one stack per test suite, and Run() to start
// gridctl as a separate process with a clean environment.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tools/devstack/stack.h"
#include "tools/gridctl/test_dir.h"

extern char** environ;

namespace gridserve::gridctl {

inline std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// What one gridctl run left behind.
struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class GridctlStackTest : public ::testing::Test {
 protected:
  // Starts the suite's stack under a fresh state directory named after `name`.
  static void StartStack(const std::string& name, bool gateway_tls) {
    devstack::StackOptions options = devstack::TestStackOptions(name);
    options.gateway_tls = gateway_tls;
    auto stack = devstack::Stack::Start(std::move(options));
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = std::move(*stack).release();
  }
  static void StopStack() {
    delete stack_;
    stack_ = nullptr;
  }

  // Runs gridctl with a clean environment: HOME and XDG_CONFIG_HOME in this
  // test's own directory, GRIDSERVE_SERVER at the stack's gateway, plus
  // `extra_env`. Standard input is `stdin_text`; stdout and stderr are files,
  // and there is no controlling terminal (a password prompt must fail
  // instead of waiting, and progress is plain lines).
  Result Run(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env = {},
             const std::string& stdin_text = "") {
    std::map<std::string, std::string> env = {{"HOME", home_.path()},
                                              {"XDG_CONFIG_HOME", home_.path() + "/config"},
                                              {"GRIDSERVE_SERVER", stack_->address("gateway")},
                                              {"PATH", "/usr/bin:/bin"}};
    for (const auto& [key, value] : extra_env) env[key] = value;
    std::vector<std::string> env_strings;
    for (const auto& [key, value] : env) env_strings.push_back(key + "=" + value);
    std::string binary = Env("GRIDSERVE_BUILD_DIR") + "/tools/gridctl/gridctl";
    std::vector<std::string> argv_strings = {binary};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());

    std::string in_path = home_.path() + "/stdin", out_path = home_.path() + "/stdout",
                err_path = home_.path() + "/stderr";
    std::ofstream(in_path, std::ios::trunc) << stdin_text;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
    std::vector<char*> argv, envp;
    for (std::string& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (std::string& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    pid_t pid;
    Result result;
    int spawned = posix_spawn(&pid, binary.c_str(), &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawned != 0) {
      ADD_FAILURE() << "cannot start " << binary << ": " << std::strerror(spawned);
      return result;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = ReadWholeFile(out_path);
    result.err = ReadWholeFile(err_path);
    return result;
  }

  static inline devstack::Stack* stack_ = nullptr;
  TestDir home_;
};

}  // namespace gridserve::gridctl
