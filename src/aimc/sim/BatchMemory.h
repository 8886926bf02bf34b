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
  uint64_t inputs = 0;      // bytes of the float copy of the input file's rows
  uint64_t total = 0;       // inputs + samples * per_sample (saturates at UINT64_MAX)
};

// What the float reference (every tensor of the graph), the input values (float copy, batch slice, INT8
// codes) and the float outputs hold: a lower bound of the run's peak, which the chip's own state adds to.
BatchMemoryEstimate estimate_batch_memory(const Graph& graph, int64_t samples, int64_t input_rows);

// Half of sysconf's physical memory (the default of workload.max_memory).
uint64_t default_batch_memory_limit();

// UserError (file `run_file`, key workload.batch) when the estimate exceeds `limit_bytes` (0 = the default).
void check_batch_memory(const Graph& graph, int64_t samples, int64_t input_rows, int64_t limit_bytes,
                        const std::string& run_file);

}  // namespace aimc
