#include "aimc/isa/DigitalUnitImplFactory.h"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "aimc/base/Error.h"
#include "aimc/isa/DigitalUnitImplRegistry.h"
#include "aimc/numerics/DigitalUnitImplLdpuFp16.h"
#include "aimc/numerics/DigitalUnitImplNmpu.h"
#include "aimc/numerics/NmpuModel.h"

namespace aimc {

namespace {

// The format of `field` (a key of NmpuModel's coefficient errors: gain, offset, scale, bias, side_scale).
const NmpuFixedFormat* coefficient_format(const NmpuParams& p, const std::string& field) {
  if (field == "gain") return &p.gain;
  if (field == "offset") return &p.offset;
  if (field == "scale") return &p.scale;
  if (field == "bias") return &p.bias;
  if (field == "side_scale") return &p.side_scale;
  return nullptr;
}

double coefficient_value(const DigitalChannelCoefficients& c, const std::string& field) {
  if (field == "gain") return c.gain;
  if (field == "offset") return c.offset;
  if (field == "scale") return c.scale;
  if (field == "bias") return c.bias;
  return c.side_scale;
}

// What to change: a format with the same fraction bits and enough integer bits for `value`, or, for a value
// that is not finite (an all-zero weight slice, an overflowing input), the model or its inputs.
std::string coefficient_advice(double value, const NmpuFixedFormat& format, const std::string& key) {
  if (!std::isfinite(value))
    return "the coefficient is not finite: check the layer's weights (an all-zero slice) and the inputs' "
           "range";
  int int_bits = format.int_bits;
  while (int_bits < 32 - format.frac_bits &&
         std::fabs(value) >= std::ldexp(1.0, int_bits - 1) - std::ldexp(1.0, -format.frac_bits))
    ++int_bits;
  return fmt::format("set {}: Q{}.{} or wider (arch file or --set {}=Q{}.{})", key, int_bits,
                     format.frac_bits, key, int_bits, format.frac_bits);
}

}  // namespace

NmpuParams nmpu_params(const ArchConfig& arch) {
  NmpuParams p;
  p.lanes = static_cast<int>(arch.core.digital_unit.lanes);
  p.pipeline_depth = static_cast<int>(arch.core.digital_unit.pipeline_depth);
  p.clock_hz = arch.core.digital_unit.clock_mhz * 1e6;
  p.adc_count_bits = arch.core.tile.adc.cco_counter_bits;
  std::string key, error;
  if (!apply_nmpu_formats(arch.core.digital_unit, &p, &key, &error))
    throw UserError(arch.source_file, 0, key, error);  // validate_digital() normally caught it already
  return p;
}

LdpuFp16Params ldpu_fp16_params(const ArchConfig& arch) {
  LdpuFp16Params p;
  p.lanes = static_cast<int>(arch.core.digital_unit.ldpu_lanes);
  p.pipeline_depth = static_cast<int>(arch.core.digital_unit.ldpu_pipeline_depth);
  p.clock_hz = arch.core.digital_unit.ldpu_clock_mhz * 1e6;
  p.adc_count_bits = arch.core.tile.adc.cco_counter_bits;
  p.activation_enabled = arch.core.digital_unit.activation_enabled;
  p.activation_bins = static_cast<int>(arch.core.digital_unit.activation_bins);
  p.activation_pipeline_depth = static_cast<int>(arch.core.digital_unit.activation_pipeline_depth);
  return p;
}

std::unique_ptr<DigitalUnitImpl> make_digital_unit_impl(const ArchConfig& arch, int core) {
  const DigitalUnitConfig& du = arch.core.digital_unit;
  if (du.impl == DigitalUnitImplKind::kRtl) {
    std::vector<bool> rtl_core;
    std::string error;
    if (!parse_core_set(du.rtl_cores, arch.chip.cores, &rtl_core, &error))
      throw UserError(arch.source_file, 0, "core.digital_unit.rtl_cores", error);
    if (rtl_core[static_cast<size_t>(core)]) {
      const DigitalUnitImplRegistry::Factory* rtl = DigitalUnitImplRegistry::find(DigitalUnitImplKind::kRtl);
      if (rtl == nullptr)
        throw UserError(arch.source_file, 0, "core.digital_unit.impl",
                        "this build has no Verilated NMPU (configure with -DAIMCSIM_BUILD_RTL=ON and run "
                        "through aimcsim)");
      return (*rtl)(arch, core);
    }
  }
  if (du.kind == DigitalUnitKind::kLdpuFp16)
    return std::make_unique<DigitalUnitImplLdpuFp16>(ldpu_fp16_params(arch));
  return std::make_unique<DigitalUnitImplNmpu>(nmpu_params(arch));
}

namespace {

// Channel j's activation stage (CrossbarPiece::activation): the pre-activation step is the piece's out_step.
DigitalActivationCoefficients channel_activation(const CrossbarPiece& p, int64_t j) {
  DigitalActivationCoefficients a;
  if (!p.activation.enabled) return a;
  a.enabled = true;
  a.spec = p.activation.spec;
  if (!p.activation.alpha.empty()) a.spec.alpha = p.activation.alpha.at(static_cast<size_t>(j));
  a.in_lsb = p.out_step;
  a.out_step = p.activation.out_step;
  return a;
}

}  // namespace

std::vector<DigitalChannelCoefficients> piece_channel_coefficients(const Mapping& mapping, size_t piece,
                                                                   const CrossbarArray& array) {
  std::vector<DigitalChannelCoefficients> channels =
      piece_channel_coefficients_without_activation(mapping, piece, array);
  const CrossbarPiece& p = mapping.pieces[piece];
  for (size_t j = 0; j < channels.size(); ++j)
    channels[j].activation = channel_activation(p, static_cast<int64_t>(j));
  return channels;
}

std::vector<DigitalChannelCoefficients> piece_channel_coefficients_without_activation(
    const Mapping& mapping, size_t piece, const CrossbarArray& array) {
  const CrossbarPiece& p = mapping.pieces[piece];
  const MappedLayer& layer = mapping.layers[static_cast<size_t>(p.layer)];
  std::vector<DigitalChannelCoefficients> channels;
  channels.reserve(static_cast<size_t>(p.out_count));
  if (p.depthwise.enabled) {
    // The shifted accumulator d counts 2^shift INT8 products of in_step x weight_step each (DepthwiseKernel).
    for (int64_t j = 0; j < p.out_count; ++j) {
      const auto c = static_cast<size_t>(j);
      const double a =
          std::ldexp(layer.in_step * p.depthwise.weight_step[c] / p.out_step, p.depthwise.shift[c]);
      channels.push_back({1.0, 0.0, a, p.bias_lsb[j], 1.0, false, p.relu2, {}});
    }
    return channels;
  }
  if (p.affine) {
    // The INT8 input values enter as signed counts (pos - neg); the scale register maps them to output steps,
    // the side scale register the side map's (an Add of two maps; unused without a side input).
    for (int64_t j = 0; j < p.out_count; ++j)
      channels.push_back({1.0, 0.0, p.affine_scale[j], p.bias_lsb[j], p.side_scale, false, p.relu2, {}});
    return channels;
  }
  for (int64_t j = 0; j < p.out_count; ++j) {
    // y_real = (pos - neg) / counts_per_unit * in_step (CrossbarArray.h); output code = y_real / out_step.
    const double a =
        layer.in_step / (array.counts_per_unit(static_cast<int>(p.out_offset + j)) * p.out_step);  // its line
    channels.push_back({1.0, 0.0, a, p.bias_lsb[j], p.side_scale, p.relu1, p.relu2, {}});
  }
  return channels;
}

std::vector<DigitalChannelCoefficients> piece_residual_coefficients(const Mapping& mapping, size_t piece) {
  const CrossbarPiece& p = mapping.pieces[piece];
  return std::vector<DigitalChannelCoefficients>(
      static_cast<size_t>(p.out_count),
      {1.0, 0.0, p.residual_scale, 0.0, p.residual_side_scale, false, p.residual_relu, {}});
}

void check_piece_coefficients(const ArchConfig& arch, const Mapping& mapping, size_t piece,
                              const std::vector<DigitalChannelCoefficients>& channels, const char* bank) {
  if (arch.core.digital_unit.kind != DigitalUnitKind::kNmpu) return;
  const NmpuParams params = nmpu_params(arch);
  const NmpuModel model(params);
  const CrossbarPiece& p = mapping.pieces[piece];
  for (size_t j = 0; j < channels.size(); ++j) {
    const DigitalChannelCoefficients& c = channels[j];
    try {
      (void)model.quantize_channel(c.gain, c.offset, c.scale, c.bias, c.side_scale, c.relu1, c.relu2);
    } catch (const UserError& e) {
      // NmpuModel names the coefficient "nmpu.<field>".
      const std::string field = e.key().substr(e.key().find('.') + 1);
      const NmpuFixedFormat* format = coefficient_format(params, field);
      AIMC_ASSERT_MSG(format != nullptr, e.key().c_str());
      const std::string key = "core.digital_unit.format." + field;
      throw UserError(
          arch.source_file, 0, key,
          fmt::format("layer '{}', piece {} on core {}, output channel {} ({} register bank): {} {}; {}",
                      mapping.layers[static_cast<size_t>(p.layer)].name, piece, p.core,
                      p.out_begin + static_cast<int64_t>(j), bank, field, e.reason(),
                      coefficient_advice(coefficient_value(c, field), *format, key)));
    }
  }
}

}  // namespace aimc
