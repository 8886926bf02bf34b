#pragma once
// The digital unit of a core (keys core.digital_unit.*; ArchParamsDigital.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "aimc/base/EnumNames.h"
#include "aimc/numerics/NmpuParams.h"

namespace aimc {

// core.digital_unit.kind: which unit turns ADC counts into the next layer's INT8 activations.
enum class DigitalUnitKind : uint8_t {
  kNmpu,      // the fixed-point NMPU (NmpuModel, rtl/nmpu)
  kLdpuFp16,  // the published chip's FP16 LDPU (LdpuFp16Model)
};
inline constexpr EnumName<DigitalUnitKind> kDigitalUnitKindNames[] = {
    {DigitalUnitKind::kNmpu, "nmpu"}, {DigitalUnitKind::kLdpuFp16, "ldpu_fp16"}};
constexpr const auto& enum_names(DigitalUnitKind) {
  return kDigitalUnitKindNames;
}

// core.digital_unit.impl: what computes the unit's results. The choices are closed; only the factory of kRtl
// lives outside the aimc library (DigitalUnitImplRegistry, registered by src/cosim in an RTL build).
enum class DigitalUnitImplKind : uint8_t {
  kCpp,  // the C++ model of the kind
  kRtl,  // the Verilated NMPU in the cores of rtl_cores
};
inline constexpr EnumName<DigitalUnitImplKind> kDigitalUnitImplKindNames[] = {
    {DigitalUnitImplKind::kCpp, "cpp"}, {DigitalUnitImplKind::kRtl, "rtl"}};
constexpr const auto& enum_names(DigitalUnitImplKind) {
  return kDigitalUnitImplKindNames;
}

struct DigitalUnitConfig {
  DigitalUnitKind kind{};      // the declaration sets it
  DigitalUnitImplKind impl{};  // the declaration sets it
  std::string rtl_cores;       // "all" or indices and ranges such as "0-3,7"
  // The fixed-point NMPU (kind nmpu).
  double clock_mhz = 0;
  int64_t lanes = 0;
  int64_t pipeline_depth = 0;
  // Fixed-point format ("Qi.f") of every NMPU stage and the rounding mode (NmpuParams; the formats parsed in
  // nmpu_params(), checked in validate_digital()).
  std::string gain_format, offset_format, corrected_format, scale_format, bias_format, accumulator_format,
      side_scale_format;
  NmpuRounding rounding{};  // the declaration sets it
  // The FP16 LDPU (kind ldpu_fp16): its own lanes, depth and clock, so that switching kind compares the
  // published chip's unit with the NMPU without editing the NMPU's keys.
  double ldpu_clock_mhz = 0;
  int64_t ldpu_lanes = 0;
  int64_t ldpu_pipeline_depth = 0;
  // The activation stage after the side add (core.digital_unit.activation.*; NmpuActivationParams, and the
  // LDPU's FP16 equivalent with the same bins and depth).
  bool activation_enabled = false;
  int64_t activation_bins = 0;
  int64_t activation_pipeline_depth = 0;
  std::string activation_breakpoint_format, activation_value_format, activation_slope_format;

  // Clock of the unit the chip uses (kind decides), in MHz.
  double active_clock_mhz() const { return kind == DigitalUnitKind::kLdpuFp16 ? ldpu_clock_mhz : clock_mhz; }
  // Lanes of the unit the chip uses (area and leakage scale with them).
  int64_t active_lanes() const { return kind == DigitalUnitKind::kLdpuFp16 ? ldpu_lanes : lanes; }
};

// Parses core.digital_unit.rtl_cores: "all", or comma-separated core indices and inclusive ranges ("0-3,7").
// On success fills in_set (size cores) and returns true; otherwise sets *error and returns false.
bool parse_core_set(const std::string& text, int64_t cores, std::vector<bool>* in_set, std::string* error);

// Sets p's stage formats and rounding from core.digital_unit.format.* and core.digital_unit.rounding. On bad
// text returns false with the offending key in *key and the reason in *error (p partly set).
bool apply_nmpu_formats(const DigitalUnitConfig& du, NmpuParams* p, std::string* key, std::string* error);

}  // namespace aimc
