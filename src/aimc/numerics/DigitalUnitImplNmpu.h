#pragma once
// The fixed-point NMPU as its bit-exact C++ model (numerics/NmpuModel).
#include "aimc/numerics/DigitalUnitImpl.h"
#include "aimc/numerics/NmpuModel.h"
#include "aimc/numerics/NmpuRegisterMap.h"

namespace aimc {

class DigitalUnitImplNmpu : public DigitalUnitImpl {
 public:
  explicit DigitalUnitImplNmpu(const NmpuParams& params) : model_(params) {}

  std::string name() const override { return "nmpu/cpp"; }
  void configure(const std::vector<DigitalChannelCoefficients>& channels) override;
  // The RTL's register format (numerics/NmpuRegisterMap): six two's-complement words per channel (seven with
  // the activation stage, whose shared registers come first).
  uint32_t words_per_channel() const override { return NmpuRegisterMap::words_per_channel(model_.params()); }
  uint32_t config_words(uint32_t channels) const override {
    return NmpuRegisterMap::activation_words(model_.params()) + channels * words_per_channel();
  }
  std::vector<uint32_t> encode(const std::vector<DigitalChannelCoefficients>& channels) const override;
  void write_register(uint32_t index, uint32_t word) override;
  uint64_t process(const uint32_t* pos, const uint32_t* neg, size_t n, const int8_t* side,
                   int8_t* out) override;
  uint64_t latency_cycles(size_t n) const override { return model_.latency_cycles(n); }

  const NmpuModel& model() const { return model_; }
  const std::vector<NmpuChannel>& channels() const { return channels_; }
  const NmpuActivation& activation() const { return activation_; }

  // The register words of `channels` as `model` quantises them (shared with the Verilated NMPU's impl).
  static std::vector<uint32_t> encode_with(const NmpuModel& model,
                                           const std::vector<DigitalChannelCoefficients>& channels);

 private:
  NmpuModel model_;
  std::vector<NmpuChannel> channels_;
  NmpuActivation activation_;
};

}  // namespace aimc
