#pragma once
// What every fuzz target shares: a malformed input may only end in an aimc::UserError (exit status 2 in the
// CLI). Any other exception, a failed AIMC_ASSERT (abort) or a sanitizer report is a finding.
#include <unistd.h>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "aimc/base/Error.h"

namespace aimc_fuzz {

// Runs `body`; a UserError is the expected refusal of bad input.
template <typename Body>
int refuse_or_accept(Body&& body) {
  try {
    body();
  } catch (const aimc::UserError&) {
  }
  return 0;
}

// A per-process scratch file holding the input, for the readers that take a path.
inline std::string scratch_file(const uint8_t* data, size_t size, const char* suffix) {
  const std::string path = "/tmp/aimc_fuzz_" + std::to_string(getpid()) + suffix;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

}  // namespace aimc_fuzz
