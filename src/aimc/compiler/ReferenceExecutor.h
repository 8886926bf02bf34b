#pragma once
// Float forward pass of a Graph: the numbers the analog chip is compared against, and the source of the
// per-layer activation ranges used to calibrate INT8 scales.
//
// Precision: tensors between nodes are float32 (as ONNX and PyTorch store them); the dot products of Gemm and
// Conv are float32 Eigen GEMMs (as PyTorch's CPU kernels compute them: issue 20, the reference was 30 % of a
// VGG8 image in double), relative error about 1e-6 of the layer's scale; pooling, softmax and normalisation
// sums (and LSTM/GRU cells, RecurrentReference.h) are accumulated in double and rounded to float once.
// Deterministic and independent of thread count (Eigen's single-threaded kernels).
#include <Eigen/Core>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "aimc/base/Npy.h"
#include "aimc/compiler/Graph.h"

namespace aimc {

// A dense C-order tensor with a concrete batch: shape[0] is the batch size.
struct ReferenceTensor {
  std::vector<int64_t> shape;
  std::vector<float> data;

  int64_t batch() const { return shape.empty() ? 0 : shape[0]; }
  int64_t sampleSize() const;  // elements per batch item
  static ReferenceTensor fromNpy(const NpyArray& array);
  NpyArray toNpy() const;
};

class ReferenceExecutor {
 public:
  struct Result {
    std::map<std::string, ReferenceTensor> tensors;  // every tensor of the graph, inputs included, by name
    std::vector<std::string> outputs;                // the graph's output names, in order
    const ReferenceTensor& output(size_t index = 0) const { return tensors.at(outputs.at(index)); }
    // max |value| of every tensor, by name: the calibration ranges of the INT8 steps (map_network's absmax).
    std::map<std::string, double> absmax() const;
  };

  explicit ReferenceExecutor(const Graph& graph);

  // inputs: one tensor per graph input, [batch, ...] with the graph's per-sample shape; UserError otherwise.
  Result run(const std::map<std::string, ReferenceTensor>& inputs) const;
  // Single-input graphs.
  Result run(const ReferenceTensor& input) const;

  // Index of the largest value per batch item of a [batch, classes] tensor (first one on ties).
  static std::vector<int32_t> argmax(const ReferenceTensor& logits);

 private:
  Graph graph_;  // a copy: the executor outlives temporaries
};

}  // namespace aimc
