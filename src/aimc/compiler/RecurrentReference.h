#pragma once
// The float meaning of the recurrent nodes (kLstm, kGru; Graph.h RecurrentAttributes): ONNX LSTM/GRU
// semantics, forward direction, default activations (sigmoid, tanh). Plain C++; ReferenceExecutor calls it.
//
// Precision as in the rest of the reference: the states h_t and c_t between timesteps are float32 (as torch
// and ONNX Runtime keep them); each gate's dot product, bias sum and nonlinearity is computed in double and
// the new state rounded to float once.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "aimc/compiler/Graph.h"

namespace aimc {

struct RecurrentInputs {
  const float* x = nullptr;   // [N, T, I]
  const float* h0 = nullptr;  // [N, H] or nullptr (zeros)
  const float* c0 = nullptr;  // [N, H] or nullptr (zeros; LSTM only)
  int64_t batch = 0;
  int64_t steps = 0;  // T
};

// The node's output: Y [N, T, H] (RecurrentOutput::kSequence) or Y_c [N, H] (kLastCell). `weight` is the
// node's [W_ih | W_hh] widened to double.
std::vector<float> recurrent_forward(const GraphNode& node, const Eigen::MatrixXd& weight,
                                     const RecurrentInputs& in);

}  // namespace aimc
