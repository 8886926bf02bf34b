#pragma once
// The digital unit: turns one MVM's ADC counts into INT8 activations, optionally adding an INT8 side vector
// (partial sum from another core). What computes the values is a DigitalUnitImpl chosen by the arch: the
// bit-exact C++ NMPU (default), the FP16 LDPU (kind ldpu_fp16) or the Verilated NMPU RTL (impl rtl, in the
// cores of rtl_cores). Timing: the unit's pipeline, latency_cycles(n) of its own clock, plus the SRAM write
// of the result.
//
// Convolutions: the n values of pixel PIXEL go to byte PIXEL * n of the output slot (the map is HWC). Two
// passes the compiler adds for fused operators (assumptions of this model, not published for HERMES):
//  - the residual pass: a second register bank computes from an INT8 map in the SRAM instead of the ADC
//    counters (pos = max(v, 0), neg = max(-v, 0)), plus the side input: an Add after a ReLU whose sum needs
//    partial sums first; same pipeline timing as a normal pass;
//  - pooling (kPool): max or average windows over the unit's own output map (PoolGeometry), `lanes` values
//    read per clock of the unit, plus the SRAM read and write;
//  - a depthwise conv (kDepthwise, DepthwiseKernel) over a whole map: each lane does one INT8 x INT8 MAC per
//    clock into a 32-bit accumulator, then the accumulators (shifted into the counters' range) stream through
//    the unit's normal pipeline; depthwise_cycles() is the closed form;
//  - a per-channel affine (kAffine, a BatchNormalization on its own; with a side map, an Add of two maps)
//  over
//    a whole map: the INT8 values enter as in the residual pass and stream through the pipeline;
//    affine_cycles() is the closed form.
#include <map>
#include <memory>
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/AdcBank.h"
#include "aimc/hw/CommandTarget.h"
#include "aimc/hw/CoreMemory.h"
#include "aimc/isa/ActivationCapture.h"
#include "aimc/isa/DigitalUnitImplFactory.h"
#include "aimc/numerics/DepthwiseKernel.h"
#include "aimc/numerics/DigitalUnitImpl.h"
#include "aimc/numerics/PoolGeometry.h"

namespace aimc {

class DigitalUnit : public CommandTarget {
 public:
  // The configuration registers on the core's local bus (RegisterMap.h kDigitalConfigBase), written by the
  // core's DMA: 32-bit words (bursts allowed), register i = impl().encode(...)[i], the shared words of an
  // activation stage then words_per_channel() words per output line of the crossbar (bank_registers() in
  // all); the second bank (residual pass) follows at
  // register bank_registers(). Anything else is an address error.
  tlm_utils::simple_target_socket<DigitalUnit> config_socket;

  // Throws aimc::UserError if the arch asks for an implementation this build lacks or cannot match.
  DigitalUnit(const sc_core::sc_module_name& name, const ArchConfig& arch, int core, CoreMemory& memory,
              const AdcBank& adc);

