#include <cctype>
#include <cstdlib>

#include "aimc/config/ArchParams.h"
#include "aimc/numerics/LdpuFp16Params.h"

namespace aimc {

bool parse_core_set(const std::string& text, int64_t cores, std::vector<bool>* in_set, std::string* error) {
  in_set->assign(static_cast<size_t>(cores > 0 ? cores : 0), false);
  if (text == "all") {
    in_set->assign(in_set->size(), true);
    return true;
  }
  auto fail = [&](const std::string& why) {
    *error = "'" + text + "': " + why + " (expected \"all\" or core indices and ranges such as \"0-3,7\")";
    return false;
  };
  // Reads a non-negative decimal number at text[i]; advances i.
  auto number = [&](size_t& i, int64_t* v) {
    size_t j = i;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) != 0) ++j;
    if (j == i || j - i > 9) return false;
    *v = std::strtoll(text.substr(i, j - i).c_str(), nullptr, 10);
    i = j;
    return true;
  };
  if (text.empty()) return fail("empty list");
  size_t i = 0;
  while (i < text.size()) {
    int64_t lo = 0;
    if (!number(i, &lo)) return fail("a core index is missing at position " + std::to_string(i));
    int64_t hi = lo;
    if (i < text.size() && text[i] == '-') {
      ++i;
      if (!number(i, &hi)) return fail("a range has no upper end");
      if (hi < lo) return fail("range " + std::to_string(lo) + "-" + std::to_string(hi) + " is empty");
    }
    if (hi >= cores)
      return fail("core " + std::to_string(hi) + " does not exist (chip.cores = " + std::to_string(cores) +
                  ")");
    for (int64_t c = lo; c <= hi; ++c) (*in_set)[static_cast<size_t>(c)] = true;
    if (i < text.size()) {
      if (text[i] != ',' || i + 1 == text.size()) return fail("unexpected '" + text.substr(i, 1) + "'");
      ++i;
    }
  }
  return true;
}

namespace {

// The NMPU stages whose format is an arch key: key suffix, config text, NmpuParams member.
struct NmpuFormatKey {
  const char* suffix;
  const std::string DigitalUnitConfig::*text;
  NmpuFixedFormat NmpuParams::*format;
};
constexpr NmpuFormatKey kNmpuFormatKeys[] = {
    {"gain", &DigitalUnitConfig::gain_format, &NmpuParams::gain},
    {"offset", &DigitalUnitConfig::offset_format, &NmpuParams::offset},
    {"corrected", &DigitalUnitConfig::corrected_format, &NmpuParams::corrected},
    {"scale", &DigitalUnitConfig::scale_format, &NmpuParams::scale},
    {"bias", &DigitalUnitConfig::bias_format, &NmpuParams::bias},
    {"accumulator", &DigitalUnitConfig::accumulator_format, &NmpuParams::accumulator},
    {"side_scale", &DigitalUnitConfig::side_scale_format, &NmpuParams::side_scale},
};

// The activation stage's formats (core.digital_unit.activation.format.*).
struct NmpuActivationFormatKey {
  const char* suffix;
  const std::string DigitalUnitConfig::*text;
  NmpuFixedFormat NmpuActivationParams::*format;
};
constexpr NmpuActivationFormatKey kNmpuActivationFormatKeys[] = {
    {"breakpoint", &DigitalUnitConfig::activation_breakpoint_format, &NmpuActivationParams::breakpoint},
    {"value", &DigitalUnitConfig::activation_value_format, &NmpuActivationParams::value},
    {"slope", &DigitalUnitConfig::activation_slope_format, &NmpuActivationParams::slope},
};

}  // namespace

