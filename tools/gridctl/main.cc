// gridctl: the command-line client of the GridServe gateway (see `gridctl help`).
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "tools/gridctl/app.h"

int main(int argc, char** argv) {
  gridserve::gridctl::ProcessContext process{
      .getenv = [](const char* name) -> std::optional<std::string> {
        const char* value = std::getenv(name);
        if (value == nullptr) return std::nullopt;
        return std::string(value);
      },
      .in = std::cin,
      .out = std::cout,
      .err = std::cerr,
      .err_is_terminal = isatty(STDERR_FILENO) == 1,
  };
  return gridserve::gridctl::RunGridctl(std::vector<std::string>(argv + 1, argv + argc), process);
}
