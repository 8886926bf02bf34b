// The chip's digital-unit implementations (hw/DigitalUnitImpl*): each equals its bit-exact model value for
// value and cycle for cycle; the arch selects them (kind, impl, rtl_cores); asking for the Verilated RTL
// without it registered is a user error; the FP16 LDPU runs end to end in the chip through the CLI.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/hw/DigitalUnit.h"
#include "aimc/isa/DigitalUnitImplRegistry.h"
#include "aimc/numerics/DigitalUnitImplLdpuFp16.h"
#include "aimc/numerics/DigitalUnitImplNmpu.h"
#include "aimc/numerics/LdpuFp16Model.h"
#include "aimc/numerics/NmpuModel.h"
#include "aimc/numerics/NmpuRegisterMap.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

std::vector<DigitalChannelCoefficients> random_channels(size_t n, uint64_t seed) {
  CounterRng rng(seed, 0, RngPurpose::kStimulus, 1);
  std::vector<DigitalChannelCoefficients> c(n);
  for (size_t j = 0; j < n; ++j) {
    c[j].gain = 0.9 + 0.2 * rng.uniform(j * 8 + 0);
    c[j].offset = 8.0 * (rng.uniform(j * 8 + 1) - 0.5);
    c[j].scale = 0.02 + 0.05 * rng.uniform(j * 8 + 2);
    c[j].bias = 40.0 * (rng.uniform(j * 8 + 3) - 0.5);
    c[j].side_scale = 0.5 + rng.uniform(j * 8 + 4);
    c[j].relu1 = rng.uniform(j * 8 + 5) < 0.5;
    c[j].relu2 = rng.uniform(j * 8 + 6) < 0.5;
  }
  return c;
}

struct Vectors {
  std::vector<uint32_t> pos, neg;
  std::vector<int8_t> side;
};
Vectors random_vectors(size_t n, uint64_t seed) {
  CounterRng rng(seed, 0, RngPurpose::kStimulus, 2);
  Vectors v;
  for (size_t i = 0; i < n; ++i) {
    v.pos.push_back(static_cast<uint32_t>(rng.uniform(3 * i) * 4096) & 4095u);
    v.neg.push_back(static_cast<uint32_t>(rng.uniform(3 * i + 1) * 4096) & 4095u);
    v.side.push_back(static_cast<int8_t>(static_cast<int>(rng.uniform(3 * i + 2) * 256) - 128));
  }
  return v;
}

TEST(DigitalUnitImpl, NmpuEqualsItsModelValueForValueAndCycleForCycle) {
  NmpuParams p;
  p.lanes = 3;
  p.pipeline_depth = 2;
  DigitalUnitImplNmpu impl(p);
  const NmpuModel model(p);
  const auto coeff = random_channels(200, 5);
  impl.configure(coeff);
  std::vector<NmpuChannel> ch;
  ch.reserve(coeff.size());
  for (const auto& c : coeff)
    ch.push_back(model.quantize_channel(c.gain, c.offset, c.scale, c.bias, c.side_scale, c.relu1, c.relu2));
  ASSERT_EQ(impl.channels(), ch);
  const Vectors v = random_vectors(200, 6);
  for (const bool with_side : {false, true}) {
    std::vector<int8_t> got(200), want(200);
    const int8_t* side = with_side ? v.side.data() : nullptr;
    EXPECT_EQ(impl.process(v.pos.data(), v.neg.data(), 200, side, got.data()), model.latency_cycles(200));
    model.process_range(v.pos.data(), v.neg.data(), ch, 0, 200, side, nullptr, want.data());
    EXPECT_EQ(got, want);
  }
  EXPECT_EQ(impl.latency_cycles(200), 67u + 2u - 1u);  // ceil(200/3) beats, 2 stages
  EXPECT_EQ(impl.name(), "nmpu/cpp");
}

