#include "cosim/DigitalUnitImplNmpuRtl.h"

#include <algorithm>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/hw/DigitalUnit.h"
#include "aimc/isa/DigitalUnitImplRegistry.h"
#include "aimc/numerics/DigitalUnitImplNmpu.h"

namespace aimc {

namespace {

// The activation stage the arch asks for against the one Verilated with ActStage = 1 (NmpuRtl::params(true):
// NmpuActivationParams' defaults, which equal nmpu_top's Act* defaults).
void check_activation_stage(const ArchConfig& arch, const NmpuActivationParams& want) {
  if (!want.enabled) return;
  if (!NmpuRtl::built_with_activation_stage())
    throw UserError(
        arch.source_file, 0, "core.digital_unit.activation.enabled",
        "this build has no Verilated NMPU with the activation stage (core.digital_unit.impl: rtl; "
        "use impl cpp)");
  const NmpuActivationParams built = NmpuRtl::params(true).activation;
  auto differs = [&](const std::string& key, const std::string& arch_value, const std::string& rtl_value) {
    if (arch_value != rtl_value)
      throw UserError(arch.source_file, 0, "core.digital_unit.activation." + key,
                      "is " + arch_value + " but the Verilated NMPU's activation stage was built with " +
                          rtl_value +
                          " (core.digital_unit.impl: rtl; rebuild with other -GAct* parameters in "
                          "rtl/CMakeLists.txt or use impl cpp)");
  };
  differs("bins", std::to_string(want.bins), std::to_string(built.bins));
  differs("pipeline_depth", std::to_string(want.pipeline_depth), std::to_string(built.pipeline_depth));
  differs("format.breakpoint", want.breakpoint.describe(), built.breakpoint.describe());
  differs("format.value", want.value.describe(), built.value.describe());
  differs("format.slope", want.slope.describe(), built.slope.describe());
}

// The arch's NMPU, checked against the Verilated build: a mismatch would make the RTL run disagree with the
// C++ run in values or timing, so it is a user error naming the key to change (or the build to make).
NmpuParams checked_params(const ArchConfig& arch) {
  const NmpuParams want = nmpu_params(arch);
  const NmpuParams built = NmpuRtl::params();
  auto differs = [&](const char* key, long long arch_value, long long rtl_value) {
    if (arch_value != rtl_value)
      throw UserError(arch.source_file, 0, key,
                      "is " + std::to_string(arch_value) + " but the Verilated NMPU was built with " +
                          std::to_string(rtl_value) +
                          " (core.digital_unit.impl: rtl; rebuild with other -G parameters in "
                          "rtl/CMakeLists.txt or use impl cpp)");
  };
  differs("core.digital_unit.lanes", want.lanes, built.lanes);
  differs("core.digital_unit.pipeline_depth", want.pipeline_depth, built.pipeline_depth);
  differs("core.adc.counter_bits", want.adc_count_bits, built.adc_count_bits);
  // One coefficient set per ADC line: the RTL's coefficient file must hold every output line of a crossbar.
  if (arch.core.tile.rows > built.channels)
    throw UserError(arch.source_file, 0, "core.crossbar.rows",
                    std::to_string(arch.core.tile.rows) + " output lines, but the Verilated NMPU has " +
                        std::to_string(built.channels) + " coefficient channels (NumChannels)");
  if (want.rounding != built.rounding)
    throw UserError(arch.source_file, 0, "core.digital_unit.rounding",
                    std::string("the Verilated NMPU rounds ") + to_string(built.rounding) +
                        " but the chip's NMPU rounds " + to_string(want.rounding) +
                        " (core.digital_unit.impl: rtl; rebuild with another -GRoundMode or use impl cpp)");
  // The stage formats are -G parameters of the Verilated build too (NmpuRtl::params()).
  auto format_differs = [&](const char* key, const NmpuFixedFormat& a, const NmpuFixedFormat& b) {
    if (a.int_bits != b.int_bits || a.frac_bits != b.frac_bits)
      throw UserError(arch.source_file, 0, key,
                      "is " + a.describe() + " but the Verilated NMPU was built with " + b.describe() +
                          " (core.digital_unit.impl: rtl; rebuild with other -G parameters in "
                          "rtl/CMakeLists.txt or use impl cpp)");
  };
  format_differs("core.digital_unit.format.gain", want.gain, built.gain);
  format_differs("core.digital_unit.format.offset", want.offset, built.offset);
  format_differs("core.digital_unit.format.corrected", want.corrected, built.corrected);
  format_differs("core.digital_unit.format.scale", want.scale, built.scale);
  format_differs("core.digital_unit.format.bias", want.bias, built.bias);
  format_differs("core.digital_unit.format.accumulator", want.accumulator, built.accumulator);
  format_differs("core.digital_unit.format.side_scale", want.side_scale, built.side_scale);
  NmpuParams p = want;
  p.channels = built.channels;
  check_activation_stage(arch, want.activation);
  return p;
}

}  // namespace

DigitalUnitImplNmpuRtl::DigitalUnitImplNmpuRtl(const ArchConfig& arch)
    : model_(checked_params(arch)), rtl_(model_.params().activation.enabled) {
  rtl_.reset();
}

void DigitalUnitImplNmpuRtl::configure(const std::vector<DigitalChannelCoefficients>& channels) {
  AIMC_ASSERT_MSG(channels.size() <= static_cast<size_t>(NmpuRtl::params().channels),
                  "more channels than the Verilated coefficient file");
  // Every word through the configuration registers, as the chip's DMA writes them.
  const std::vector<uint32_t> words = encode(channels);
  for (size_t i = 0; i < words.size(); ++i) write_register(static_cast<uint32_t>(i), words[i]);
  configured_ = channels.size();
}

std::vector<uint32_t> DigitalUnitImplNmpuRtl::encode(
    const std::vector<DigitalChannelCoefficients>& channels) const {
  // The same words as the C++ NMPU's: the RTL's configuration registers are what NmpuRegisterMap describes.
  return DigitalUnitImplNmpu::encode_with(model_, channels);
}

void DigitalUnitImplNmpuRtl::write_register(uint32_t index, uint32_t word) {
  const NmpuParams& p = model_.params();
  const uint32_t shared = NmpuRegisterMap::activation_words(p);
  if (index < shared) {
    rtl_.write_activation(index, word);
    return;
  }
  const uint32_t per_channel = NmpuRegisterMap::words_per_channel(p);
  const uint32_t channel = (index - shared) / per_channel;
  AIMC_ASSERT_MSG(channel < static_cast<uint32_t>(NmpuRtl::params().channels),
                  "more channels than the Verilated coefficient file");
  rtl_.write_field(channel, (index - shared) % per_channel, word);
  configured_ = std::max<size_t>(configured_, channel + 1);
}

uint64_t DigitalUnitImplNmpuRtl::process(const uint32_t* pos, const uint32_t* neg, size_t n,
                                         const int8_t* side, int8_t* out) {
  AIMC_ASSERT_MSG(n <= configured_, "digital unit run on more values than configured channels");
  return rtl_.process_range(pos, neg, 0, n, side, nullptr, out);
}

void register_rtl_digital_unit() {
  DigitalUnitImplRegistry::add(DigitalUnitImplKind::kRtl, [](const ArchConfig& arch, int /*core*/) {
    return std::make_unique<DigitalUnitImplNmpuRtl>(arch);
  });
}

}  // namespace aimc
