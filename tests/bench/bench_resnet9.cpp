// Host cost of the cycle-level chip against the numerics-only executor (`aimcsim run --timing off`) on the
// same mapped network, batch 1: images per host second of each and their ratio, measured in this run. Both
// produce the same INT8 outputs (checked here on every image). Target (issue 7): the cycle-level run takes at
// most 2x the host time of the numerics-only run on ResNet-9 (models/resnet9_cifar10.onnx) on
// arch/hermes.yaml. Inputs are seeded uniform [0, 1) images of the model's input shape (timing does not
// depend on the values); INT8 steps are calibrated on 8 of them, as `aimcsim run` calibrates on its inputs.
// Usage: bench_resnet9 [MODEL.onnx (default $AIMCSIM_BENCH_MODEL or models/resnet9_cifar10.onnx)]
//                      [ARCH.yaml (default arch/hermes.yaml)] [images (default 20)]
//                      [read-ahead pixels of the chip's tiles (default 64; 1 = every pixel reads alone)]
// Until the conv mapping lands, run it on models/digits_mlp.onnx to exercise it.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "BenchSupport.h"
#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/hw/Chip.h"
#include "aimc/sim/MappedExecutor.h"
#include "aimc/sim/Workload.h"

namespace {

using namespace aimc;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) try {
  const char* env = std::getenv("AIMCSIM_BENCH_MODEL");
  const std::string model = argc > 1 ? argv[1] : env ? env : "models/resnet9_cifar10.onnx";
  const std::string arch_file = argc > 2 ? argv[2] : "arch/hermes.yaml";
  const int64_t images = argc > 3 ? std::atoll(argv[3]) : 20;
  const int read_ahead = argc > 4 ? std::atoi(argv[4]) : 64;
  const uint64_t seed = 1;
  const double t_inference = 3600.0;

  const ArchConfig arch = load_arch(arch_file, ConfigSource());
  Graph graph = OnnxImporter::load(model);
  const GraphTensor input = graph.tensor(graph.inputs.at(0));  // a copy: the graph moves on
  const int64_t features = input.sampleSize();
  const int64_t total = images + 1;  // + one warm-up image per engine
  const NpyArray x = bench::random_images(input.shape, total, seed, "bench_resnet9's random images");

  // Calibrated on the float reference, mapped and quantised as `aimcsim run` does.
  const Workload workload = prepare_workload(arch, std::move(graph), x, total, 8);
  const Mapping& mapping = workload.mapping;
  std::printf("%s", mapping.summary().c_str());
  const std::vector<int8_t>& codes = workload.codes;
  auto image = [&](int64_t i) {
    return std::vector<int8_t>(codes.begin() + i * features, codes.begin() + (i + 1) * features);
  };

  // Load time (programming) is not part of the per-image figure of either engine.
  Chip chip("chip", arch, mapping, seed);
  chip.program();
  chip.set_inference_time(t_inference);
  for (const auto& core : chip.cores()) core->tile().set_read_ahead(read_ahead);
  MappedExecutor executor(arch, mapping, seed);
  executor.program();
  executor.set_inference_time(t_inference);

  std::vector<std::vector<int8_t>> chip_out, exec_out;
  chip.run(image(0), 1);  // warm-up: first touch of buffers, SystemC start-up
  auto t0 = Clock::now();
  for (int64_t i = 1; i <= images; ++i) chip_out.push_back(chip.run(image(i), 1).outputs);
  const double chip_s = seconds_since(t0);
  executor.run(image(0), 1);
  t0 = Clock::now();
  for (int64_t i = 1; i <= images; ++i) exec_out.push_back(executor.run(image(i), 1));
  const double exec_s = seconds_since(t0);

  const bool same = chip_out == exec_out;
  double mvms = 0, hits = 0;
  for (const auto& core : chip.cores()) {
    mvms += core->tile().stats().value("mvms");
    hits += static_cast<double>(core->tile().read_ahead_hits());
  }
  const double ratio = chip_s / exec_s;
  std::printf("bench_resnet9: %s on %s, batch 1, %lld images, t_inference 1h\n", model.c_str(),
              arch_file.c_str(), static_cast<long long>(images));
  std::printf("  cycle-level chip : %10.3f images per host second (%.4f s per image)\n", images / chip_s,
              chip_s / static_cast<double>(images));
  std::printf("  numerics only    : %10.3f images per host second (%.4f s per image)\n", images / exec_s,
              exec_s / static_cast<double>(images));
  std::printf("  tile read-ahead %d pixels: %.0f of %.0f MVMs took their counts from a batch\n", read_ahead,
              hits, mvms);
  std::printf("  host-time ratio cycle-level / numerics-only: %.3f (target <= 2)\n", ratio);
  std::printf("  outputs %s\n", same ? "bit-identical" : "DIFFER (a bug: the two engines must agree)");
  std::printf("%s\n",
              same && ratio <= 2.0 ? "bench_resnet9: target met" : "bench_resnet9: a target is missed");
  return same && ratio <= 2.0 ? 0 : 1;
} catch (const aimc::UserError& e) {
  std::fprintf(stderr, "bench_resnet9: error: %s\n", e.what());
  return 2;
}
