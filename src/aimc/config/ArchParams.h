#pragma once
// Helpers for the arch parameter declarations, which are split by section over ArchParams*.cpp so that each
// section (and its owner) has its own file. Order of registration: ArchConfig.cpp's make_table().
#include <map>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/config/ArchConfig.h"

namespace aimc::arch_params_detail {

// Sources named below (full references in ../../../README.md and ../../../../shared/REFERENCE.md):
//  [A] Le Gallo et al., Nature Electronics 6 (2023): the IBM 64-core PCM chip.
//  [B] Khaddam-Aljameh et al., IEEE JSSC 57(4) (2022): HERMES core.
//  [D] Nandakumar et al., ICECS 2019: PCM statistical model (as in IBM AIHWKit).
//  [H] Horowitz, ISSCC 2014, "Computing's energy problem": 45 nm, 0.9 V energy per operation.
//  [S] C.V^2 scaling from 45 nm/0.9 V to 14 nm/0.85 V: C scales with the node (x0.311), V^2 x0.892 -> x0.278.
//  [W] On-chip wire capacitance ~0.2 fF/um (Ho, Mai, Horowitz, Proc. IEEE 89(4), 2001).
inline ParamInfo P(const char* key, ParamKind kind, Unit unit, const char* def, double lo, double hi,
                   const char* desc, const char* src) {
  return make_param(key, kind, unit, def, lo, hi, desc, src);
}
// A key of an enum field: its choices are the enum's name table (base/EnumNames.h), filled in by
// ParamTable::add, so the names are written once.
inline ParamInfo choice(const char* key, const char* def, const char* desc, const char* src) {
  return P(key, ParamKind::kChoice, units::kNone, def, 0, 0, desc, src);
}
inline ParamInfo S(const char* key, const char* def, const char* desc) {
  return P(key, ParamKind::kString, units::kNone, def, 0, 0, desc, "");
}
inline ParamInfo B(const char* key, const char* def, const char* desc, const char* src) {
  return P(key, ParamKind::kBool, units::kNone, def, 0, 0, desc, src);
}

constexpr ParamKind I = ParamKind::kInt;
constexpr ParamKind F = ParamKind::kFloat;

// Reports an inconsistent combination: names the file and line where `key` was set (or the arch file).
struct ArchValidator {
  const std::map<std::string, ConfigValue>& origins;
  std::string file;
  bool was_set(const std::string& key) const { return origins.count(key) != 0; }
  [[noreturn]] void fail(const std::string& key, const std::string& reason) const {
    auto it = origins.find(key);
    if (it == origins.end()) throw UserError(file, 0, key, reason);
    throw UserError(it->second.file, it->second.line, key, reason);
  }
};

void declare_core_params(ParamTable<ArchConfig>& t);  // ArchParamsCore.cpp: chip, crossbar, dac, adc, device
void declare_device_params(ParamTable<ArchConfig>& t);      // ArchParamsDevice.cpp: technology, rram
void declare_noc_params(ParamTable<ArchConfig>& t);         // ArchParamsNoc.cpp
void declare_digital_params(ParamTable<ArchConfig>& t);     // ArchParamsDigital.cpp: digital unit
void declare_sram_params(ParamTable<ArchConfig>& t);        // ArchParamsSram.cpp
void declare_controller_params(ParamTable<ArchConfig>& t);  // ArchParamsController.cpp
void declare_power_params(ParamTable<ArchConfig>& t);       // ArchParamsPower.cpp: power, area
void declare_gdpu_params(ParamTable<ArchConfig>& t);        // ArchParamsGdpu.cpp

void validate_core(const ArchConfig& a, const ArchValidator& v);
void validate_device(const ArchConfig& a, const ArchValidator& v);
void validate_noc(const ArchConfig& a, const ArchValidator& v);
void validate_digital(const ArchConfig& a, const ArchValidator& v);
void validate_sram(const ArchConfig& a, const ArchValidator& v);
void validate_controller(const ArchConfig& a, const ArchValidator& v);
void validate_power(const ArchConfig& a, const ArchValidator& v);
void validate_gdpu(const ArchConfig& a, const ArchValidator& v);

}  // namespace aimc::arch_params_detail
