#pragma once
// One AIMC core: crossbar tile with PWM drivers, ADC bank, digital unit, local SRAM and DMA, network
// interface and the controller that sequences them. The blocks are wired to the controller through TLM-2.0
// sockets. With core.controller.cores_per_controller = K, the first core of every K holds the cluster's
// controller (its table is the cluster's merged table) and the chip wires the other K-1 cores to it
// (driven_by).
#include <memory>
#include <queue>
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/AdcBank.h"
#include "aimc/hw/Controller.h"
#include "aimc/hw/CoreMemory.h"
#include "aimc/hw/CrossbarTile.h"
#include "aimc/hw/DigitalUnit.h"
#include "aimc/hw/Dma.h"
#include "aimc/hw/NetworkInterface.h"
#include "aimc/isa/Mapping.h"

namespace aimc {

class Core : public HwModule {
 public:
  SC_HAS_PROCESS(Core);
  Core(const sc_core::sc_module_name& name, const ArchConfig& arch, int id, const std::vector<Command>& table,
       Noc& noc, NetworkInterface::Deliver deliver, NetworkInterface::WaitForSpace wait_for_space,
       uint64_t seed);

  int id() const { return id_; }
  CoreMemory& memory() { return memory_; }
  CrossbarTile& tile() { return tile_; }
  const CrossbarTile& tile() const { return tile_; }
  DigitalUnit& digital_unit() { return digital_unit_; }
  const DigitalUnit& digital_unit() const { return digital_unit_; }
  const AdcBank& adc_bank() const { return adc_; }
  const Dma& dma() const { return dma_; }
  // The controller this core holds (the first core of a cluster) and the one that drives it.
  bool has_controller() const { return controller_ != nullptr; }
  Controller& controller() { return *controller_; }
  const Controller& controller() const { return *controller_; }
  const Controller& driver() const { return *driver_; }
  // Wires this core's blocks to `controller`'s core slot `slot`; the controller reports finished samples.
  void driven_by(Controller& controller, uint32_t slot);
  NetworkInterface& network_interface() { return network_; }
  // Writes the packet's rows into its slot now; they count as arrived at time `at`.
  void deliver(const NetworkInterface::Packet& packet, sc_core::sc_time at);

 private:
  struct Arrival {
    sc_core::sc_time at;
    uint32_t tag;
    uint64_t sample;
    uint32_t bytes;
    bool operator>(const Arrival& o) const { return at > o.at; }
  };
  void on_arrival();

  int id_;
  CoreMemory memory_;
  AdcBank adc_;
  CrossbarTile tile_;
  DigitalUnit digital_unit_;
  Dma dma_;
  NetworkInterface network_;
  std::unique_ptr<Controller> controller_;
  Controller* driver_ = nullptr;
  std::vector<uint32_t> output_tags_;
  std::priority_queue<Arrival, std::vector<Arrival>, std::greater<Arrival>> arrivals_;
  sc_core::sc_event arrival_event_;
  sc_core::sc_time sample_end_;  // end of the previous sample (trace)
};

}  // namespace aimc
