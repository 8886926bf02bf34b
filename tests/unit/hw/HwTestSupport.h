#pragma once
// Helpers for the hardware timing tests: arch files with overrides, synthetic crossbar pieces, and the
// picoseconds of SystemC time (the kernel's default resolution) the timing gates are probed at.
#include <initializer_list>
#include <string>

#include <Eigen/Core>
#include <systemc>

#include "aimc/compiler/Mapping.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/hw/Chip.h"

namespace aimc::hwtest {

inline ArchConfig hermes(std::initializer_list<const char*> sets = {}) {
  ConfigSource overrides;
  for (const char* s : sets) overrides.apply_override(s, "test");
  return load_arch("arch/hermes.yaml", overrides);
}

// A rows x cols piece with deterministic weights in [-1, 1] (the timing does not depend on the values).
inline CrossbarPiece piece(int core, int64_t rows, int64_t cols, int layer = 0) {
  CrossbarPiece p;
  p.layer = layer;
  p.core = core;
  p.out_count = rows;
  p.in_count = cols;
  p.weight = Eigen::MatrixXf(rows, cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      p.weight(i, j) = static_cast<float>(((i * 7 + j * 13 + core) % 31) - 15) / 15.0f;
  p.bias_lsb = Eigen::VectorXf::Zero(rows);
  p.geometry.channel_count = p.geometry.col_count = cols;  // one vector per sample
  p.out_step = 1.0 / 127;
  return p;
}

// Loads every piece's configuration table (placed by Chip::set_inference_time) straight into its digital
// unit, for synthetic schedules without the mapper's set-up (kConfigure) commands.
inline void load_digital_units(const Chip& chip, const Mapping& m) {
  for (size_t pi = 0; pi < m.pieces.size(); ++pi) {
    Core& core = *chip.cores()[static_cast<size_t>(m.pieces[pi].core)];
    core.digital_unit().load_registers_directly(*core.memory().table(config_tag(static_cast<int>(pi))));
  }
}

inline double ns_of(const sc_core::sc_time& t) {
  return t.to_seconds() * 1e9;
}

}  // namespace aimc::hwtest
