#include <cctype>
#include <cstdlib>

#include "aimc/config/ArchParams.h"

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

}  // namespace aimc

namespace aimc::arch_params_detail {

void declare_digital_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(C("core.digital_unit.kind", {"nmpu", "ldpu_fp16"}, "nmpu", "Digital post-processing unit",
          "[C] fixed-point NMPU; ldpu_fp16 is [A]'s FP16 LDPU"),
        AIMC_FIELD(core.digital_unit.kind));
  t.add(C("core.digital_unit.impl", {"cpp", "rtl"}, "cpp",
          "C++ model or Verilated RTL (rtl: NMPU only, in the cores of core.digital_unit.rtl_cores; needs a "
          "build with AIMCSIM_BUILD_RTL=ON)",
          "design choice"),
        AIMC_FIELD(core.digital_unit.impl));
  t.add(S("core.digital_unit.rtl_cores", "all",
          "Cores whose NMPU is the Verilated RTL when impl is rtl: \"all\" or indices/ranges such as "
          "\"0-3,7\""),
        AIMC_FIELD(core.digital_unit.rtl_cores));
  t.add(P("core.digital_unit.clock", F, kMHz, "400MHz", 1, 10000, "NMPU clock",
          "[A] digital units up to 400 MHz"),
        AIMC_FIELD(core.digital_unit.clock_mhz));
  t.add(P("core.digital_unit.lanes", I, kNone, "8", 1, 256, "NMPU output values per clock",
          "NMPU design: 256 outputs every 133 ns need >= 4.8 values per 400 MHz clock; 8 lanes ([A]'s FP16 "
          "LDPU: ~1)"),
        AIMC_FIELD(core.digital_unit.lanes));
  t.add(
      P("core.digital_unit.pipeline_depth", I, kNone, "4", 1, 64, "NMPU pipeline stages from counts to INT8",
        "design: subtract+ADC gain, channel scale+bias, side add, round+saturate"),
      AIMC_FIELD(core.digital_unit.pipeline_depth));
  t.add(P("core.digital_unit.ldpu_fp16.clock", F, kMHz, "400MHz", 1, 10000,
          "FP16 LDPU clock (kind ldpu_fp16)", "[A] digital units up to 400 MHz"),
        AIMC_FIELD(core.digital_unit.ldpu_clock_mhz));
  t.add(P("core.digital_unit.ldpu_fp16.lanes", I, kNone, "1", 1, 64,
          "FP16 LDPU output values per clock (kind ldpu_fp16)",
          "[A] about 1 output value per clock at 400 MHz"),
        AIMC_FIELD(core.digital_unit.ldpu_lanes));
  t.add(P("core.digital_unit.ldpu_fp16.pipeline_depth", I, kNone, "5", 1, 32,
          "FP16 LDPU pipeline stages (kind ldpu_fp16)",
          "assumption (not published): int->FP16, three FMA steps, FP16->INT8, one stage each "
          "(LdpuFp16Params.h)"),
        AIMC_FIELD(core.digital_unit.ldpu_pipeline_depth));
}

void validate_digital(const ArchConfig& a, const ArchValidator& v) {
  const DigitalUnitConfig& du = a.core.digital_unit;
  std::vector<bool> in_set;
  std::string error;
  if (!parse_core_set(du.rtl_cores, a.chip.cores, &in_set, &error))
    v.fail("core.digital_unit.rtl_cores", error);
  if (du.impl == "rtl" && du.kind != "nmpu")
    v.fail("core.digital_unit.impl",
           "the Verilated RTL in the chip is the NMPU (rtl/nmpu); kind " + du.kind +
               " has only a C++ model in the chip (its lane is checked in rtl/test/ldpu_lane_check)");
}

}  // namespace aimc::arch_params_detail
