// The schedule on its own: each piece's commands in its core's table, the partial-sum chain, the pixel loop,
// the residual pass, and the controllers' programs (configuration first, the batch-end barrier last).
#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

#include "MappingTestSupport.h"
#include "aimc/compiler/Mapping.h"
#include "aimc/compiler/Schedule.h"

namespace aimc {
namespace {

using mapping_test::gemm_graph;
using mapping_test::hermes;
using mapping_test::kOnnx;

struct Scheduled {
  Mapping placed;
  Schedule schedule;
};

// The schedule of a placed mapping (map_network's, whose layers, pieces and cores are the earlier passes').
Scheduled schedule_of(const Graph& g, std::initializer_list<const char*> sets = {}) {
  const ArchConfig arch = hermes(sets);
  mapping_test::PlacedTransfers p = mapping_test::placed_transfers(g, arch);
  Scheduled s{std::move(p.placed), {}};
  s.schedule = schedule_pieces(s.placed, p.transfers, arch, g.source);
  return s;
}

std::vector<CommandOp> ops(const std::vector<Command>& table) {
  std::vector<CommandOp> o;
  o.reserve(table.size());
  for (const Command& c : table) o.push_back(c.op);
  return o;
}

TEST(Schedule, AChainPassesItsPartialSumToTheNextPieceAndTheLastSendsTheOutput) {
  const Scheduled s = schedule_of(gemm_graph(300, 10));
  const auto& first = s.schedule.commands[static_cast<size_t>(s.placed.pieces[0].core)];
  const auto& last = s.schedule.commands[static_cast<size_t>(s.placed.pieces[1].core)];
  EXPECT_EQ(ops(first), (std::vector<CommandOp>{CommandOp::kWaitInput, CommandOp::kMvm, CommandOp::kDigital,
                                                CommandOp::kSend}));
  const isa::Digital d0 = isa::Digital::decode(first[2]);
  EXPECT_EQ(d0.side_tag, kNoSlot);
  const isa::Send psum = isa::Send::decode(first[3]);
  EXPECT_EQ(psum.dst_core, static_cast<uint32_t>(s.placed.pieces[1].core));
  EXPECT_EQ(psum.dst_tag, psum_tag(1));
  EXPECT_EQ(psum.bytes, 10u);
  EXPECT_EQ(ops(last), (std::vector<CommandOp>{CommandOp::kWaitInput, CommandOp::kMvm, CommandOp::kWaitInput,
                                               CommandOp::kDigital, CommandOp::kSend}));
  EXPECT_EQ(isa::WaitInput::decode(last[0]).bytes, 44u);  // columns 256..299
  EXPECT_EQ(isa::Digital::decode(last[3]).side_tag, psum_tag(1));
  const isa::Send out = isa::Send::decode(last[4]);
  EXPECT_EQ(out.dst_core, kOutputPort);
  EXPECT_EQ(out.bytes, 10u);
}

TEST(Schedule, AConvLoopsItsPixelBodyAndPoolsBeforeSending) {
  const Scheduled s = schedule_of(OnnxImporter::load(kOnnx + "map_maxpool.onnx"));
  const auto& table = s.schedule.commands[static_cast<size_t>(s.placed.pieces[0].core)];
  ASSERT_GE(table.size(), 5u);
  EXPECT_EQ(table[1].op, CommandOp::kLoop);
  const isa::Loop loop = isa::Loop::decode(table[1]);
  EXPECT_EQ(loop.count, static_cast<uint32_t>(s.placed.layers[0].pixels));
  EXPECT_EQ(loop.body, 2u);  // Mvm, Digital
  const isa::Pool pool = isa::Pool::decode(table[4]);
  EXPECT_EQ(pool.src_tag, output_tag(0));
  EXPECT_EQ(pool.dst_tag, pooled_tag(0));
}

TEST(Schedule, TheResidualPassRunsASecondDigitalStepAndConfiguresBankOne) {
  const Scheduled s = schedule_of(OnnxImporter::load("models/resnet9_cifar10.onnx"));
  const int pi = s.placed.layers[3].pieces.back();
  const CrossbarPiece& p = s.placed.pieces[static_cast<size_t>(pi)];
  ASSERT_TRUE(p.residual_pass);
  const auto& table = s.schedule.commands[static_cast<size_t>(p.core)];
  EXPECT_TRUE(std::any_of(table.begin(), table.end(), [&](const Command& c) {
    if (c.op != CommandOp::kDigital) return false;
    const isa::Digital d = isa::Digital::decode(c);
    return d.residual && d.output_tag == residual_tag(pi) && d.side_tag == skip_tag(pi);
  }));
  const auto& program = s.schedule.controller_commands[static_cast<size_t>(p.core)];
  EXPECT_EQ(isa::Configure::decode(program[0]).table_tag, config_tag(pi));
  EXPECT_EQ(isa::Configure::decode(program[1]).table_tag, residual_config_tag(pi));
  EXPECT_EQ(isa::Configure::decode(program[1]).bank, 1u);
}

TEST(Schedule, ControllerProgramsMergeTheirCoresInPieceOrderBetweenConfigureAndBarrier) {
  const Scheduled s = schedule_of(gemm_graph(300, 600), {"core.controller.cores_per_controller=4"});
  ASSERT_EQ(s.schedule.controller_commands.size(), 16u);
  const auto& c0 = s.schedule.controller_commands[0];  // cores 0..3: pieces 0..3
  for (uint32_t k = 0; k < 4; ++k) {
    EXPECT_EQ(c0[k].op, CommandOp::kConfigure);
    EXPECT_EQ(c0[k].slot, k);
  }
  size_t at = 4;
  for (int core = 0; core < 4; ++core)
    for (const Command& c : s.schedule.commands[static_cast<size_t>(core)]) {
      ASSERT_LT(at, c0.size());
      EXPECT_EQ(c0[at].op, c.op);
      EXPECT_EQ(c0[at].a, c.a);
      EXPECT_EQ(c0[at].slot, static_cast<uint32_t>(core));
      ++at;
    }
  ASSERT_EQ(at + 1, c0.size());
  const isa::Barrier barrier = isa::Barrier::decode(c0.back());
  EXPECT_EQ(barrier.participants, 2u);  // controllers 0 (cores 0..3) and 1 (cores 4, 5)
  EXPECT_EQ(barrier.when, kBarrierBatchEnd);
  EXPECT_TRUE(s.schedule.controller_commands[2].empty());
}

}  // namespace
}  // namespace aimc
