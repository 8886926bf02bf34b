// Packing (mapping.packing, compiler/Placement.h): several crossbar pieces in disjoint row and column blocks
// of one crossbar. The blocks, the policies (off, on, auto) and the error when even packing does not fit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "MappingTestSupport.h"
#include "aimc/base/Error.h"
#include "aimc/compiler/PieceTiling.h"
#include "aimc/compiler/Placement.h"

namespace aimc {
namespace {

using mapping_test::absmax_of;
using mapping_test::gemm_node;
using mapping_test::hermes;

// A chain of Gemm layers of the given widths (x [N, widths[0]] -> ... -> [N, widths.back()]), ReLU between.
Graph mlp(const std::vector<int64_t>& widths) {
  Graph g;
  g.name = g.source = "mlp";
  g.inputs = {"t0"};
  g.setTensor({"t0", {kBatch, widths[0]}});
  for (size_t k = 1; k < widths.size(); ++k) {
    const std::string in = "t" + std::to_string(k - 1), out = "t" + std::to_string(k);
    g.nodes.push_back(gemm_node("fc" + std::to_string(k), in, out, widths[k - 1], widths[k]));
  }
  g.outputs = {"t" + std::to_string(widths.size() - 1)};
  g.inferShapes();
  g.validate();
  return g;
}

std::vector<CrossbarPiece> pieces_of(const Graph& g, const ArchConfig& arch) {
  return tile_pieces(plan_layers(g, arch, absmax_of(g)), arch).pieces;
}

// Every crossbar's blocks lie inside the array and no two share output lines (rows); they share input lines
// (columns) only when stacked at column 0 (Placement.h).
void expect_disjoint_blocks(const std::vector<CrossbarPiece>& pieces, const Placement& pl,
                            const ArchConfig& arch) {
  std::map<int, std::vector<size_t>> on_core;
  for (size_t i = 0; i < pieces.size(); ++i) on_core[pl.piece_core[i]].push_back(i);
  for (const auto& [core, held] : on_core) {
    for (size_t a : held) {
      EXPECT_GE(pl.out_offset[a], 0);
      EXPECT_GE(pl.in_offset[a], 0);
      EXPECT_LE(pl.out_offset[a] + pieces[a].out_count, arch.core.tile.rows) << "piece " << a;
      EXPECT_LE(pl.in_offset[a] + pieces[a].in_count, arch.core.tile.cols) << "piece " << a;
      for (size_t b : held) {
        if (a >= b) continue;
        const bool rows_apart = pl.out_offset[a] + pieces[a].out_count <= pl.out_offset[b] ||
                                pl.out_offset[b] + pieces[b].out_count <= pl.out_offset[a];
        const bool cols_apart = pl.in_offset[a] + pieces[a].in_count <= pl.in_offset[b] ||
                                pl.in_offset[b] + pieces[b].in_count <= pl.in_offset[a];
        const bool stacked = pl.in_offset[a] == 0 || pl.in_offset[b] == 0;
        EXPECT_TRUE(rows_apart) << "pieces " << a << " and " << b << " on core " << core;
        EXPECT_TRUE(cols_apart || stacked) << "pieces " << a << " and " << b << " on core " << core;
      }
    }
  }
}

int distinct_cores(const Placement& pl) {
  std::vector<int> c = pl.piece_core;
  std::sort(c.begin(), c.end());
  return static_cast<int>(std::unique(c.begin(), c.end()) - c.begin());
}

TEST(Packing, OnPutsSmallLayersInDisjointBlocksOfFewCrossbars) {
  const ArchConfig arch = hermes();
  // Six layers of at most 64 x 64, four of them block diagonal in one 256 x 256 crossbar.
  const std::vector<CrossbarPiece> pieces = pieces_of(mlp({64, 64, 32, 64, 48, 64, 10}), arch);
  ASSERT_EQ(pieces.size(), 6u);
  const Placement pl = place_pieces(pieces, arch, "mlp", PackingPolicy::kOn);
  expect_disjoint_blocks(pieces, pl, arch);
  // Output lines 64 + 32 + 64 + 48 + 64 + 10 = 282 > 256: at least two crossbars, and first-fit decreasing
  // needs no more.
  EXPECT_EQ(pl.crossbars_used, 2);
  EXPECT_EQ(pl.cores_used, 2);
  EXPECT_EQ(distinct_cores(pl), 2);
  int64_t cells = 0, packed = 0;
  for (const auto& u : pl.crossbar_use) {
    cells += u.cells;
    packed += u.pieces;
    EXPECT_DOUBLE_EQ(u.utilisation, static_cast<double>(u.cells) / (256.0 * 256.0));
  }
  int64_t weights = 0;
  for (const CrossbarPiece& p : pieces) weights += p.out_count * p.in_count;
  EXPECT_EQ(cells, weights);
  EXPECT_EQ(packed, 6);
  EXPECT_DOUBLE_EQ(pl.cell_utilisation, static_cast<double>(weights) / (2 * 256.0 * 256.0));
}

// Three layers of 256 input lines or output lines: block diagonal they need three crossbars (no two fit side
// by side in 256 columns); stacked, the 64 x 256 piece shares the 128 x 256 piece's input lines below its
// output lines, and two crossbars hold all three.
TEST(Packing, APieceWhoseColumnsAreFullSharesInputLinesBelowTheOthers) {
  const ArchConfig arch = hermes();
  const std::vector<CrossbarPiece> pieces = pieces_of(mlp({256, 128, 256, 64}), arch);
  ASSERT_EQ(pieces.size(), 3u);
  const Placement pl = place_pieces(pieces, arch, "mlp", PackingPolicy::kOn);
  expect_disjoint_blocks(pieces, pl, arch);
  EXPECT_EQ(pl.crossbars_used, 2);
  EXPECT_EQ(pl.piece_core[0], pl.piece_core[2]);
  EXPECT_EQ(pl.in_offset[0], 0);
  EXPECT_EQ(pl.in_offset[2], 0);
  EXPECT_EQ(pl.out_offset[2], 128);
}

TEST(Packing, OffAndAutoKeepOnePiecePerCoreWhenTheNetworkFits) {
  const ArchConfig arch = hermes();
  const std::vector<CrossbarPiece> pieces = pieces_of(mlp({64, 64, 32, 64, 48, 64, 10}), arch);
  for (PackingPolicy policy : {PackingPolicy::kOff, PackingPolicy::kAuto}) {
    const Placement pl = place_pieces(pieces, arch, "mlp", policy);
    const std::vector<int> snake = snake_order(arch);
    EXPECT_EQ(pl.piece_core, std::vector<int>(snake.begin(), snake.begin() + 6));
    EXPECT_EQ(pl.out_offset, std::vector<int64_t>(6, 0));
    EXPECT_EQ(pl.in_offset, std::vector<int64_t>(6, 0));
    EXPECT_EQ(pl.cores_used, 6);
  }
}

TEST(Packing, AutoPacksOnlyAsMuchAsTheChipNeedsSmallestFirst) {
  const ArchConfig arch = hermes({"chip.cores=4", "noc.mesh_cols=2", "noc.mesh_rows=2"});
  const std::vector<CrossbarPiece> pieces = pieces_of(mlp({64, 64, 32, 64, 48, 64, 10}), arch);
  const Placement pl = place_pieces(pieces, arch, "mlp", PackingPolicy::kAuto);
  expect_disjoint_blocks(pieces, pl, arch);
  EXPECT_EQ(pl.cores_used, 4);  // exactly the chip: no more packing than needed
  // Packing fc6 (10 x 64), fc2 (32 x 64) and fc3 (64 x 32), the three smallest, onto one crossbar is enough;
  // the larger fc1, fc4 and fc5 keep a crossbar each.
  int alone = 0;
  for (const auto& u : pl.crossbar_use) alone += u.pieces == 1 ? 1 : 0;
  EXPECT_EQ(alone, 3);
  EXPECT_EQ(pl.piece_core[5], pl.piece_core[1]);
  EXPECT_EQ(pl.piece_core[5], pl.piece_core[2]);
  const Placement on = place_pieces(pieces, arch, "mlp", PackingPolicy::kOn);
  EXPECT_LT(on.cores_used, pl.cores_used);
  // The smallest piece (fc6: 10 x 64) is packed; some 64 x 64 piece is not.
  std::map<int, int> per_core;
  for (int c : pl.piece_core) per_core[c] += 1;
  EXPECT_GT(per_core[pl.piece_core[5]], 1);
}

TEST(Packing, PiecesOfOnePartialSumChainNeverShareACrossbar) {
  const ArchConfig arch = hermes({"core.crossbar.rows=64", "core.crossbar.cols=64", "core.adc.count=64"});
  // 100 inputs on 64 columns: chains of two pieces (64 + 36 inputs), 16 outputs each.
  const std::vector<CrossbarPiece> pieces = pieces_of(mlp({100, 16}), arch);
  ASSERT_EQ(pieces.size(), 2u);
  const Placement pl = place_pieces(pieces, arch, "mlp", PackingPolicy::kOn);
  EXPECT_NE(pl.piece_core[0], pl.piece_core[1]);
}

TEST(Packing, WhenEvenPackingDoesNotFitTheErrorGivesBothCounts) {
  const ArchConfig arch = hermes({"chip.cores=2", "noc.mesh_cols=2", "noc.mesh_rows=1"});
  const std::vector<CrossbarPiece> pieces = pieces_of(mlp({200, 200, 200, 200}), arch);
  for (PackingPolicy policy : {PackingPolicy::kAuto, PackingPolicy::kOn}) {
    try {
      place_pieces(pieces, arch, "mlp", policy);
      FAIL() << "expected a UserError";
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find("needs 3 crossbars of 256x256 but the chip has 2 cores"),
                std::string::npos)
          << e.what();
      EXPECT_NE(std::string(e.what()).find("packing"), std::string::npos) << e.what();
    }
  }
}

TEST(Packing, MapNetworkCarriesTheOffsetsAndTheSummaryListsEveryCrossbar) {
  const ArchConfig arch = hermes();
  const Graph g = mlp({64, 64, 32, 64, 48, 64, 10});
  const Mapping m = map_network(g, arch, absmax_of(g), PackingPolicy::kOn);
  EXPECT_EQ(m.crossbars_used, 2);
  EXPECT_EQ(m.cores_used, 2);
  ASSERT_EQ(m.crossbar_use.size(), 2u);
  EXPECT_TRUE(std::any_of(m.pieces.begin(), m.pieces.end(),
                          [](const CrossbarPiece& p) { return p.out_offset > 0 && p.in_offset > 0; }));
  const std::string s = m.summary();
  EXPECT_NE(s.find("6 crossbar pieces on 2 of 64 cores"), std::string::npos) << s;
  EXPECT_NE(s.find("crossbars (core: pieces, cells used / rows x cols):"), std::string::npos) << s;
  // Each packed piece's configuration lands at its first channel (the DMA's register offset).
  int configures = 0;
  for (const auto& prog : m.controller_commands)
    for (const Command& c : prog)
      if (c.op == CommandOp::kConfigure) {
        const isa::Configure cfg = isa::Configure::decode(c);
        EXPECT_EQ(cfg.first_channel, m.pieces[static_cast<size_t>(tag_piece(cfg.table_tag))].out_offset);
        ++configures;
      }
  EXPECT_EQ(configures, 6);
  // The default policy keeps one piece per core here.
  const Mapping d = map_network(g, arch, absmax_of(g));
  EXPECT_EQ(d.cores_used, 6);
  EXPECT_EQ(d.summary().find("crossbars (core"), std::string::npos);
}

// The mapping error for a torchvision model at 32 x 32 (random weights, seed 0; exported here rather than
// checked in: resnet18 is 45 MB), or "" if it maps; skipped without torch/torchvision.
std::string torchvision_mapping_error(const std::string& model) {
  const std::string onnx = testing::TempDir() + "/" + model + "_32.onnx";
  const std::string export_cmd =
      "/usr/bin/python3 -c \"import torch, torchvision; torch.manual_seed(0); "
      "m = torchvision.models." +
      model +
      "(num_classes=10).eval(); "
      "torch.onnx.export(m, torch.randn(1, 3, 32, 32), '" +
      onnx + "', opset_version=13)\" > /dev/null 2>&1";
  if (std::system(export_cmd.c_str()) != 0) return "skip";
  const Graph g = OnnxImporter::load(onnx);
  try {
    map_network(g, hermes(), absmax_of(g));
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

// resnet18: 195 pieces one per core, 175 crossbars even packed (its 3x3 convs of 256 and 512 channels fill
// whole crossbars), almost three times the 64 cores of HERMES; the error says so.
TEST(Packing, TorchvisionResnet18SaysHowManyCoresItNeedsOnHermes) {
  const std::string error = torchvision_mapping_error("resnet18");
  if (error == "skip") GTEST_SKIP() << "no torch/torchvision for /usr/bin/python3";
  EXPECT_NE(error.find("needs 175 crossbars of 256x256 but the chip has 64 cores"), std::string::npos)
      << error;
  EXPECT_NE(error.find("195 one piece per core"), std::string::npos) << error;
}

// mobilenet_v2: its 17 depthwise layers take 36 cores of their own (a depthwise piece runs on a core's
// digital unit alone), so even packed it needs 95 cores; 127 one piece per core.
TEST(Packing, TorchvisionMobilenetV2SaysHowManyCoresItNeedsOnHermes) {
  const std::string error = torchvision_mapping_error("mobilenet_v2");
  if (error == "skip") GTEST_SKIP() << "no torch/torchvision for /usr/bin/python3";
  EXPECT_NE(error.find("needs 95 crossbars of 256x256 but the chip has 64 cores"), std::string::npos)
      << error;
  EXPECT_NE(error.find("127 one piece per core"), std::string::npos) << error;
}

}  // namespace
}  // namespace aimc
