#pragma once
// Import of ONNX LSTM and GRU nodes (issue 16): their weight tensors into the graph's recurrent form
// (Graph.h RecurrentAttributes: [W_ih | W_hh] as one [G*H, I+H] matrix, both biases, ONNX gate order).
// Pure functions; they throw Refusal(reason) naming the ONNX input (W, R, B) and the shape it should have.
#include <cstdint>
#include <string>

#include "aimc/compiler/Graph.h"
#include "aimc/compiler/ImportNormalise.h"

namespace aimc {

struct RecurrentWeights {
  Eigen::MatrixXf weight;  // [G*H, I+H] = [W_ih | W_hh]
  Eigen::VectorXf bias_ih;
  Eigen::VectorXf bias_hh;
};

// W [1, G*H, I], R [1, G*H, H], B [1, 2*G*H] or none (zeros); `op` is kLstm or kGru, `inputs` is I.
RecurrentWeights recurrentWeights(OpKind op, int64_t hidden, int64_t inputs, const ConstTensor& w,
                                  const ConstTensor& r, const ConstTensor* b);

// ONNX attribute `activations` (strings) of a forward LSTM/GRU: only the defaults (Sigmoid, Tanh, Tanh for
// LSTM; Sigmoid, Tanh for GRU) are supported, as the chip's GDPU computes exactly those.
void checkDefaultActivations(OpKind op, const std::vector<std::string>& activations);

}  // namespace aimc
