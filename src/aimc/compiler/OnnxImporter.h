#pragma once
// ONNX model file -> Graph (the compiler's IR, see Graph.h), with Debian's libonnx protobuf classes.
//
// Supported operators (default domain, opsets 7-18): Gemm, MatMul (+ Add as bias), Conv (1-D and 2-D; stride,
// pads, dilations, group, auto_pad NOTSET/VALID/SAME_UPPER/SAME_LOWER), Relu, Clip, BatchNormalization
// (inference mode), Add, MaxPool, AveragePool, GlobalAveragePool, Flatten (axis 1), Reshape, Softmax,
// Identity, Dropout, Constant; the activations Sigmoid, Tanh, LeakyRelu, PRelu, Elu, HardSigmoid, HardSwish,
// Cos, Sin, Clip with min != 0 (Hardtanh), GELU and SiLU in the forms torch exports (ActivationPatterns.h);
// Concat (axis 1), Mul of two activations, LogSoftmax, Gather on a table by int64 token ids of a graph input
// (an Embedding); MatMul on a sequence [N, T, D]; and through the normalisation passes (ImportNormalise.h,
// README "Import normalisation"): zero Pad, Add/Sub/Mul/Div with a constant, ReduceMean over the spatial
// axes, Squeeze, Unsqueeze, layout-only Transpose, and shape arithmetic on constants (Shape, Gather, Concat,
// Slice, Cast, ConstantOfShape, Transpose). Weights must be initializers (or Constant outputs); the batch is
// the first dimension of every graph input. Anything else stops the import with a UserError naming the file,
// the node (name and operator) and what is missing or wrong.
#include <string>

#include "aimc/compiler/Graph.h"

namespace aimc {

class OnnxImporter {
 public:
  static Graph load(const std::string& path);
  // Imports from an in-memory serialised ModelProto; `path` only names the model in errors.
  static Graph parse(const std::string& path, const std::string& serialised_model);
};

}  // namespace aimc
