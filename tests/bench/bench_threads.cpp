// Issue 20 item 3: one `aimcsim run` on all host cores. Runs a VGG8-shaped CIFAR-10 network (default: the
// ONNX models/gen_vgg8.py writes, build/ci/models/vgg8_cifar10.onnx; or the file given) on arch/hermes.yaml
// with 256 cores on a 16x16 mesh, batch 8 random images (seeded), t_inference 1h, whole process (import,
// calibration, mapping, programming, drift, the cycle-level run, outputs), once per thread count, and prints
// per count the wall and CPU (user + sys) seconds, that the logits are the same bytes, and the wall-time
// speed-up of 2 threads over 1 beside the target (>= 1.7x on 2 cores). On a host shared with other work the
// wall times are only meaningful when CPU / wall shows the threads actually got the cores.
// Usage: bench_threads [MODEL.onnx] [threads, e.g. 1,2,4 (default 1,2)]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "aimc/base/Npy.h"
#include "aimc_test_paths.h"

namespace {

double children_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  auto s = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return s(u.ru_utime) + s(u.ru_stime);
}

std::string bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

struct Measured {
  int threads = 1;
  double wall_s = 0, cpu_s = 0;
  std::string logits;
};

Measured run(const std::string& model, const std::string& inputs, const std::string& out, int threads) {
  const std::string root = AIMCSIM_SOURCE_ROOT;
  const std::string cmd =
      std::string(AIMCSIM_CLI) + " run --arch " + root +
      "/arch/hermes.yaml --set chip.cores=256 --set noc.mesh_cols=16 --set noc.mesh_rows=16" + " --model " +
      model + " --inputs " + inputs + " --batch 8 --t-inference 1h --threads " + std::to_string(threads) +
      " --out " + out + " > " + out + ".log 2>&1";
  const double cpu0 = children_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  const int rc = std::system(cmd.c_str());
  Measured m;
  m.threads = threads;
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.cpu_s = children_cpu_seconds() - cpu0;
  if (rc != 0) std::fprintf(stderr, "bench_threads: failed (see %s.log): %s\n", out.c_str(), cmd.c_str());
  m.logits = bytes(out + "/logits.npy");
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string model =
      argc > 1 ? argv[1] : std::string(AIMCSIM_SOURCE_ROOT) + "/build/ci/models/vgg8_cifar10.onnx";
  std::vector<int> counts;
  std::stringstream list(argc > 2 ? argv[2] : "1,2");
  for (std::string item; std::getline(list, item, ',');) counts.push_back(std::stoi(item));
  if (!std::filesystem::exists(model)) {
    std::printf("bench_threads: no model at %s (write it with /usr/bin/python3 models/gen_vgg8.py)\n",
                model.c_str());
    return 1;
  }
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "aimc_bench_threads";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::mt19937 rng(20);  // random images: the time of a run does not depend on them
  std::normal_distribution<float> normal;
  std::vector<float> x(8 * 3 * 32 * 32);
  for (float& v : x) v = normal(rng);
  const std::string inputs = (dir / "images.npy").string();
  aimc::Npy::write(inputs, aimc::NpyArray::fromFloat32({8, 3, 32, 32}, x));
  std::vector<Measured> runs;
  for (int t : counts) {
    runs.push_back(run(model, inputs, (dir / ("t" + std::to_string(t))).string(), t));
    const Measured& m = runs.back();
    std::printf(
        "bench_threads: %s, batch 8, --threads %d: %.2f s wall, %.2f s CPU (user + sys, %.2f cores busy)%s\n",
        model.c_str(), t, m.wall_s, m.cpu_s, m.cpu_s / m.wall_s,
        m.logits == runs.front().logits && !m.logits.empty() ? ", logits identical to the first count"
                                                             : ", LOGITS DIFFER");
  }
  for (const Measured& m : runs)
    if (m.threads == 2 && runs.front().threads == 1)
      std::printf("bench_threads: 2 threads over 1: %.2fx wall (target >= 1.7x on 2 cores)\n",
                  runs.front().wall_s / m.wall_s);
  return 0;
}
