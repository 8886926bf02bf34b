#pragma once
// What a core's digital unit runs: the bit-exact C++ model of the NMPU or of the FP16 LDPU, or the Verilated
// NMPU RTL (src/cosim, registered through DigitalUnitImplRegistry so that aimc does not depend on Verilator).
// Plain C++, no SystemC: DigitalUnit adds the time.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "aimc/numerics/ActivationFunction.h"

namespace aimc {

// The activation stage of one channel (applied to the running value after the side add, in place of relu2):
// output code = round(f(t2 * in_lsb) / out_step), f = activation_value(spec) (ActivationTable.h). The
// channels of one unit share the function, in_lsb and out_step; spec.alpha may differ per channel only for
// PReLU and LeakyReLU (their slope below 0).
struct DigitalActivationCoefficients {
  bool enabled = false;
  ActivationSpec spec;
  double in_lsb = 1.0;    // real value of one LSB (step) of the pre-activation running value t2
  double out_step = 1.0;  // real value of one output step
};

// One output channel's coefficients as real numbers; each implementation rounds them into its own register
// format (fixed point for the NMPU, FP16 for the LDPU), so that the two units see the same calibration.
// Meaning as in NmpuModel::quantize_channel: out = (gain * (pos - neg) + offset) * scale + bias (relu1), then
// + side_scale * side (relu2).
struct DigitalChannelCoefficients {
  double gain = 1.0;
  double offset = 0.0;
  double scale = 0.0;
  double bias = 0.0;
  double side_scale = 1.0;
  bool relu1 = false;
  bool relu2 = false;
  DigitalActivationCoefficients activation;
};

struct ActivationTable;

// The activation table one register bank shares (from channel 0; the channels' kind, beta and steps agree,
// asserted). Returns false if the bank has no activation. Throws aimc::UserError (key
// core.digital_unit.activation.enabled) if it has one and the unit lacks the stage (has_stage false).
bool bank_activation_table(const std::vector<DigitalChannelCoefficients>& channels, bool has_stage, int bins,
                           ActivationTable* table);
// A channel's slope below 0 in output steps per pre-activation step (PReLU's own alpha; 0 for a table).
double channel_activation_slope_neg(const DigitalChannelCoefficients& channel);

class DigitalUnitImpl {
 public:
  virtual ~DigitalUnitImpl() = default;

  // Short name for reports, e.g. "nmpu/cpp", "nmpu/rtl", "ldpu_fp16/cpp".
  virtual std::string name() const = 0;

  // Writes the channel registers directly from real coefficients. Throws aimc::UserError if a coefficient
  // does not fit.
  virtual void configure(const std::vector<DigitalChannelCoefficients>& channels) = 0;

  // The configuration registers as the controller's DMA writes them: the shared words (config_words(0) of
  // them: an activation stage's table, none without one), then channel j's coefficients in words
  // [S + j * words_per_channel(), S + (j + 1) * words_per_channel()) of the unit's register window, in the
  // unit's own format. encode() rounds as configure() does (same UserErrors); write_register(i, encode(c)[i])
  // for every i leaves the unit exactly as configure(c) does.
  virtual uint32_t words_per_channel() const = 0;
  // Words a bank of `channels` channels takes: words shared by the bank (an activation stage's table) come
  // first, then the channels'. encode() returns this many words.
  virtual uint32_t config_words(uint32_t channels) const { return channels * words_per_channel(); }
  uint32_t shared_words() const { return config_words(0); }
  virtual std::vector<uint32_t> encode(const std::vector<DigitalChannelCoefficients>& channels) const = 0;
  virtual void write_register(uint32_t index, uint32_t word) = 0;

  // Output values [0, n) on channels [0, n) from the ADC counters; side: INT8 side input or nullptr. Returns
  // the clock cycles of the unit's own clock from the first value accepted to the last result out (the
  // implementation's latency_cycles(n): the RTL's is measured, and must equal the model's).
  virtual uint64_t process(const uint32_t* pos, const uint32_t* neg, size_t n, const int8_t* side,
                           int8_t* out) = 0;

  // The timing the chip assumes: NmpuModel/LdpuFp16Model::latency_cycles.
  virtual uint64_t latency_cycles(size_t n) const = 0;
};

}  // namespace aimc
