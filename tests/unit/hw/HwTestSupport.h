#pragma once
// Helpers for the hardware timing tests: arch files with overrides, synthetic crossbar pieces, and the
// picoseconds of SystemC time (the kernel's default resolution) the timing gates are probed at.
#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

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

// A mapping of one layer held by one rows x cols piece on core 0, whose controller runs `table` (the per-core
// table of core 0 too when `per_core_table`, as the mapper writes both for a single-core controller).
inline Mapping one_core(const ArchConfig& arch, std::vector<Command> table, bool per_core_table) {
  Mapping m;
  m.chip_cores = static_cast<int>(arch.chip.cores);
  MappedLayer layer;
  layer.name = "one";
  layer.in_features = arch.core.tile.cols;
  layer.out_features = arch.core.tile.rows;
  layer.in_step = layer.out_step = 1.0 / 127;
  layer.pieces = {0};
  m.layers.push_back(layer);
  m.pieces.push_back(piece(0, arch.core.tile.rows, arch.core.tile.cols));
  m.commands.assign(static_cast<size_t>(arch.chip.cores), {});
  if (per_core_table) m.commands[0] = table;
  m.controller_commands = m.commands;
  m.controller_commands[0] = std::move(table);
  m.cores_used = 1;
  return m;
}

// Simulated time in whole picoseconds (the SystemC kernel's resolution), so that comparisons are exact.
inline int64_t ps(double ns) {
  return std::llround(ns * 1000.0);
}

}  // namespace aimc::hwtest
