#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace gridserve::gridctl {

// A fresh directory under the system temp dir, removed with the object.
class TestDir {
 public:
  TestDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gridctl-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TestDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace gridserve::gridctl
