// The memory plan on its own: the SRAM one piece's slots take, and the fullest core.
#include <gtest/gtest.h>

#include "MappingTestSupport.h"
#include "aimc/compiler/Mapping.h"
#include "aimc/compiler/MemoryPlan.h"

namespace aimc {
namespace {

using mapping_test::absmax_of;
using mapping_test::gemm_graph;
using mapping_test::hermes;
using mapping_test::kOnnx;

TEST(MemoryPlan, AGemmPieceDoubleBuffersItsInputAndHoldsItsOutputOnce) {
  const ArchConfig arch = hermes();
  const Graph g = gemm_graph(64, 10);
  const Mapping m = map_network(g, arch, absmax_of(g));
  EXPECT_EQ(piece_sram_bytes(m.pieces[0], m.layers[0]), 2 * 64 + 10);
  const MemoryPlan plan = plan_memory(m, arch);
  EXPECT_EQ(plan.need_bytes, 138);
  EXPECT_EQ(plan.need_core, m.pieces[0].core);
  EXPECT_EQ(plan.size_bytes, arch.core.sram.size_bytes);
}

TEST(MemoryPlan, APartialSumAndAPoolAddTheirMaps) {
  const ArchConfig arch = hermes();
  const Graph g = gemm_graph(300, 10);
  const Mapping m = map_network(g, arch, absmax_of(g));
  EXPECT_EQ(piece_sram_bytes(m.pieces[1], m.layers[0]), 2 * (44 + 10) + 10);  // the partial sum arrives too
  const Graph cnn = OnnxImporter::load(kOnnx + "map_maxpool.onnx");
  const Mapping c = map_network(cnn, arch, absmax_of(cnn));
  const CrossbarPiece& p = c.pieces[0];
  ASSERT_TRUE(p.pool.enabled);
  const int64_t map = c.layers[0].pixels * p.out_count;
  EXPECT_EQ(piece_sram_bytes(p, c.layers[0]), 2 * p.geometry.slot_bytes() + map + p.pool.out_bytes());
}

TEST(MemoryPlan, TheFullestCoreIsReported) {
  const ArchConfig arch = hermes();
  const Graph g = OnnxImporter::load("models/resnet9_cifar10.onnx");
  const Mapping m = map_network(g, arch, absmax_of(g));
  const MemoryPlan plan = plan_memory(m, arch);
  int64_t most = 0;
  for (const CrossbarPiece& p : m.pieces)
    most = std::max(most, piece_sram_bytes(p, m.layers[static_cast<size_t>(p.layer)]));
  EXPECT_EQ(plan.need_bytes, most);
  EXPECT_EQ(plan.need_bytes, m.sram_need_bytes);
  EXPECT_EQ(plan.need_core, m.sram_need_core);
}

}  // namespace
}  // namespace aimc
