#pragma once
// The core's network interface: waits for activation vectors to arrive in the local SRAM and sends slices of
// local vectors to other cores (or to the chip's output port) over the Noc, with credit-based flow control
// (a send waits until the destination has a free buffer for that vector).
#include <functional>
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/CommandTarget.h"
#include "aimc/hw/CoreMemory.h"
#include "aimc/hw/Noc.h"

namespace aimc {

class NetworkInterface : public CommandTarget {
 public:
  // deliver(dst core, tag, sample, dst offset, data, bytes, arrival time): hands the packet to the
  // destination.
  using Deliver =
      std::function<void(uint32_t, uint32_t, uint64_t, uint32_t, const int8_t*, uint32_t, sc_core::sc_time)>;
  using WaitForSpace = std::function<void(uint32_t, uint32_t, uint64_t)>;

  NetworkInterface(const sc_core::sc_module_name& name, const ArchConfig& arch, int core_id,
                   CoreMemory& memory, Noc& noc, Deliver deliver, WaitForSpace wait_for_space);

 protected:
  void execute(const Command& cmd, uint64_t sample) override;

 private:
  const ArchConfig& arch_;
  int core_id_;
  CoreMemory& memory_;
  Noc& noc_;
  Deliver deliver_;
  WaitForSpace wait_for_space_;
  Stat& sent_bytes_;
  Stat& wait_ns_;
  Stat& send_ns_;
};

}  // namespace aimc