TEST(DigitalUnitImpl, LdpuFp16EqualsItsModelAndIsSlowerThanTheNmpu) {
  DigitalUnitImplLdpuFp16 impl{LdpuFp16Params{}};
  const LdpuFp16Model model{LdpuFp16Params{}};
  const auto coeff = random_channels(256, 7);
  impl.configure(coeff);
  std::vector<LdpuFp16Channel> ch;
  ch.reserve(coeff.size());
  for (const auto& c : coeff)
    ch.push_back(model.quantize_channel(c.gain, c.offset, c.scale, c.bias, c.side_scale, c.relu1, c.relu2));
  const Vectors v = random_vectors(256, 8);
  std::vector<int8_t> got(256), want(256);
  EXPECT_EQ(impl.process(v.pos.data(), v.neg.data(), 256, v.side.data(), got.data()), 256u - 1u + 5u);
  model.process_range(v.pos.data(), v.neg.data(), ch, 0, 256, v.side.data(), nullptr, want.data());
  EXPECT_EQ(got, want);
  // [A]: about one value per clock; the default NMPU takes 8.
  EXPECT_GT(impl.latency_cycles(256), DigitalUnitImplNmpu(NmpuParams{}).latency_cycles(256) * 7);
  // A coefficient beyond FP16's range is a user error, as in the model.
  auto bad = coeff;
  bad[3].bias = 1e6;
  EXPECT_THROW(impl.configure(bad), UserError);
}

// The register encoding the DMA loads (DigitalUnitImpl::encode / write_register): encode -> write every word
// -> process gives the same values, bit for bit, as configure -> process, with and without side input; the
// words are written in a scrambled order (registers are independent), and a later write overrides.
template <typename Impl, typename Params>
void expect_encode_load_is_configure(const Params& params, uint32_t words_per_channel) {
  const auto coeff = random_channels(256, 11);
  Impl direct(params), loaded(params);
  direct.configure(coeff);
  const std::vector<uint32_t> words = loaded.encode(coeff);
  ASSERT_EQ(loaded.words_per_channel(), words_per_channel);
  ASSERT_EQ(words.size(), coeff.size() * words_per_channel);
  for (uint32_t i = 0; i < words.size(); ++i) loaded.write_register(i, ~words[i]);  // garbage first
  for (size_t k = 0; k < words.size(); ++k) {
    const auto i = static_cast<uint32_t>((k * 613) % words.size());  // 613 is prime to 1536 and 768
    loaded.write_register(i, words[i]);
  }
  const Vectors v = random_vectors(256, 12);
  for (const bool with_side : {false, true}) {
    std::vector<int8_t> got(256), want(256);
    const int8_t* side = with_side ? v.side.data() : nullptr;
    EXPECT_EQ(loaded.process(v.pos.data(), v.neg.data(), 256, side, got.data()),
              direct.process(v.pos.data(), v.neg.data(), 256, side, want.data()));
    EXPECT_EQ(got, want);
  }
  // encode() rejects what configure() rejects.
  auto bad = coeff;
  bad[3].bias = 1e6;
  EXPECT_THROW((void)loaded.encode(bad), UserError);
}

TEST(DigitalUnitImpl, NmpuRegisterWordsLoadBitIdenticallyToConfigure) {
  expect_encode_load_is_configure<DigitalUnitImplNmpu>(NmpuParams{}, 6);
  // The NMPU's words are the RTL's configuration writes (NmpuRegisterMap), so the chip's C++ and Verilated
  // units load the same table.
  DigitalUnitImplNmpu impl{NmpuParams{}};
  const auto coeff = random_channels(2, 13);
  const std::vector<uint32_t> words = impl.encode(coeff);
  impl.configure(coeff);
  for (size_t j = 0; j < 2; ++j) {
    const auto writes = NmpuRegisterMap::encode(impl.channels()[j]);
    for (size_t f = 0; f < writes.size(); ++f) EXPECT_EQ(words[j * 6 + writes[f].field], writes[f].wdata);
  }
}

TEST(DigitalUnitImpl, LdpuFp16RegisterWordsLoadBitIdenticallyToConfigure) {
  expect_encode_load_is_configure<DigitalUnitImplLdpuFp16>(LdpuFp16Params{}, 3);
  // Two FP16 halves per word, low half first.
  DigitalUnitImplLdpuFp16 impl{LdpuFp16Params{}};
  DigitalChannelCoefficients c;
  c.gain = 1.0;
  c.offset = -2.0;
  c.scale = 0.5;
  c.bias = 3.0;
  c.side_scale = 1.0;
  c.relu2 = true;
  const std::vector<uint32_t> words = impl.encode({c});
  EXPECT_EQ(words, (std::vector<uint32_t>{0xC0003C00u, 0x42003800u, 0x00023C00u}));
}

