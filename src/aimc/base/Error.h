#pragma once
// User errors vs internal bugs (gem5's fatal vs panic):
//  - UserError: bad input (config, model, trace, ELF). Names the file, the location, the key and the reason.
//    The CLI prints it and exits with status 2; it never aborts.
//  - AIMC_ASSERT: a broken internal invariant. Aborts with the condition and the source location.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace aimc {

class UserError : public std::runtime_error {
 public:
  // file: the input file ("" if none); line: 1-based line or 0 if unknown; key: dotted key path or node name.
  UserError(std::string file, int line, std::string key, std::string reason)
      : std::runtime_error(format(file, line, key, reason)),
        file_(std::move(file)),
        line_(line),
        key_(std::move(key)),
        reason_(std::move(reason)) {}
  explicit UserError(std::string reason) : UserError("", 0, "", std::move(reason)) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& key() const { return key_; }
  const std::string& reason() const { return reason_; }

 private:
  static std::string format(const std::string& file, int line, const std::string& key,
                            const std::string& reason) {
    std::string s;
    if (!file.empty()) {
      s += file;
      if (line > 0) s += ":" + std::to_string(line);
      s += ": ";
    }
    if (!key.empty()) s += "'" + key + "': ";
    return s + reason;
  }
  std::string file_;
  int line_;
  std::string key_;
  std::string reason_;
};

[[noreturn]] inline void assertion_failed(const char* cond, const char* file, int line, const char* msg) {
  std::fprintf(stderr, "aimcsim internal error: %s:%d: assertion '%s' failed%s%s\n", file, line, cond,
               msg[0] ? ": " : "", msg);
  std::abort();
}

}  // namespace aimc

#define AIMC_ASSERT(cond) ((cond) ? (void)0 : ::aimc::assertion_failed(#cond, __FILE__, __LINE__, ""))
#define AIMC_ASSERT_MSG(cond, msg) \
  ((cond) ? (void)0 : ::aimc::assertion_failed(#cond, __FILE__, __LINE__, (msg)))
