#include "common/files.h"

#include <fstream>
#include <sstream>

namespace gridserve {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace gridserve
