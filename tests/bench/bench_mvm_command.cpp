// `aimcsim mvm arch/aihwkit.yaml` on a 256x256 W and 65,536 inputs (issue 20, item 4), whole process
// (start, npy reads, programming, drift, the analog read, the printed error, the npy write), against a plain
// single-thread Eigen float GEMM of the same shape (bench_crossbar's BM_EigenGemm: Y = X W^T in blocks of
// batch 256). Both in CPU time (the host is shared; wall time swings with the load), each the best of three.
// Prints the ratio beside the target (>= 50 %).
#include <sys/resource.h>
#include <sys/wait.h>

#include <Eigen/Core>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>

#include "UniformMatrix.h"
#include "aimc/base/Npy.h"
#include "aimc/base/Rng.h"
#include "aimc_test_paths.h"

namespace {

constexpr int kIn = 256, kOut = 256, kBatch = 256, kRows = 65'536;

using aimc_bench::uniform;

double process_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double children_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// CPU seconds of one Y = X W^T over all rows, batch 256 at a time.
double gemm_cpu_s(const Eigen::MatrixXf& x, const Eigen::MatrixXf& w) {
  Eigen::MatrixXf y(kBatch, kOut);
  const double start = process_cpu_s();
  float sink = 0;
  for (int first = 0; first < kRows; first += kBatch) {
    y.noalias() = x.middleRows(first, kBatch) * w.transpose();
    sink += y(0, 0);
  }
  const double s = process_cpu_s() - start;
  if (sink == 12345.0f) std::printf(" ");  // keeps the products
  return s;
}

// CPU seconds (user + system) of one `aimcsim mvm` child process; -1 if it failed.
double command_cpu_s(const std::string& command) {
  const double before = children_cpu_s();
  const int rc = std::system(command.c_str());
  if (rc != 0) return -1;
  return children_cpu_s() - before;
}

}  // namespace

int main() {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "bench_mvm_command";
  std::filesystem::create_directories(dir);
  const Eigen::MatrixXf w = uniform(kOut, kIn, 1), x = uniform(kRows, kIn, 2);
  aimc::Npy::write((dir / "w.npy").string(), aimc::NpyArray::fromMatrix(w));
  aimc::Npy::write((dir / "x.npy").string(), aimc::NpyArray::fromMatrix(x));
  const std::string command = std::string(AIMCSIM_CLI) + " mvm " + AIMCSIM_SOURCE_ROOT +
                              "/arch/aihwkit.yaml --weights " + (dir / "w.npy").string() + " --inputs " +
                              (dir / "x.npy").string() + " --out " + (dir / "y.npy").string() +
                              " > /dev/null";
  double gemm = 1e300, mvm = 1e300;
  for (int r = 0; r < 3; ++r) {
    gemm = std::min(gemm, gemm_cpu_s(x, w));
    const double c = command_cpu_s(command);
    if (c < 0) {
      std::printf("aimcsim mvm failed: %s\n", command.c_str());
      return 1;
    }
    mvm = std::min(mvm, c);
  }
  std::filesystem::remove_all(dir);
  std::printf(
      "aimcsim mvm arch/aihwkit.yaml, W 256x256, X 65536x256, whole process: %.3f s CPU (%.2f GMAC/s)\n", mvm,
      1e-9 * kRows * kIn * kOut / mvm);
  std::printf(
      "Eigen float GEMM of the same shape, batch 256, one thread:          %.3f s CPU (%.2f GMAC/s)\n", gemm,
      1e-9 * kRows * kIn * kOut / gemm);
  std::printf("Throughput of aimcsim mvm relative to the GEMM: %.1f %% (target >= 50 %%)\n",
              100 * gemm / mvm);
  return 0;
}
