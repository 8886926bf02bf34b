#pragma once
// The digital unit of a core (keys core.digital_unit.*; ArchParamsDigital.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "aimc/numerics/NmpuParams.h"

namespace aimc {

struct DigitalUnitConfig {
  std::string kind;       // nmpu | ldpu_fp16
  std::string impl;       // cpp | rtl (rtl: the Verilated NMPU in the cores of rtl_cores)
  std::string rtl_cores;  // "all" or indices and ranges such as "0-3,7"
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

  // Clock of the unit the chip uses (kind decides), in MHz.
  double active_clock_mhz() const { return kind == "ldpu_fp16" ? ldpu_clock_mhz : clock_mhz; }
  // Lanes of the unit the chip uses (area and leakage scale with them).
  int64_t active_lanes() const { return kind == "ldpu_fp16" ? ldpu_lanes : lanes; }
};

// Parses core.digital_unit.rtl_cores: "all", or comma-separated core indices and inclusive ranges ("0-3,7").
// On success fills in_set (size cores) and returns true; otherwise sets *error and returns false.
bool parse_core_set(const std::string& text, int64_t cores, std::vector<bool>* in_set, std::string* error);

// Sets p's stage formats and rounding from core.digital_unit.format.* and core.digital_unit.rounding. On bad
// text returns false with the offending key in *key and the reason in *error (p partly set).
bool apply_nmpu_formats(const DigitalUnitConfig& du, NmpuParams* p, std::string* key, std::string* error);

}  // namespace aimc