TEST(DigitalUnitImpl, ArchSelectsTheImplementation) {
  ConfigSource src = ConfigSource::load_file(std::string("arch/hermes.yaml"), arch_preset_dir());
  ArchConfig arch = resolve_arch(src);
  EXPECT_EQ(make_digital_unit_impl(arch, 0)->name(), "nmpu/cpp");
  arch.core.digital_unit.kind = DigitalUnitKind::kLdpuFp16;
  auto ldpu = make_digital_unit_impl(arch, 0);
  EXPECT_EQ(ldpu->name(), "ldpu_fp16/cpp");
  EXPECT_EQ(ldpu->latency_cycles(256), 260u);  // 1 lane, 5 stages (core.digital_unit.ldpu_fp16.*)
  EXPECT_EQ(ldpu_fp16_params(arch).clock_hz, 400e6);
  arch.core.digital_unit.kind = DigitalUnitKind::kNmpu;
  arch.core.digital_unit.impl = DigitalUnitImplKind::kRtl;
  arch.core.digital_unit.rtl_cores = "2-3";
  // Core 0 is not in rtl_cores: the C++ model, whether or not the RTL is in this build.
  EXPECT_EQ(make_digital_unit_impl(arch, 0)->name(), "nmpu/cpp");
  // This test binary links aimc only: nothing registered "rtl", so asking for it names the key.
  ASSERT_EQ(DigitalUnitImplRegistry::find(DigitalUnitImplKind::kRtl), nullptr);
  try {
    make_digital_unit_impl(arch, 2);
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("core.digital_unit.impl"), std::string::npos) << e.what();
  }
  // A registered factory is what the chip gets.
  DigitalUnitImplRegistry::add(DigitalUnitImplKind::kRtl, [](const ArchConfig& a, int) {
    NmpuParams p = nmpu_params(a);
    p.lanes = 2;
    return std::make_unique<DigitalUnitImplNmpu>(p);
  });
  EXPECT_EQ(make_digital_unit_impl(arch, 3)->latency_cycles(256), 128u + 3u);
}

// The stage formats and the rounding are arch keys (issue 6: "the integer and fraction bits of every stage
// are parameters in the arch file"): their defaults are NmpuParams', and a set value reaches the chip's NMPU.
TEST(DigitalUnitImpl, ArchFormatsReachTheNmpu) {
  const ArchConfig def = load_arch(std::string("arch/hermes.yaml"), ConfigSource());
  const NmpuParams p = nmpu_params(def);
  const NmpuParams ref;
  EXPECT_EQ(p.gain.describe(), ref.gain.describe());
  EXPECT_EQ(p.offset.describe(), ref.offset.describe());
  EXPECT_EQ(p.corrected.describe(), ref.corrected.describe());
  EXPECT_EQ(p.scale.describe(), ref.scale.describe());
  EXPECT_EQ(p.bias.describe(), ref.bias.describe());
  EXPECT_EQ(p.accumulator.describe(), ref.accumulator.describe());
  EXPECT_EQ(p.side_scale.describe(), ref.side_scale.describe());
  EXPECT_EQ(p.rounding, ref.rounding);

  ConfigSource narrow;
  narrow.apply_override("core.digital_unit.format.gain=Q2.10", "test");
  narrow.apply_override("core.digital_unit.format.side_scale=Q3.6", "test");
  narrow.apply_override("core.digital_unit.rounding=half_to_even", "test");
  const NmpuParams q = nmpu_params(load_arch(std::string("arch/hermes.yaml"), narrow));
  EXPECT_EQ(q.gain.int_bits, 2);
  EXPECT_EQ(q.gain.frac_bits, 10);
  EXPECT_EQ(q.side_scale.frac_bits, 6);
  EXPECT_EQ(q.scale.frac_bits, ref.scale.frac_bits);
  EXPECT_EQ(q.rounding, NmpuRounding::kHalfToEven);
  // The narrower gain changes what the model computes: a gain of 1 + 2^-12 is exact in Q2.14, not in Q2.10.
  const NmpuModel wide_model(p), narrow_model(q);
  const NmpuChannel cw = wide_model.quantize_channel(1.0 + 1.0 / 4096, 0, 1, 0, 1, false, false);
  const NmpuChannel cn = narrow_model.quantize_channel(1.0 + 1.0 / 4096, 0, 1, 0, 1, false, false);
  EXPECT_NE(cw.gain, cn.gain << 4);
}

