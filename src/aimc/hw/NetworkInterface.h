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
#include "aimc/isa/Mapping.h"

namespace aimc {

class Gdpu;

class NetworkInterface : public CommandTarget {
 public:
  // A packet for a destination slot: `rows` rows of `row_bytes` bytes (data, packed) written at dst_offset +
  // r * dst_stride.
  struct Packet {
    uint32_t dst = 0, tag = 0;
    uint64_t sample = 0;
    uint32_t dst_offset = 0;
    const int8_t* data = nullptr;
    uint32_t row_bytes = 0, rows = 1, dst_stride = 0;
    uint32_t bytes() const { return row_bytes * rows; }
  };
  // deliver(packet, arrival time): hands the packet to the destination.
  using Deliver = std::function<void(const Packet&, sc_core::sc_time)>;
  using WaitForSpace = std::function<void(uint32_t, uint32_t, uint64_t)>;

  NetworkInterface(const sc_core::sc_module_name& name, const ArchConfig& arch, int core_id,
                   CoreMemory& memory, Noc& noc, Deliver deliver, WaitForSpace wait_for_space);
  // The destinations of kMulticast groups (at load time).
  void set_multicast_groups(const std::vector<std::vector<Mapping::MulticastDestination>>* groups) {
    groups_ = groups;
  }
  // The GDPU slice this core feeds (kGdpuStep; hw/Gdpu), if any.
  void set_gdpu(Gdpu* gdpu, int slice) {
    gdpu_ = gdpu;
    gdpu_slice_ = slice;
  }

 protected:
  void execute(const Command& cmd, uint64_t sample) override;

 private:
  const ArchConfig& arch_;
  int core_id_;
  CoreMemory& memory_;
  Noc& noc_;
  Deliver deliver_;
  std::vector<int8_t> packet_;  // the rows of the packet being sent
  const std::vector<std::vector<Mapping::MulticastDestination>>* groups_ = nullptr;
  Stat* multicast_bytes_ = nullptr;  // registered on first use: networks without multicast report none
  void execute_multicast(const Command& cmd, uint64_t sample);
  Gdpu* gdpu_ = nullptr;
  int gdpu_slice_ = -1;
  void execute_gdpu_step(const Command& cmd, uint64_t sample);
  // The packet of `rows` from slot `src_tag` (gathered into packet_), destination still unset.
  Packet gather(uint32_t src_tag, const isa::RowTransfer& rows, uint64_t sample);
  WaitForSpace wait_for_space_;
  Stat& sent_bytes_;
  Stat& wait_ns_;
  Stat& send_ns_;
};

}  // namespace aimc
