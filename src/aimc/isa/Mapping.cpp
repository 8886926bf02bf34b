#include "aimc/isa/Mapping.h"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

namespace aimc {

namespace {

// What the pieces without a crossbar run, for the mapping report.
const char* digital_piece_kinds(const std::vector<CrossbarPiece>& pieces) {
  bool depthwise = false, affine = false;
  for (const CrossbarPiece& p : pieces) {
    depthwise = depthwise || p.depthwise.enabled;
    affine = affine || p.affine;
  }
  return depthwise && affine ? "depthwise and per-channel affine"
         : affine            ? "per-channel affine"
                             : "depthwise";
}

}  // namespace

Eigen::MatrixXf crossbar_matrix(const std::vector<const CrossbarPiece*>& pieces) {
  if (pieces.size() == 1 && pieces[0]->out_offset == 0 && pieces[0]->in_offset == 0) return pieces[0]->weight;
  Eigen::Index rows = 0, cols = 0;
  for (const CrossbarPiece* p : pieces) {
    rows = std::max<Eigen::Index>(rows, p->out_offset + p->out_count);
    cols = std::max<Eigen::Index>(cols, p->in_offset + p->in_count);
  }
  Eigen::MatrixXf w = Eigen::MatrixXf::Zero(rows, cols);
  for (const CrossbarPiece* p : pieces)
    w.block(p->out_offset, p->in_offset, p->out_count, p->in_count) = p->weight;
  return w;
}

std::string Mapping::summary() const {
  std::ostringstream os;
  int pieces_on_crossbars = crossbar_use.empty() ? crossbars_used : 0;  // (a mapping built without Placement)
  for (const CrossbarUse& u : crossbar_use) pieces_on_crossbars += u.pieces;
  os << fmt::format(
      "mapping of {}: {} layers, {} crossbar pieces on {} of {} cores, cell utilisation {:.1f} %\n", source,
      layers.size(), pieces_on_crossbars, crossbars_used, chip_cores, 100.0 * cell_utilisation);
  if (pieces_on_crossbars > crossbars_used) {
    // Packed (mapping.packing): the cell use of every crossbar.
    os << "  crossbars (core: pieces, cells used / rows x cols):";
    for (const CrossbarUse& u : crossbar_use)
      os << fmt::format(" {}: {}, {:.1f} %;", u.core, u.pieces, 100.0 * u.utilisation);
    os << '\n';
  }
  if (cores_used > crossbars_used)
    os << fmt::format(
        "  + {} {} pieces on the digital units of {} more cores (crossbars unused): {} of "
        "{} cores used\n",
        cores_used - crossbars_used, digital_piece_kinds(pieces), cores_used - crossbars_used, cores_used,
        chip_cores);
  for (const auto& l : layers) {
    os << fmt::format("  {:<16} {:>5} -> {:<5} {} x {} pieces", l.name, l.in_features, l.out_features,
                      l.out_slices, l.in_slices);
    if (l.depthwise) os << fmt::format(" (depthwise: {} channels x {} taps)", l.out_features, l.in_features);
    if (l.affine)
      os << fmt::format(" (per-channel affine: {} channels, {} pixels)", l.out_features, l.pixels);
    if (l.conv) os << fmt::format(", conv {}, {} pixels", l.geometry, l.pixels);
    os << ", cores";
    for (int p : l.pieces) os << ' ' << pieces[static_cast<size_t>(p)].core;
    if (l.relu) os << ", ReLU";
    if (!l.fused.empty()) os << ", " << l.fused;
    os << '\n';
  }
  if (sram_need_bytes > sram_size_bytes)
    os << fmt::format(
        "  warning: core {} needs {:.1f} KiB of activation SRAM for whole-map buffers, more than "
        "core.sram.size "
        "({:.1f} KiB); the simulation does not enforce it\n",
        sram_need_core, static_cast<double>(sram_need_bytes) / 1024,
        static_cast<double>(sram_size_bytes) / 1024);
  return os.str();
}

}  // namespace aimc
