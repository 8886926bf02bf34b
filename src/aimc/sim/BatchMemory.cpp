#include "aimc/sim/BatchMemory.h"

#include <unistd.h>

#include <algorithm>
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

int64_t reference_chunk_rows(const Graph& graph) {
  int64_t per_row = 0;
  for (const GraphTensor& t : graph.tensors()) per_row += 4 * t.sampleSize();
  return std::max<int64_t>(1, (int64_t{16} << 20) / std::max<int64_t>(1, per_row));
}

BatchMemoryEstimate estimate_batch_memory(const Graph& graph, int64_t samples, int64_t input_rows,
                                          int64_t calibration_rows) {
  const uint64_t in = static_cast<uint64_t>(graph.tensor(graph.inputs.at(0)).sampleSize());
  const uint64_t out = static_cast<uint64_t>(graph.tensor(graph.outputs.at(0)).sampleSize());
  uint64_t tensors = 0;
  for (const GraphTensor& t : graph.tensors())
    tensors = saturating_add(tensors, static_cast<uint64_t>(t.sampleSize()));
  const int64_t reference_rows =
      std::max(std::min(samples, reference_chunk_rows(graph)), std::min(calibration_rows, input_rows));
  BatchMemoryEstimate e;
  // int8 codes; float32 logits, int32 top-1 and label, the double latency per sample.
  e.per_sample = saturating_add(in, saturating_add(saturating_mul(4, out), 16));
  e.inputs = saturating_mul(saturating_mul(4, in), static_cast<uint64_t>(input_rows));
  e.reference = saturating_mul(saturating_mul(4, tensors), static_cast<uint64_t>(reference_rows));
  e.total = saturating_add(saturating_add(e.inputs, e.reference),
                           saturating_mul(e.per_sample, static_cast<uint64_t>(samples)));
  return e;
}

uint64_t default_batch_memory_limit() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return std::numeric_limits<uint64_t>::max();  // unknown: no limit
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) / 2;
}

void check_batch_memory(const Graph& graph, int64_t samples, int64_t input_rows, int64_t limit_bytes,
                        const std::string& run_file, int64_t calibration_rows) {
  const uint64_t limit = limit_bytes > 0 ? static_cast<uint64_t>(limit_bytes) : default_batch_memory_limit();
  const BatchMemoryEstimate e = estimate_batch_memory(graph, samples, input_rows, calibration_rows);
  if (e.total <= limit) return;
  throw UserError(
      run_file, 0, "workload.batch",
      fmt::format("a batch of {} samples needs about {} ({} bytes per sample, plus {} for the inputs' {} "
                  "rows and {} for "
                  "the float reference's tensors), "
                  "more than the limit of {} (workload.max_memory{}); run a smaller batch or raise the limit",
                  samples, human_bytes(e.total), e.per_sample, human_bytes(e.inputs), input_rows,
                  human_bytes(e.reference), human_bytes(limit),
                  limit_bytes > 0 ? "" : ", default: half of the physical memory"));
}

}  // namespace aimc
