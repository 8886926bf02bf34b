#pragma once
// The chip: the network, every core, and the host I/O port at router 0 that streams INT8 input vectors in
// and collects the INT8 outputs. Loading (programming the crossbars, configuring the digital units) happens
// before the run; run() simulates the inference of a batch, one sample after another, pipelined across cores.
#include <memory>
#include <vector>

#include "aimc/base/WorkerPool.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/hw/ControllerMailbox.h"
#include "aimc/hw/Core.h"
#include "aimc/hw/Gdpu.h"
#include "aimc/hw/Noc.h"
#include "aimc/isa/ActivationCapture.h"
#include "aimc/isa/Mapping.h"

namespace aimc {

struct ChipRun {
  std::vector<int8_t> outputs;  // [samples, output_features]
  std::vector<double>
      sample_latency_ns;            // from injection of its first byte to arrival of its last output byte
  double start_ns = 0, end_ns = 0;  // simulated time of the first injection and the last output
  double configure_ns = 0;          // the configuration phase before the first injection (per controller: the
                                    // controllers' configure_time stats)
};

class Chip : public HwModule {
 public:
  SC_HAS_PROCESS(Chip);
  Chip(const sc_core::sc_module_name& name, const ArchConfig& arch, const Mapping& mapping, uint64_t seed);

  // Host threads for the crossbars' programming, drift and reads (WorkerPool.h; default 1: everything on the
  // calling thread). Results are the same for any count.
  void set_threads(int threads);
  int threads() const { return pool_ ? pool_->threads() : 1; }
  // Programs every used crossbar with its piece; returns the programming results per piece.
  std::vector<ProgramResult> program();
  // Drifts every crossbar to `t_s` after programming and places the digital units' configuration tables for
  // that time (the drift-compensation factor enters their scale) in the cores' SRAM; each run() starts with
  // the controllers loading them into the registers through the DMAs.
  void set_inference_time(double t_s);
  // Simulates the batch `inputs` ([samples, input_features] INT8 codes) and returns outputs and timing.
  // Inputs and outputs are in the chip's layout: HWC for maps (Mapping::input_channels, output_channels).
  ChipRun run(const std::vector<int8_t>& inputs, uint64_t samples);
  // The next run's samples draw their read noise as samples `first`, `first` + 1, ... (read index = number *
  // pixels + pixel; the hardware's sample numbers, in its 32-bit registers, count on across runs). A caller
  // that numbers sample i of its input set at inference time k alike in every run (sim/Execution.h) gets
  // outputs that do not depend on the batch.
  void number_samples_from(uint64_t first) { first_noise_sample_ = first; }
  // Every digital unit reports its output slot writes to `capture` (output.activations); each run() starts a
  // new capture. nullptr = none.
  void set_activation_capture(ActivationCapture* capture);

  const std::vector<std::unique_ptr<Core>>& cores() const { return cores_; }
  const Noc& noc() const { return noc_; }
  // Controller i drives cores [i * K, i * K + K) (K = core.controller.cores_per_controller); it lives in
  // its first core.
  const std::vector<Controller*>& controllers() const { return controllers_; }
  const ControllerMailbox& mailbox() const { return mailbox_; }
  // The GDPU (gdpu.enabled), or nullptr.
  const Gdpu* gdpu() const { return gdpu_.get(); }

 private:
  WorkerPool& host_pool();  // pool_, or the calling thread alone
  void inject();
  void deliver(const NetworkInterface::Packet& packet, sc_core::sc_time at);
  void wait_for_space(uint32_t dst, uint32_t tag, uint64_t sample);
  void on_output();

  const ArchConfig& arch_;
  const Mapping& mapping_;
  std::unique_ptr<WorkerPool> pool_;  // before cores_: it outlives the tiles' reads
  WorkerPool calling_thread_{1};
  Noc noc_;
  ControllerMailbox mailbox_;
  std::vector<std::unique_ptr<Core>> cores_;
  std::vector<Controller*> controllers_;
  std::unique_ptr<Gdpu> gdpu_;
  // Host side of the current run.
  const std::vector<int8_t>* inputs_ = nullptr;
  ActivationCapture* capture_ = nullptr;
  uint64_t first_sample_ = 0, samples_ = 0;
  uint64_t first_noise_sample_ = 0;  // number_samples_from
  sc_core::sc_event start_inject_;
  bool inject_pending_ = false;
  std::vector<int8_t> outputs_;
  std::vector<int8_t> packet_;  // host-side rows of an input transfer
  std::vector<uint32_t> output_bytes_;
  std::vector<double> injected_ns_, done_ns_;
  struct Pending {
    sc_core::sc_time at;
    uint64_t sample;
    uint32_t bytes;
    bool operator>(const Pending& o) const { return at > o.at; }
  };
  std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> pending_outputs_;
  sc_core::sc_event output_event_;
  uint64_t port_free_cycle_ = 0;
  Stat& samples_stat_;
  Stat& input_bytes_;
  Stat& output_bytes_stat_;
};

}  // namespace aimc
