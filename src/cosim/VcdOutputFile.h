#pragma once
// The file behind Verilator's VCD writer (VerilatedVcdC takes a VerilatedVcdFile): the waves go through
// aimc::AtomicFile, so a full disk never leaves a partial VCD under the final name, and a write error is an
// aimc::UserError instead of Verilator's own handling. That handling is why `cosim nmpu --wave` on a full
// disk used to hang: VerilatedVcd::bufferFlush, on a failed write, calls vl_fatal, whose flush callbacks call
// VerilatedVcd::flush, which locks the writer's mutex that the failing flush already holds (a self-deadlock
// in a futex). Here write() never reports an error to Verilator: it records it, drops the rest, and the owner
// throws it at the next dump (check()) or at the close (commit()).
#include <verilated_vcd_c.h>

#include <memory>
#include <string>

#include "aimc/base/AtomicFile.h"
#include "aimc/base/Error.h"

namespace aimc {

class VcdOutputFile : public VerilatedVcdFile {
 public:
  bool open(const std::string& name) override {
    try {
      file_ = std::make_unique<AtomicFile>(name, "--wave");
    } catch (const UserError& e) {
      error_ = e.what();
      return false;
    }
    return true;
  }
  ssize_t write(const char* bytes, ssize_t size) override {
    if (file_) {
      try {
        file_->write(bytes, static_cast<size_t>(size));
      } catch (const UserError& e) {
        error_ = e.what();
        file_.reset();  // the temporary is already removed
      }
    }
    return size;
  }
  // Verilator's close: the file is renamed into place only if every write succeeded.
  void close() override {
    if (!file_) return;
    try {
      file_->commit();
    } catch (const UserError& e) {
      error_ = e.what();
    }
    file_.reset();
  }

  // Throws the first write error, if any.
  void check() const {
    if (!error_.empty()) throw UserError(error_);
  }

 private:
  std::unique_ptr<AtomicFile> file_;
  std::string error_;
};

}  // namespace aimc
