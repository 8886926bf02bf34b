#pragma once
// A block driven through memory-mapped command registers (see RegisterMap.h): a TLM-2.0 target socket whose
// writes fill the argument registers and whose GO write runs the command to completion.
#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include <tlm_utils/simple_target_socket.h>
#include <tlm>

#include "aimc/hw/HwModule.h"
#include "aimc/isa/Command.h"
#include "aimc/isa/RegisterMap.h"

namespace aimc {

class CommandTarget : public HwModule {
 public:
  tlm_utils::simple_target_socket<CommandTarget> socket;

  CommandTarget(const sc_core::sc_module_name& name, double period_ns)
      : HwModule(name, period_ns), socket("socket") {
    socket.register_b_transport(this, &CommandTarget::b_transport);
  }

 protected:
  // Runs one command for `sample` (at pixel(): the PIXEL register); may wait. Called in the controller's
  // thread.
  virtual void execute(const Command& cmd, uint64_t sample) = 0;
  uint32_t pixel() const { return pixel_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    const uint64_t offset = trans.get_address() % regmap::kBlockSpan;
    if (trans.get_command() != tlm::TLM_WRITE_COMMAND || trans.get_data_length() != 4 ||
        offset > regmap::kPixel || offset % 4 != 0) {
      trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    uint32_t value = 0;
    std::memcpy(&value, trans.get_data_ptr(), 4);
    if (offset < regmap::kGo) {
      args_[offset / 4] = value;
    } else if (offset == regmap::kSample) {
      sample_ = value;
    } else if (offset == regmap::kPixel) {
      pixel_ = value;
    } else {
      // Synchronise before running: the command starts at the controller's local time.
      wait(delay);
      delay = sc_core::SC_ZERO_TIME;
      const sc_core::sc_time begin = sc_core::sc_time_stamp();
      const auto op = static_cast<CommandOp>(value);
      execute(Command{op, args_[0], args_[1], args_[2], args_[3], args_[4], args_[5]}, sample_);
      // Every block the controller drives gets its busy spans on its trace track.
      if (TraceRecorder::active() && sc_core::sc_time_stamp() > begin)
        trace_span(std::string(op_name(op)) + " s" + std::to_string(sample_), begin,
                   sc_core::sc_time_stamp());
    }
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
  }

  std::array<uint32_t, 6> args_{};
  uint32_t sample_ = 0;
  uint32_t pixel_ = 0;
};

}  // namespace aimc
