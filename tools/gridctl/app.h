#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace gridserve::gridctl {

// What gridctl takes from its process, passed in so tests can run it whole.
struct ProcessContext {
  std::function<std::optional<std::string>(const char*)> getenv;
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  // Whether `err` is a terminal: progress is then drawn as a bar redrawn in
  // place, else written as plain lines (logs, tests).
  bool err_is_terminal = false;
};

// gridctl with `args` (argv without the program name); returns the exit code.
int RunGridctl(const std::vector<std::string>& args, ProcessContext& process);

}  // namespace gridserve::gridctl
