// `output.activations` (`--activations`): per-layer INT8 output maps as activations/<layer>.npy, captured
// where the digital units write them. The last layer's equals logits.npy; a conv layer's map is
// [times, batch, C, H, W] (after pooling); timed chip and numerics-only executor write the same bytes, also
// with multi-piece chains, the residual pass and pooling; an unknown layer name is a UserError on the key.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "../CliRunner.h"
#include "aimc/base/Error.h"
#include "aimc/base/Npy.h"
#include "aimc/config/RunConfig.h"
#include "aimc/sim/Simulation.h"
#include "aimc_test_paths.h"

namespace {

namespace fs = std::filesystem;
const std::string kData = AIMCSIM_TEST_DATA;

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

fs::path run_to(const std::string& args, const std::string& tag) {
  fs::path dir = fs::temp_directory_path() / ("aimcsim_act_" + std::to_string(::getpid()) + "_" + tag);
  fs::remove_all(dir);
  int status = 0;
  const std::string out = aimc_test::run_cli("run " + args + " --out " + dir.string(), &status);
  EXPECT_EQ(status, 0) << args << "\n" << out;
  return dir;
}

nlohmann::json report_of(const fs::path& dir) {
  return nlohmann::json::parse(slurp(dir / "report.json"));
}

// Every activation file of a timed run and of the same run with timing off: same list, same bytes.
void expect_same_on_and_off(const std::string& args) {
  const fs::path on = run_to(args, "on"), off = run_to(args + " --timing off", "off");
  const auto a = report_of(on)["activations"], b = report_of(off)["activations"];
  ASSERT_TRUE(a.is_array()) << args;
  ASSERT_GT(a.size(), 0u);
  EXPECT_EQ(a.dump(), b.dump()) << args;
  for (const auto& e : a) {
    const std::string x = slurp(on / e["file"].get<std::string>());
    ASSERT_GT(x.size(), 128u) << e.dump();
    EXPECT_EQ(x, slurp(off / e["file"].get<std::string>())) << args << ": " << e["layer"];
  }
  fs::remove_all(on);
  fs::remove_all(off);
}

const std::string kCnn =
    "--arch arch/hermes.yaml --model models/digits_cnn.onnx --inputs traces/digits_test_x_nchw.npy "
    "--batch 5 --seed 2 --set output.plot=false";

TEST(Activations, LastLayerEqualsLogitsAndStepsAreTheLayers) {
  const fs::path dir = run_to(
      "--arch arch/hermes.yaml --model models/digits_mlp.onnx --inputs traces/digits_test_x.npy --batch 12 "
      "--t-inference 1h,1y --set output.plot=false --set output.activations=all",
      "mlp");
  const auto r = report_of(dir);
  const auto& layers = r["mapping"]["layers"];
  ASSERT_EQ(r["activations"].size(), layers.size());
  for (size_t k = 0; k < layers.size(); ++k) {
    EXPECT_EQ(r["activations"][k]["layer"], layers[k]["name"]);
    EXPECT_EQ(r["activations"][k]["step"], layers[k]["out_step"]);
  }
  const auto& last = r["activations"].back();
  EXPECT_EQ(last["shape"].dump(), "[2,12,10]");
  const aimc::NpyArray logits = aimc::Npy::read((dir / "logits.npy").string());
  const aimc::NpyArray act = aimc::Npy::read((dir / last["file"].get<std::string>()).string());
  EXPECT_EQ(act.shape, logits.shape);
  EXPECT_EQ(act.toInt32Vector(), logits.toInt32Vector());
  // A hidden layer after its ReLU: INT8, non-negative, not all zero.
  const auto hidden = aimc::Npy::read((dir / r["activations"][0]["file"].get<std::string>()).string());
  int64_t nonzero = 0;
  for (int32_t v : hidden.toInt32Vector()) {
    EXPECT_GE(v, 0);
    nonzero += v != 0;
  }
  EXPECT_GT(nonzero, 0);
  fs::remove_all(dir);
}

TEST(Activations, ConvMapsAreNchwAndEqualWithTimingOnAndOff) {
  // Only the named layers, in NCHW; the pooled layer's map has the pooled size.
  const fs::path dir = run_to(kCnn + " --t-inference 1h --activations /conv0/Conv,/conv2/Conv", "cnn");
  const auto r = report_of(dir);
  ASSERT_EQ(r["activations"].size(), 2u);
  EXPECT_EQ(r["activations"][0]["file"], "activations/conv0_Conv.npy");
  EXPECT_EQ(r["activations"][0]["shape"].dump(), "[1,5,8,8,8]");
  EXPECT_EQ(r["activations"][1]["shape"].dump(), "[1,5,8,4,4]");
  const aimc::NpyArray conv0 = aimc::Npy::read((dir / "activations/conv0_Conv.npy").string());
  EXPECT_EQ(conv0.shape, (std::vector<int64_t>{1, 5, 8, 8, 8}));
  EXPECT_FALSE(fs::exists(dir / "activations/conv1_Conv.npy"));
  fs::remove_all(dir);

  expect_same_on_and_off(kCnn + " --t-inference 1h,1y --activations all");
}

TEST(Activations, EqualOnAndOffWithChainsResidualPassAndPooling) {
  const std::string small =
      " --set core.crossbar.rows=32 --set core.crossbar.cols=32 --set core.adc.count=32";
  for (const char* name : {"map_res_after", "map_maxpool"})
    expect_same_on_and_off(
        fmt::format("--arch arch/hermes.yaml --model {0}/onnx/{1}.onnx --inputs {0}/onnx/{1}_x.npy "
                    "--t-inference 1s --set output.plot=false{2} --activations all",
                    kData, name, small));
}

TEST(Activations, UnknownLayerNameIsAUserErrorListingTheLayers) {
  aimc::ConfigSource src;
  src.apply_override("arch=arch/hermes.yaml", "test");
  src.apply_override("workload.model=models/digits_cnn.onnx", "test");
  src.apply_override("workload.inputs=traces/digits_test_x_nchw.npy", "test");
  src.apply_override("workload.batch=2", "test");
  src.apply_override("timing=off", "test");
  src.apply_override("output.dir=" + (fs::temp_directory_path() / "aimcsim_act_bad").string(), "test");
  const aimc::ResolvedRun cfg = aimc::resolve_run(src, {"output.activations=/conv0/Conv,/nope"});
  std::ostringstream out;
  try {
    aimc::run_simulation(cfg, out);
    FAIL() << "an unknown layer name was accepted";
  } catch (const aimc::UserError& e) {
    EXPECT_EQ(e.key(), "output.activations");
    const std::string what = e.what();
    EXPECT_NE(what.find("/nope"), std::string::npos) << what;
    EXPECT_NE(what.find("/conv1/Conv"), std::string::npos) << what;  // the valid names are listed
    EXPECT_NE(what.find("/fc/Gemm"), std::string::npos) << what;
  }
  // The CLI reports it with exit status 2.
  int status = 0;
  aimc_test::run_cli("run " + kCnn + " --activations nope --out /tmp/aimcsim_act_bad_cli", &status);
  EXPECT_EQ(status, 2);
}

}  // namespace
