#pragma once
// The memory a run's batch needs, estimated from the model before anything is allocated, and the limit it
// must stay under (run key workload.max_memory; 0 = half of the physical memory). Issue 21: a 10 M-row batch
// grew to 7.5 GB and aborted; it is now refused with an error naming the batch and the estimate.
#include <cstdint>
#include <string>

#include "aimc/compiler/Graph.h"

namespace aimc {

struct BatchMemoryEstimate {
  uint64_t per_sample = 0;  // bytes every sample of the batch adds
  uint64_t inputs = 0;      // bytes of the input file's rows (float32)
  uint64_t reference = 0;   // bytes of the float reference's tensors for the rows it runs at once
  uint64_t total = 0;       // inputs + reference + samples * per_sample (saturates at UINT64_MAX)
};

// Rows of the float reference per run after the calibration rows: every tensor of the graph for these rows
// is held at once, so they are as many as fit in 16 MiB (a choice: a bound of the batch's memory whatever
// its length, large enough that the GEMMs stay efficient); at least 1.
int64_t reference_chunk_rows(const Graph& graph);

// What a run holds: the input file's rows, the float reference's tensors of its calibration rows or of one
// chunk (reference_chunk_rows), and per sample the INT8 input codes, the float logits with their top-1 and
// the label (the outputs themselves go to disk as they are produced): a lower bound of the run's peak, which
// the chip's own state adds to.
BatchMemoryEstimate estimate_batch_memory(const Graph& graph, int64_t samples, int64_t input_rows,
                                          int64_t calibration_rows = 0);

// Half of sysconf's physical memory (the default of workload.max_memory).
uint64_t default_batch_memory_limit();

// UserError (file `run_file`, key workload.batch) when the estimate exceeds `limit_bytes` (0 = the default).
void check_batch_memory(const Graph& graph, int64_t samples, int64_t input_rows, int64_t limit_bytes,
                        const std::string& run_file, int64_t calibration_rows = 0);

}  // namespace aimc
