#pragma once
// Bit-exact model of the fixed-point NMPU (rtl/nmpu/nmpu_top.sv): the single source of truth that the RTL
// must match in the lockstep co-simulation (src/cosim/), and the digital unit the chip simulation calls.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "aimc/numerics/ActivationTable.h"
#include "aimc/numerics/NmpuChannel.h"
#include "aimc/numerics/NmpuParams.h"

namespace aimc {

class NmpuModel {
 public:
  // Validates the parameters (aimc::UserError on an impossible set).
  explicit NmpuModel(const NmpuParams& params);

  const NmpuParams& params() const { return params_; }

  // Converts real coefficients into register values, rounding each to the nearest representable value (ties
  // away from zero). Throws aimc::UserError naming the coefficient and its range if one is NaN, infinite or
  // outside its format. g, o: ADC gain and offset (counts); a: count -> output LSB scale; b: bias in output
  // LSBs; c: side-input scale.
  NmpuChannel quantize_channel(double g, double o, double a, double b, double c, bool relu1,
                               bool relu2) const;

  // The activation stage's shared registers from its real coefficients (enabled), rounded to the nearest
  // register value. Throws aimc::UserError naming the coefficient, its format and the arch key
  // core.digital_unit.activation.format.* if one does not fit. The stage must exist (params.activation).
  NmpuActivation quantize_activation(const ActivationTable& table) const;
  // A channel's slope below 0 (PReLU) in the slope format, same errors.
  int32_t quantize_activation_slope(double slope) const;

  // The real value a register holds (for reports and tests).
  static double to_real(int32_t q, const NmpuFixedFormat& format);

  // One output value. pos, neg: the CCO counters (< 2^adc_count_bits, asserted); side: INT8 side input, used
  // only if side_valid (otherwise the side term is zero).
  int8_t process(uint32_t pos, uint32_t neg, const NmpuChannel& channel, int8_t side, bool side_valid) const;
  // The same with the activation stage's registers (act.enabled: act(t2) replaces relu2).
  int8_t process(uint32_t pos, uint32_t neg, const NmpuChannel& channel, const NmpuActivation& act,
                 int8_t side, bool side_valid) const;

  // Vector form over channels [first_channel, first_channel + n): value i uses channels[first_channel + i].
  // side may be nullptr (no side input); side_valid may be nullptr (all side values valid if side is given).
  void process_range(const uint32_t* pos, const uint32_t* neg, const std::vector<NmpuChannel>& channels,
                     size_t first_channel, size_t n, const int8_t* side, const bool* side_valid,
                     int8_t* out) const;
  void process_range(const uint32_t* pos, const uint32_t* neg, const std::vector<NmpuChannel>& channels,
                     const NmpuActivation& act, size_t first_channel, size_t n, const int8_t* side,
                     const bool* side_valid, int8_t* out) const;

  // The activation stage alone: the output integer of running value t2 (accumulator format) on `channel`.
  int64_t activate(int64_t t2, const NmpuChannel& channel, const NmpuActivation& act) const;

  // Clock cycles from the cycle the first value is accepted to the cycle the last result is taken, with no
  // back-pressure: ceil(n / lanes) input beats, each result pipeline_depth (+ activation.pipeline_depth if
  // the unit has the stage) cycles after its beat. 0 for n = 0.
  uint64_t latency_cycles(size_t n_values) const;

  // Sustained throughput without back-pressure: one beat of `lanes` values per clock.
  double values_per_cycle() const { return static_cast<double>(params_.lanes); }

  // Intermediate register values of one process() call, for tests and mismatch reports.
  struct Trace {
    int64_t difference = 0;  // pos - neg
    int64_t corrected = 0;   // y, NmpuParams::corrected
    int64_t scaled = 0;      // t1 after relu1, NmpuParams::accumulator
    int64_t side_added = 0;  // t2 after relu2 (before the activation stage), NmpuParams::accumulator
    int8_t output = 0;
  };
  Trace trace(uint32_t pos, uint32_t neg, const NmpuChannel& channel, int8_t side, bool side_valid) const;
  Trace trace(uint32_t pos, uint32_t neg, const NmpuChannel& channel, const NmpuActivation& act, int8_t side,
              bool side_valid) const;

 private:
  int32_t quantize(double value, const NmpuFixedFormat& format, const std::string& name) const;
  // quantize() with the error keyed by `key` and the coefficient called `what`.
  static int32_t quantize_named(double value, const NmpuFixedFormat& format, const std::string& key,
                                const std::string& what);
  int64_t activate_linear(int64_t t2, const NmpuChannel& channel, const NmpuActivation& act) const;
  int64_t activate_table(int64_t t2, const NmpuActivation& act) const;

  NmpuParams params_;
};

}  // namespace aimc
