#pragma once
// The FP16 LDPU of the published chip (REFERENCE.md A) as its bit-exact C++ model (numerics/LdpuFp16Model),
// for the NMPU paper's fixed-point vs FP16 comparison run end to end.
#include "aimc/numerics/DigitalUnitImpl.h"
#include "aimc/numerics/LdpuFp16Model.h"

namespace aimc {

class DigitalUnitImplLdpuFp16 : public DigitalUnitImpl {
 public:
  explicit DigitalUnitImplLdpuFp16(const LdpuFp16Params& params) : model_(params) {}

  std::string name() const override { return "ldpu_fp16/cpp"; }
  void configure(const std::vector<DigitalChannelCoefficients>& channels) override;
  // Three words per channel, two FP16 halves each (low half first): gain | offset, scale | bias,
  // side_scale | flags (bit 0 relu1, bit 1 relu2); with the activation stage a fourth, slope_neg (low half),
  // and before the channels the stage's shared words: header (bit 0 enabled, bit 1 table),
  // slope_pos | intercept, lo | hi, bins x value | slope, bins - 1 x breakpoint (low half).
  uint32_t words_per_channel() const override { return activation_words() > 0 ? 4 : 3; }
  uint32_t config_words(uint32_t channels) const override {
    return activation_words() + channels * words_per_channel();
  }
  std::vector<uint32_t> encode(const std::vector<DigitalChannelCoefficients>& channels) const override;
  void write_register(uint32_t index, uint32_t word) override;
  uint64_t process(const uint32_t* pos, const uint32_t* neg, size_t n, const int8_t* side,
                   int8_t* out) override;
  uint64_t latency_cycles(size_t n) const override { return model_.latency_cycles(n); }

 private:
  uint32_t activation_words() const;
  void write_activation(uint32_t index, uint32_t word);

  LdpuFp16Model model_;
  std::vector<LdpuFp16Channel> channels_;
  LdpuFp16Activation activation_;
};

}  // namespace aimc