bool apply_nmpu_formats(const DigitalUnitConfig& du, NmpuParams* p, std::string* key, std::string* error) {
  for (const NmpuFormatKey& k : kNmpuFormatKeys) {
    if (!NmpuFixedFormat::parse(du.*k.text, &(p->*k.format), error)) {
      *key = std::string("core.digital_unit.format.") + k.suffix;
      return false;
    }
  }
  for (const NmpuActivationFormatKey& k : kNmpuActivationFormatKeys) {
    if (!NmpuFixedFormat::parse(du.*k.text, &(p->activation.*k.format), error)) {
      *key = std::string("core.digital_unit.activation.format.") + k.suffix;
      return false;
    }
  }
  p->activation.enabled = du.activation_enabled;
  p->activation.bins = static_cast<int>(du.activation_bins);
  p->activation.pipeline_depth = static_cast<int>(du.activation_pipeline_depth);
  p->rounding = du.rounding;
  return true;
}

}  // namespace aimc

namespace aimc::arch_params_detail {

namespace {

// The activation stage (NmpuParams.h's NmpuActivationParams: defaults and reasons).
void declare_activation_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(B("core.digital_unit.activation.enabled", "false",
          "Activation stage after the side add in the digital units (sigmoid, tanh, GELU, ... by table; "
          "LeakyReLU, PReLU, Hardtanh, HardSigmoid by slope and clamp)",
          "design choice: off keeps the published unit's registers, configuration traffic and pipeline "
          "for networks without such activations"),
        AIMC_FIELD(core.digital_unit.activation_enabled));
  t.add(P("core.digital_unit.activation.bins", I, kNone, "18", 3, NmpuActivationParams::kMaxBins,
          "Activation table bins (bins - 1 comparators, one FMA)",
          "[A] HERMES global unit: tanh by 17 comparators selecting one of 18 bins and an FMA (REFERENCE.md "
          "H)"),
        AIMC_FIELD(core.digital_unit.activation_bins));
  t.add(P("core.digital_unit.activation.pipeline_depth", I, kNone, "2", 1, NmpuParams::kMaxPipelineDepth,
          "Activation stage register stages (both units)",
          "design choice: one stage for the comparators and bin select, one for the FMA"),
        AIMC_FIELD(core.digital_unit.activation_pipeline_depth));
  t.add(P("core.digital_unit.activation.format.breakpoint", ParamKind::kString, kNone, "Q11.8", 0, 0,
          "NMPU activation table breakpoint format (pre-activation steps)",
          "design choice: the accumulator's format, so the comparators compare registers directly "
          "(NmpuParams.h)"),
        AIMC_FIELD(core.digital_unit.activation_breakpoint_format));
  t.add(P("core.digital_unit.activation.format.value", ParamKind::kString, kNone, "Q10.8", 0, 0,
          "NMPU activation table value, intercept and clamp format (output steps)",
          "design choice: +-512 = 4x the INT8 range as the accumulator; 1/256-step rounding (NmpuParams.h)"),
        AIMC_FIELD(core.digital_unit.activation_value_format));
  t.add(P("core.digital_unit.activation.format.slope", ParamKind::kString, kNone, "Q6.14", 0, 0,
          "NMPU activation slope format (output steps per pre-activation step)",
          "derived: |slope| < 32; over |t2 - anchor| <= 1024 steps the rounding moves the output by <= 2^-5 "
          "step (NmpuParams.h)"),
        AIMC_FIELD(core.digital_unit.activation_slope_format));
}

}  // namespace

