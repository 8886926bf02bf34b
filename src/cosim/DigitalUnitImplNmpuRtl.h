#pragma once
// The Verilated NMPU (rtl/nmpu/nmpu_top.sv, via NmpuRtl) as a core's digital unit: coefficients go through
// the configuration registers, every vector streams through the RTL cycle by cycle, and the cycles the RTL
// takes are the cycles the chip charges (checked against NmpuModel::latency_cycles on every call).
#include <memory>

#include "aimc/config/ArchConfig.h"
#include "aimc/numerics/DigitalUnitImpl.h"
#include "aimc/numerics/NmpuModel.h"
#include "aimc/numerics/NmpuRegisterMap.h"
#include "cosim/NmpuRtl.h"

namespace aimc {

class DigitalUnitImplNmpuRtl : public DigitalUnitImpl {
 public:
  // Throws aimc::UserError naming the arch key if the arch's NMPU (lanes, depth, ADC counter width, channels,
  // rounding, formats, the activation stage's bins, depth and formats) differs from the parameters the RTL
  // was verilated with. With core.digital_unit.activation.enabled it runs the unit verilated with the stage.
  explicit DigitalUnitImplNmpuRtl(const ArchConfig& arch);

  std::string name() const override { return "nmpu/rtl"; }
  void configure(const std::vector<DigitalChannelCoefficients>& channels) override;
  // The RTL's own configuration registers (NmpuRegisterMap): each word is one cfg write into nmpu_top (the
  // activation stage's shared words through cfg_act_we_i, then six or seven words per channel).
  uint32_t words_per_channel() const override { return NmpuRegisterMap::words_per_channel(model_.params()); }
  uint32_t config_words(uint32_t channels) const override {
    return NmpuRegisterMap::activation_words(model_.params()) + channels * words_per_channel();
  }
  std::vector<uint32_t> encode(const std::vector<DigitalChannelCoefficients>& channels) const override;
  void write_register(uint32_t index, uint32_t word) override;
  uint64_t process(const uint32_t* pos, const uint32_t* neg, size_t n, const int8_t* side,
                   int8_t* out) override;
  uint64_t latency_cycles(size_t n) const override { return model_.latency_cycles(n); }

 private:
  NmpuModel model_;  // quantises coefficients exactly as the C++ run does, and gives the timing
  NmpuRtl rtl_;
  size_t configured_ = 0;
};

// Registers DigitalUnitImplNmpuRtl as core.digital_unit.impl "rtl" (idempotent). The CLI calls it when it is
// built with the RTL (AIMCSIM_HAVE_COSIM).
void register_rtl_digital_unit();

}  // namespace aimc