TEST(DigitalUnitImpl, CoreSetParsing) {
  std::vector<bool> s;
  std::string err;
  ASSERT_TRUE(parse_core_set("all", 4, &s, &err));
  EXPECT_EQ(s, std::vector<bool>(4, true));
  ASSERT_TRUE(parse_core_set("0-1,3", 5, &s, &err));
  EXPECT_EQ(s, (std::vector<bool>{true, true, false, true, false}));
  ASSERT_TRUE(parse_core_set("2", 3, &s, &err));
  EXPECT_EQ(s, (std::vector<bool>{false, false, true}));
  for (const char* bad : {"", "x", "1,", ",1", "3-1", "0-", "1;2", "64", "0-64", "-1", "1 2"}) {
    EXPECT_FALSE(parse_core_set(bad, 64, &s, &err)) << bad;
    EXPECT_FALSE(err.empty());
  }
}

// The configuration layer rejects what no implementation can do, naming the key (exit status 2 in the CLI).
TEST(DigitalUnitImpl, ArchValidationNamesTheKey) {
  const std::string arch = std::string("arch/hermes.yaml");
  auto expect_error = [&](const std::string& set, const std::string& key) {
    ConfigSource overrides;
    overrides.apply_override(set, "test");
    try {
      load_arch(arch, overrides);
      FAIL() << set << ": expected a UserError";
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  expect_error("core.digital_unit.rtl_cores=0-99", "core.digital_unit.rtl_cores");
  expect_error("core.digital_unit.rtl_cores=a", "core.digital_unit.rtl_cores");
  // Stage formats: text that is no format, and formats the NMPU's alignment rules reject.
  expect_error("core.digital_unit.format.gain=2.14", "core.digital_unit.format.gain");
  expect_error("core.digital_unit.format.gain=Q0.14", "core.digital_unit.format.gain");
  expect_error("core.digital_unit.format.scale=Q4.100", "core.digital_unit.format.scale");
  expect_error("core.digital_unit.format.offset=Q10.15", "core.digital_unit.format.offset");
  expect_error("core.digital_unit.format.accumulator=Q7.8", "core.digital_unit.format.accumulator");
  expect_error("core.digital_unit.rounding=up", "core.digital_unit.rounding");
  ConfigSource both;
  both.apply_override("core.digital_unit.impl=rtl", "test");
  both.apply_override("core.digital_unit.kind=ldpu_fp16", "test");
  EXPECT_THROW(load_arch(arch, both), UserError);
}

// The FP16 LDPU in the whole chip: the quickstart runs, with one value per clock its digital stage is slower
// than the NMPU's, and the digital units report what they ran.
TEST(DigitalUnitImpl, LdpuFp16RunsInTheChip) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("aimc_ldpu_chip_" + std::to_string(::getpid()));
  auto run = [&](const std::string& kind) {
    const fs::path out = dir / kind;
    const std::string cmd = std::string(AIMCSIM_CLI) + " run configs/quickstart.yaml --batch 20 --out " +
                            out.string() + " --set core.digital_unit.kind=" + kind + " >/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream f(out / "report.json");
    return nlohmann::json::parse(f);
  };
  const nlohmann::json nmpu = run("nmpu");
  const nlohmann::json ldpu = run("ldpu_fp16");
  for (const auto& [core, name] : ldpu["host"]["digital_unit_impl"].items()) EXPECT_EQ(name, "ldpu_fp16/cpp");
  for (const auto& [core, name] : nmpu["host"]["digital_unit_impl"].items()) EXPECT_EQ(name, "nmpu/cpp");
  // 3 layers, each: NMPU ceil(n/8)+3 cycles, LDPU n+4 cycles at the same 400 MHz.
  EXPECT_GT(ldpu["latency"]["first_sample_ns"].get<double>(),
            nmpu["latency"]["first_sample_ns"].get<double>());
  const double acc_n = nmpu["outputs"]["per_time"][0]["accuracy"].get<double>();
  const double acc_l = ldpu["outputs"]["per_time"][0]["accuracy"].get<double>();
  EXPECT_NEAR(acc_n, acc_l, 0.1);  // both units are close to exact; the accuracy must not collapse
  fs::remove_all(dir);
}

}  // namespace
}  // namespace aimc