void declare_digital_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(choice("core.digital_unit.kind", "nmpu", "Digital post-processing unit",
               "[C] fixed-point NMPU; ldpu_fp16 is [A]'s FP16 LDPU"),
        AIMC_FIELD(core.digital_unit.kind));
  t.add(
      choice(
          "core.digital_unit.impl", "cpp",
          "C++ model or Verilated RTL (rtl: NMPU only, in the cores of core.digital_unit.rtl_cores; needs a "
          "build with AIMCSIM_BUILD_RTL=ON)",
          "design choice"),
      AIMC_FIELD(core.digital_unit.impl));
  t.add(S("core.digital_unit.rtl_cores", "all",
          "Cores whose NMPU is the Verilated RTL when impl is rtl: \"all\" or indices/ranges such as "
          "\"0-3,7\""),
        AIMC_FIELD(core.digital_unit.rtl_cores))
      .applies_when("core.digital_unit.impl", {"rtl"});
  t.add(P("core.digital_unit.clock", F, kMHz, "400MHz", 1, 10000, "NMPU clock",
          "[A] digital units up to 400 MHz"),
        AIMC_FIELD(core.digital_unit.clock_mhz));
  t.add(P("core.digital_unit.lanes", I, kNone, "8", 1, NmpuParams::kMaxLanes, "NMPU output values per clock",
          "NMPU design: 256 outputs every 133 ns need >= 4.8 values per 400 MHz clock; 8 lanes ([A]'s FP16 "
          "LDPU: ~1)"),
        AIMC_FIELD(core.digital_unit.lanes))
      .applies_when("core.digital_unit.kind", {"nmpu"});
  t.add(P("core.digital_unit.pipeline_depth", I, kNone, "4", 1, NmpuParams::kMaxPipelineDepth,
          "NMPU pipeline stages from counts to INT8",
          "design: subtract+ADC gain, channel scale+bias, side add, round+saturate"),
        AIMC_FIELD(core.digital_unit.pipeline_depth))
      .applies_when("core.digital_unit.kind", {"nmpu"});
  // Stage formats: defaults and the reason for each are NmpuParams.h's (the paper gives no bit widths, [C]).
  t.add(P("core.digital_unit.format.gain", ParamKind::kString, kNone, "Q2.14", 0, 0,
          "NMPU per-column ADC gain correction format (Qi.f, i incl. sign)",
          "[B] gain trim residual sigma 7.09 %: |gain| < 2 covers > 10 sigma; 2^-14 moves a full-scale count "
          "by 0.25 count, under the ADC's +-1 LSB INL (NmpuParams.h)"),
        AIMC_FIELD(core.digital_unit.gain_format));
  t.add(P("core.digital_unit.format.offset", ParamKind::kString, kNone, "Q10.4", 0, 0,
          "NMPU per-column ADC offset format (counts)",
          "assumption: +-512 counts (1/8 of the 12-bit range) after the analog trim; 1/32-count rounding "
          "(NmpuParams.h)"),
        AIMC_FIELD(core.digital_unit.offset_format));
  t.add(P("core.digital_unit.format.corrected", ParamKind::kString, kNone, "Q15.3", 0, 0,
          "NMPU corrected count format (d x gain + offset)",
          "derived: |d| <= 4095, |gain| < 2, |offset| <= 512 give |y| < 8703 (15 bits with sign); 1/16-count "
          "rounding (NmpuParams.h)"),
        AIMC_FIELD(core.digital_unit.corrected_format));
  t.add(
      P("core.digital_unit.format.scale", ParamKind::kString, kNone, "Q6.16", 0, 0,
        "NMPU per-channel scale format (count -> output LSB)",
        "derived: drift compensation raises the scale to 16.2 at t = 1 y (mobilenet_cifar10), |scale| < 32; "
        "rounding moves the output by <= 0.066 LSB (NmpuParams.h)"),
      AIMC_FIELD(core.digital_unit.scale_format));
  t.add(P("core.digital_unit.format.bias", ParamKind::kString, kNone, "Q10.8", 0, 0,
          "NMPU per-channel bias format (output LSBs, batch-norm shift folded)",
          "assumption: +-512 LSB = 4x the INT8 range, 8 fraction bits (NmpuParams.h)"),
        AIMC_FIELD(core.digital_unit.bias_format));
  t.add(P("core.digital_unit.format.accumulator", ParamKind::kString, kNone, "Q11.8", 0, 0,
          "NMPU running-value format after scale/bias and after the side add",
          "derived: INT8 range + largest side term (4 x 128) with margin, so no intermediate saturation "
          "changes the INT8 result (NmpuParams.h)"),
        AIMC_FIELD(core.digital_unit.accumulator_format));
  t.add(P("core.digital_unit.format.side_scale", ParamKind::kString, kNone, "Q3.10", 0, 0,
          "NMPU side-input (partial sum / residual) scale format",
          "assumption: the two INT8 steps within a factor 4; rounding moves the output by <= 0.0625 LSB "
          "(NmpuParams.h)"),
        AIMC_FIELD(core.digital_unit.side_scale_format));
  t.add(choice("core.digital_unit.rounding", "half_away_from_zero",
               "NMPU rounding when fraction bits are dropped (every stage)",
               "design choice: matches round() in the training frameworks' fake quantisation (NmpuParams.h)"),
        AIMC_FIELD(core.digital_unit.rounding));
  t.add(P("core.digital_unit.ldpu_fp16.clock", F, kMHz, "400MHz", 1, 10000,
          "FP16 LDPU clock (kind ldpu_fp16)", "[A] digital units up to 400 MHz"),
        AIMC_FIELD(core.digital_unit.ldpu_clock_mhz))
      .applies_when("core.digital_unit.kind", {"ldpu_fp16"});
  t.add(P("core.digital_unit.ldpu_fp16.lanes", I, kNone, "1", 1, LdpuFp16Params::kMaxLanes,
          "FP16 LDPU output values per clock (kind ldpu_fp16)",
          "[A] about 1 output value per clock at 400 MHz"),
        AIMC_FIELD(core.digital_unit.ldpu_lanes))
      .applies_when("core.digital_unit.kind", {"ldpu_fp16"});
  t.add(P("core.digital_unit.ldpu_fp16.pipeline_depth", I, kNone, "5", 1, LdpuFp16Params::kMaxPipelineDepth,
          "FP16 LDPU pipeline stages (kind ldpu_fp16)",
          "assumption (not published): int->FP16, three FMA steps, FP16->INT8, one stage each "
          "(LdpuFp16Params.h)"),
        AIMC_FIELD(core.digital_unit.ldpu_pipeline_depth))
      .applies_when("core.digital_unit.kind", {"ldpu_fp16"});
  declare_activation_params(t);
}