  // Loads the per-channel registers directly (a test or benchmark shortcut; a chip run loads them through
  // the DMA from the configuration table, Chip::set_inference_time); each implementation rounds into its own
  // format.
  void configure(const std::vector<DigitalChannelCoefficients>& channels) { impl_->configure(channels); }
  // Writes registers [0, words.size()) directly, as the DMA would but in no time (a backdoor for tests whose
  // synthetic schedules have no set-up commands).
  void load_registers_directly(const std::vector<uint32_t>& words) {
    for (size_t i = 0; i < words.size(); ++i) impl_->write_register(static_cast<uint32_t>(i), words[i]);
  }
  // The second register bank (residual pass), created on first use.
  void configure_residual(const std::vector<DigitalChannelCoefficients>& channels);
  // Reports every output slot write to `capture` (output.activations); nullptr = none.
  void set_capture(ActivationCapture* capture) { capture_ = capture; }
  // The pooling the kPool command of piece `piece` applies (at load time; -1: the core's only piece).
  void set_pool(const PoolGeometry& pool, int piece = -1);
  // A piece packed on this core (isa/Mapping.h) uses channels [first, first + count): its kDigital commands
  // (found by their output tag, tag_piece) read those ADC lines through those channel registers, and the
  // register writes to those channels configure it. Without a block the unit's only piece uses every line
  // of the last MVM from channel 0. The model keeps one DigitalUnitImpl per channel block, the registers of
  // its channels: the same as one register file, because every channel's registers and arithmetic are its
  // own (with impl rtl, one Verilated unit per block).
  void set_channel_block(int piece, int64_t first, int64_t count);
  // Clock cycles of a kPool: values read / lanes (rounded up).
  uint64_t pool_cycles(uint64_t values) const;
  // The depthwise conv the kDepthwise command runs (at load time).
  void set_depthwise(const DepthwiseKernel& kernel);
  // Clock cycles of a kDepthwise over `pixels` output pixels of `channels` channels with `taps` taps each,
  // `bytes_read` input bytes gathered (padding is not read), no overlap between the phases:
  //   ceil(pixels * channels * taps / lanes)            MACs, one per lane per clock
  // + latency_cycles(pixels * channels)                 the unit's pipeline over every output value
  // + ceil(8 * (bytes_read + pixels * channels) / sram width) + sram latency   SRAM reads and writes
  uint64_t depthwise_cycles(uint64_t pixels, uint64_t channels, uint64_t taps, uint64_t bytes_read) const;
  // Clock cycles of a kAffine over `pixels` pixels of `channels` channels: no MACs, every value read once
  // (and its side value, with a side input) and written once, = depthwise_cycles(pixels, channels, 0, pixels
  // * channels) (2 * pixels * channels bytes read with a side input).
  uint64_t affine_cycles(uint64_t pixels, uint64_t channels, bool side = false) const;

  const DigitalUnitImpl& impl() const { return *impl_; }
  uint64_t bank_registers() const { return impl_->config_words(static_cast<uint32_t>(arch_.core.tile.rows)); }
  // Host (wall-clock) seconds spent computing values, for the C++ vs RTL host-time ratio (report "host").
  double host_seconds() const { return host_seconds_; }

 protected:
  void execute(const Command& cmd, uint64_t sample) override;

 private:
  void write_config(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  const ArchConfig& arch_;
  CoreMemory& memory_;
  const AdcBank& adc_;
  std::unique_ptr<DigitalUnitImpl> impl_;
  std::unique_ptr<DigitalUnitImpl> residual_impl_;
  int core_;
  ActivationCapture* capture_ = nullptr;
  std::map<int, PoolGeometry> pools_;  // per piece (-1: the core's only piece)
  struct ChannelBlock {
    int64_t first = 0, count = 0;
  };
  std::map<int, ChannelBlock> blocks_;                               // per piece
  std::map<int64_t, std::unique_ptr<DigitalUnitImpl>> block_impls_;  // per first channel > 0
  DigitalUnitImpl& impl_at(int64_t first) { return first == 0 ? *impl_ : *block_impls_.at(first); }
  void execute_pool(const Command& cmd, uint64_t sample);
  void execute_depthwise(const Command& cmd, uint64_t sample);
  void execute_affine(const Command& cmd, uint64_t sample);
  uint64_t lanes() const;
  DepthwiseKernel depthwise_;
  std::vector<int32_t> dw_codes_;
  Stat* dw_macs_ = nullptr;         // registered by set_depthwise, as pooled_
  std::vector<uint32_t> counters_;  // scratch of the functional steps: unsigned pos then neg counters
  double host_seconds_ = 0;
  Stat& values_;
  Stat& side_adds_;
  Stat* pooled_ = nullptr;  // registered by set_pool: networks without pooling report no such stat
  Stat& busy_ns_;
  Stat& config_words_;
};

}  // namespace aimc
