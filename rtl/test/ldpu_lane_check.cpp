// Checks the Verilated rtl/ldpu/ldpu_fp16_lane.sv against aimc::LdpuFp16Model::process, one new value every
// clock, comparing every output bit five cycles later (the lane's pipeline depth,
// LdpuFp16Params::pipeline_depth). Coefficients: calibration-like ones through
// LdpuFp16Model::quantize_channel, and raw random FP16 bit patterns (including infinities and NaN).
// ldpu_lane_check [--vectors N] [--seed S].
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>

#include "Vldpu_fp16_lane.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/LdpuFp16Model.h"
#include "verilated.h"

int main(int argc, char** argv) {
  uint64_t vectors = 1000000;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--vectors") vectors = std::strtoull(argv[i + 1], nullptr, 10);
    if (arg == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  const aimc::LdpuFp16Model model{aimc::LdpuFp16Params{}};
  const int depth = model.params().pipeline_depth;
  VerilatedContext context;
  Vldpu_fp16_lane dut(&context, "ldpu_fp16_lane");
  dut.clk_i = 0;
  dut.en_i = 1;
  dut.eval();
  const aimc::CounterRng rng(seed, 0, aimc::RngPurpose::kStimulus, 500);
  struct Pending {
    uint64_t index;
    int8_t expected;
    uint32_t pos, neg;
  };
  std::deque<Pending> pending;
  uint64_t errors = 0, checked = 0;
  for (uint64_t i = 0; i < vectors + static_cast<uint64_t>(depth); ++i) {
    if (i < vectors) {
      const auto w = rng.block(2 * i);
      const auto u = rng.block(2 * i + 1);
      aimc::LdpuFp16Channel ch;
      if (w[3] & 1) {
        auto unit = [](uint32_t x) { return aimc::CounterRng::to_unit(x); };
        ch = model.quantize_channel(0.8 + 0.4 * unit(u[0]), -64 + 128 * unit(u[1]),
                                    ((w[3] & 2) ? 1 : -1) * (1.0 / 256 + unit(u[2]) / 8),
                                    -40 + 80 * unit(u[3]), -2 + 4 * unit(w[2]), (w[3] & 4) != 0,
                                    (w[3] & 8) != 0);
      } else {
        ch.gain = aimc::Fp16::from_bits(static_cast<uint16_t>(u[0]));
        ch.offset = aimc::Fp16::from_bits(static_cast<uint16_t>(u[0] >> 16));
        ch.scale = aimc::Fp16::from_bits(static_cast<uint16_t>(u[1]));
        ch.bias = aimc::Fp16::from_bits(static_cast<uint16_t>(u[1] >> 16));
        ch.side_scale = aimc::Fp16::from_bits(static_cast<uint16_t>(u[2]));
        ch.relu1 = (w[3] & 4) != 0;
        ch.relu2 = (w[3] & 8) != 0;
      }
      const uint32_t pos = w[0] & 0xFFF, neg = (w[3] & 16) ? 0 : (w[1] & 0xFFF);
      const int8_t side = static_cast<int8_t>(w[2] >> 24);
      const bool side_valid = (w[3] & 32) != 0;
      dut.pos_i = static_cast<uint16_t>(pos);
      dut.neg_i = static_cast<uint16_t>(neg);
      dut.side_i = static_cast<uint8_t>(side);
      dut.side_valid_i = side_valid;
      dut.gain_i = ch.gain.bits();
      dut.offset_i = ch.offset.bits();
      dut.scale_i = ch.scale.bits();
      dut.bias_i = ch.bias.bits();
      dut.side_scale_i = ch.side_scale.bits();
      dut.relu1_i = ch.relu1;
      dut.relu2_i = ch.relu2;
      pending.push_back({i, model.process(pos, neg, ch, side, side_valid), pos, neg});
    }
    dut.clk_i = 1;
    dut.eval();
    dut.clk_i = 0;
    dut.eval();
    if (i + 1 >= static_cast<uint64_t>(depth) && !pending.empty()) {
      const Pending p = pending.front();
      pending.pop_front();
      ++checked;
      const int8_t observed = static_cast<int8_t>(dut.out_o);
      if (observed != p.expected && ++errors <= 10) {
        std::printf("LDPU MISMATCH value %llu (pos %u neg %u): expected %d observed %d\n",
                    static_cast<unsigned long long>(p.index), p.pos, p.neg, p.expected, observed);
      }
    }
  }
  dut.final();
  std::printf("ldpu_fp16_lane: %llu values checked, %llu mismatches: %s\n",
              static_cast<unsigned long long>(checked), static_cast<unsigned long long>(errors),
              errors == 0 && checked == vectors ? "PASS" : "FAIL");
  return errors == 0 && checked == vectors ? 0 : 1;
}
