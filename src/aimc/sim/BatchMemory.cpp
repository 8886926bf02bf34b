#include "aimc/sim/BatchMemory.h"

#include <unistd.h>

#include <limits>

#include <fmt/format.h>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

uint64_t saturating_mul(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? std::numeric_limits<uint64_t>::max() : r;
}

uint64_t saturating_add(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<uint64_t>::max() : r;
}

std::string human_bytes(uint64_t bytes) {
  const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  for (; v >= 1024.0 && u < 6; ++u) v /= 1024.0;
  return fmt::format("{:.1f} {}", v, kUnits[u]);
}

}  // namespace

BatchMemoryEstimate estimate_batch_memory(const Graph& graph, int64_t samples, int64_t input_rows) {
  const uint64_t in = static_cast<uint64_t>(graph.tensor(graph.inputs.at(0)).sampleSize());
  const uint64_t out = static_cast<uint64_t>(graph.tensor(graph.outputs.at(0)).sampleSize());
  uint64_t tensors = 0;
  for (const GraphTensor& t : graph.tensors())
    tensors = saturating_add(tensors, static_cast<uint64_t>(t.sampleSize()));
  BatchMemoryEstimate e;
  // float32: every reference tensor, the batch's input slice, the float outputs and logits; int8: the codes.
  e.per_sample = saturating_add(saturating_mul(4, saturating_add(tensors, saturating_add(in, 2 * out))), in);
  e.inputs = saturating_mul(saturating_mul(4, in), static_cast<uint64_t>(input_rows));
  e.total = saturating_add(e.inputs, saturating_mul(e.per_sample, static_cast<uint64_t>(samples)));
  return e;
}

uint64_t default_batch_memory_limit() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return std::numeric_limits<uint64_t>::max();  // unknown: no limit
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) / 2;
}

void check_batch_memory(const Graph& graph, int64_t samples, int64_t input_rows, int64_t limit_bytes,
                        const std::string& run_file) {
  const uint64_t limit = limit_bytes > 0 ? static_cast<uint64_t>(limit_bytes) : default_batch_memory_limit();
  const BatchMemoryEstimate e = estimate_batch_memory(graph, samples, input_rows);
  if (e.total <= limit) return;
  throw UserError(
      run_file, 0, "workload.batch",
      fmt::format(
          "a batch of {} samples needs about {} ({} bytes per sample, plus {} for the inputs' {} rows), "
          "more than the limit of {} (workload.max_memory{}); run a smaller batch or raise the limit",
          samples, human_bytes(e.total), e.per_sample, human_bytes(e.inputs), input_rows, human_bytes(limit),
          limit_bytes > 0 ? "" : ", default: half of the physical memory"));
}

}  // namespace aimc
