// Checks the Verilated rtl/ldpu/fp16_fma.sv against aimc::Fp16::fma (itself tested against known IEEE
// binary16 results): special values crossed with each other, then random operand triples from CounterRng.
// Every output bit is compared; a mismatch prints the operands and both results. fp16_fma_check [--vectors N]
// [--seed S].
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "Vfp16_fma.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/Fp16.h"
#include "verilated.h"

int main(int argc, char** argv) {
  uint64_t vectors = 2000000;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--vectors") vectors = std::strtoull(argv[i + 1], nullptr, 10);
    if (arg == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  VerilatedContext context;
  Vfp16_fma dut(&context, "fp16_fma");
  uint64_t errors = 0, checked = 0;
  auto check = [&](uint16_t a, uint16_t b, uint16_t c) {
    dut.a_i = a;
    dut.b_i = b;
    dut.c_i = c;
    dut.eval();
    const uint16_t expected =
        aimc::Fp16::fma(aimc::Fp16::from_bits(a), aimc::Fp16::from_bits(b), aimc::Fp16::from_bits(c)).bits();
    ++checked;
    if (dut.result_o != expected) {
      if (++errors <= 10) {
        std::printf("FP16 FMA MISMATCH: a=%04x b=%04x c=%04x expected=%04x observed=%04x\n", a, b, c,
                    expected, dut.result_o);
      }
    }
  };
  // Zeros, subnormal extremes, one, near-one, largest finite, infinities, NaN, both signs.
  const std::vector<uint16_t> specials = {0x0000, 0x0001, 0x0002, 0x03FF, 0x0400, 0x0401, 0x1000,
                                          0x3555, 0x3800, 0x3BFF, 0x3C00, 0x3C01, 0x3C02, 0x4000,
                                          0x5BFF, 0x5C00, 0x7BFE, 0x7BFF, 0x7C00, 0x7E00};
  for (uint16_t a : specials)
    for (uint16_t b : specials)
      for (uint16_t c : specials)
        for (int s = 0; s < 8; ++s) {
          check(static_cast<uint16_t>(a ^ ((s & 1) << 15)), static_cast<uint16_t>(b ^ ((s & 2) << 14)),
                static_cast<uint16_t>(c ^ ((s & 4) << 13)));
        }
  const aimc::CounterRng rng(seed, 0, aimc::RngPurpose::kStimulus, 400);
  for (uint64_t i = 0; i < vectors; ++i) {
    const auto w = rng.block(i);
    uint16_t a = static_cast<uint16_t>(w[0]), b = static_cast<uint16_t>(w[0] >> 16);
    uint16_t c = static_cast<uint16_t>(w[1]);
    // Every other triple: c near -a*b so that cancellation and the exact window are exercised.
    if (w[2] & 1) {
      c = aimc::Fp16::fma(aimc::Fp16::from_bits(a), aimc::Fp16::from_bits(b), aimc::Fp16::from_bits(0x8000))
              .bits();
      c = static_cast<uint16_t>((c ^ 0x8000) + static_cast<int>(w[2] >> 29) - 4);
    }
    check(a, b, c);
  }
  dut.final();
  std::printf("fp16_fma: %llu triples checked, %llu mismatches: %s\n",
              static_cast<unsigned long long>(checked), static_cast<unsigned long long>(errors),
              errors == 0 ? "PASS" : "FAIL");
  return errors == 0 ? 0 : 1;
}
