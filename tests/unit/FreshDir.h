#pragma once
// An empty temporary directory per test process: <tmp>/aimc_<prefix>_<name>_<pid>, emptied if it exists.
#include <filesystem>
#include <string>

#include <unistd.h>

namespace aimc_test {

inline std::filesystem::path fresh_dir(const std::string& prefix, const std::string& name) {
  std::filesystem::path d = std::filesystem::temp_directory_path() /
                            ("aimc_" + prefix + "_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace aimc_test