void validate_digital(const ArchConfig& a, const ArchValidator& v) {
  const DigitalUnitConfig& du = a.core.digital_unit;
  std::vector<bool> in_set;
  std::string error;
  if (!parse_core_set(du.rtl_cores, a.chip.cores, &in_set, &error))
    v.fail("core.digital_unit.rtl_cores", error);
  // The formats alone (lanes, depth and clock keep NmpuParams' defaults here: their own keys check them).
  NmpuParams formats;
  std::string key;
  if (!apply_nmpu_formats(du, &formats, &key, &error)) v.fail(key, error);
  try {
    formats.validate();
  } catch (const UserError& e) {
    // NmpuParams names its member ("nmpu.gain"); the user set core.digital_unit.format.gain.
    // Activation members ("nmpu.activation.slope") are set by core.digital_unit.activation.format.slope.
    const std::string member = e.key().substr(e.key().find('.') + 1);
    const std::string prefix = "activation.";
    const bool stage = member.compare(0, prefix.size(), prefix) == 0;
    v.fail(stage ? "core.digital_unit.activation." +
                       (member == "activation.bins" || member == "activation.pipeline_depth"
                            ? member.substr(prefix.size())
                            : "format." + member.substr(prefix.size()))
                 : "core.digital_unit.format." + member,
           e.reason());
  }
  if (du.impl == DigitalUnitImplKind::kRtl && du.kind != DigitalUnitKind::kNmpu)
    v.fail("core.digital_unit.impl",
           "the Verilated RTL in the chip is the NMPU (rtl/nmpu); kind " + std::string(enum_name(du.kind)) +
               " has only a C++ model in the chip (its lane is checked in rtl/test/ldpu_lane_check)");
}

}  // namespace aimc::arch_params_detail
