// `aimcsim run --threads N` (issue 20 item 3): the crossbars' programming, drift and reads on host workers
// give the same logits and the same report (latency, energy, area, outputs, mapping, stats, programming) bit
// for bit as one thread, on the shipped digits CNN (command-table and RISC-V controllers) and ResNet-9; only
// config.run.threads (the key as given) and the host section (host time) differ.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "../CliRunner.h"
#include "../FreshDir.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

const std::string kRoot = AIMCSIM_SOURCE_ROOT;

struct Run {
  nlohmann::json report;
  std::string logits;
};

Run run(const std::string& args, const std::string& out) {
  int status = -1;
  const std::string log = aimc_test::run_cli_all("run " + args + " --out " + out, &status);
  EXPECT_EQ(status, 0) << args << "\n" << log;
  std::ifstream f(out + "/report.json");
  std::ifstream l(out + "/logits.npy", std::ios::binary);
  return {nlohmann::json::parse(f), {std::istreambuf_iterator<char>(l), std::istreambuf_iterator<char>()}};
}

void expect_same_for_any_thread_count(const std::string& name, const std::string& args) {
  const std::filesystem::path dir = aimc_test::fresh_dir("threads", name);
  const Run one = run(args + " --threads 1", (dir / "t1").string());
  ASSERT_FALSE(one.logits.empty());
  for (int threads : {2, 4}) {
    const Run many =
        run(args + " --threads " + std::to_string(threads), (dir / ("t" + std::to_string(threads))).string());
    EXPECT_EQ(many.logits, one.logits) << name << ", " << threads << " threads";
    for (const char* section : {"latency", "energy", "area", "outputs", "mapping", "stats", "programming"})
      EXPECT_EQ(many.report[section], one.report[section])
          << name << ", " << threads << " threads: " << section;
    EXPECT_EQ(many.report["config"]["run"]["threads"], threads);
  }
}

TEST(ThreadsRun, DigitsCnnIsTheSameForAnyThreadCount) {
  expect_same_for_any_thread_count("digits", "--arch " + kRoot + "/arch/hermes.yaml --model " + kRoot +
                                                 "/models/digits_cnn.onnx --inputs " + kRoot +
                                                 "/traces/digits_test_x_nchw.npy --labels " + kRoot +
                                                 "/traces/digits_test_y.npy --batch 8 --t-inference 1s,1d");
}

TEST(ThreadsRun, DigitsCnnOnRiscvControllersIsTheSameForAnyThreadCount) {
  expect_same_for_any_thread_count(
      "digits_riscv", "--arch " + kRoot + "/arch/hermes.yaml --model " + kRoot +
                          "/models/digits_cnn.onnx --inputs " + kRoot +
                          "/traces/digits_test_x_nchw.npy --batch 4 --set core.controller.kind=riscv");
}

TEST(ThreadsRun, TimingOffAndRepeatsAreTheSameForAnyThreadCount) {
  expect_same_for_any_thread_count("digits_off",
                                   "--arch " + kRoot + "/arch/hermes.yaml --model " + kRoot +
                                       "/models/digits_cnn.onnx --inputs " + kRoot +
                                       "/traces/digits_test_x_nchw.npy --batch 8 --timing off --repeats 2");
}

TEST(ThreadsRun, ResNet9IsTheSameForAnyThreadCount) {
  expect_same_for_any_thread_count("resnet9", "--arch " + kRoot + "/arch/hermes.yaml --model " + kRoot +
                                                  "/models/resnet9_cifar10.onnx --inputs " + kRoot +
                                                  "/traces/cifar10_random_x.npy --batch 2");
}

TEST(ThreadsRun, ZeroMeansEveryHostCoreAndANegativeCountIsRefused) {
  const std::filesystem::path dir = aimc_test::fresh_dir("threads", "default");
  int status = -1;
  const std::string args = "run --arch " + kRoot + "/arch/hermes.yaml --model " + kRoot +
                           "/models/digits_mlp.onnx --inputs " + kRoot +
                           "/traces/digits_test_x.npy --batch 2";
  aimc_test::run_cli(args + " --out " + (dir / "d").string(), &status);
  EXPECT_EQ(status, 0);
  const std::string err =
      aimc_test::run_cli_all(args + " --threads -1 --out " + (dir / "e").string(), &status);
  EXPECT_EQ(status, 2) << err;
  EXPECT_NE(err.find("threads"), std::string::npos) << err;
}

}  // namespace
}  // namespace aimc
