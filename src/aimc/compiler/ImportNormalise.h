#pragma once
// Import normalisation: the pieces of the ONNX importer that rewrite what `torch.onnx.export` emits into the
// operators the chip already runs (see README.md, "Import normalisation").
//
//  - constant folding of shape arithmetic and of constants (Gather, Unsqueeze, Squeeze, Concat, Slice, Cast,
//    ConstantOfShape, Reshape, Transpose, Add/Sub/Mul/Div on constants); the batch size stays symbolic
//    (kSymbolicBatch);
//  - shapes of layout-only views (Squeeze, Unsqueeze, Transpose moving only size-1 dimensions);
//  - a constant Mul/Div/Add/Sub read as a per-channel affine y = scale * x + shift;
//  - graph passes run after import: ReLU/Clip(0, m) commuted before a MaxPool, and a per-channel affine from
//    constant arithmetic folded into the Gemm/Conv that reads it.
//
// Pure functions: they throw Refusal(reason) and the importer turns that into a UserError naming the node.
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "aimc/compiler/Graph.h"

namespace aimc {

// The largest constant the importer decodes or folds: 2^28 elements (1 GiB of float32). A choice: it is far
// above every weight tensor a chip of crossbars can hold, and it keeps a shape read from an untrusted file
// from allocating without bound (ConstantOfShape) or overflowing int64 (a dimension of 2^62).
constexpr int64_t kMaxConstantElements = int64_t{1} << 28;

// A constant tensor from an initializer, a Constant node or a folded node, decoded to float or int64
// (int8..int64, uint8 and bool are ints; float16 is not decoded).
struct ConstTensor {
  std::vector<int64_t> dims;
  std::vector<float> floats;  // float / double data
  std::vector<int64_t> ints;  // integer and bool data
  bool is_float = true;
  // The element count; a negative dimension or more than kMaxConstantElements throws Refusal.
  int64_t count() const;
};

// The batch size inside folded shape arithmetic (e.g. the value of Gather(Shape(x), 0)): a Reshape reading it
// keeps the batch symbolic; any arithmetic on it is refused.
constexpr int64_t kSymbolicBatch = INT64_MIN;

struct Refusal : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Axis in [0, rank) from an ONNX axis in [-rank, rank); Refusal if out of range.
int64_t normaliseAxis(int64_t axis, int64_t rank);
// Normalised, sorted axes; Refusal on a repeated axis.
std::vector<int64_t> sortedAxes(std::vector<int64_t> axes, int64_t rank);

// ONNX TensorProto data type in words ("float32", "int64", "bool", "float16", ...).
std::string elementTypeName(int onnx_type);
// "[N,8,8]" (kBatch and kSymbolicBatch print as N).
std::string shapeText(const std::vector<int64_t>& shape);

// ---- constant folding (ONNX semantics, opset 13 forms; negative axes count from the end) -----------------
ConstTensor foldGather(const ConstTensor& data, const ConstTensor& indices, int64_t axis);
ConstTensor foldUnsqueeze(const ConstTensor& c, std::vector<int64_t> axes);
ConstTensor foldSqueeze(const ConstTensor& c, std::vector<int64_t> axes);
ConstTensor foldConcat(const std::vector<const ConstTensor*>& parts, int64_t axis);
ConstTensor foldSlice(const ConstTensor& c, const std::vector<int64_t>& starts,
                      const std::vector<int64_t>& ends, std::vector<int64_t> axes,
                      std::vector<int64_t> steps);
ConstTensor foldCast(const ConstTensor& c, int onnx_type);
ConstTensor foldConstantOfShape(const ConstTensor& shape, const ConstTensor& value);
ConstTensor foldReshape(const ConstTensor& c, const ConstTensor& shape);
ConstTensor foldTranspose(const ConstTensor& c, std::vector<int64_t> perm);
// "Add", "Sub", "Mul" or "Div" of two constants (same shape, or one of them a single value).
ConstTensor foldArithmetic(const std::string& op, const ConstTensor& a, const ConstTensor& b);

// ---- layout-only views of activations (shape[0] is the batch and must stay first) -----------------------
std::vector<int64_t> squeezeShape(const std::vector<int64_t>& shape, std::vector<int64_t> axes);
std::vector<int64_t> unsqueezeShape(const std::vector<int64_t>& shape, std::vector<int64_t> axes);
// Refuses a permutation that moves the batch or changes the order of the dimensions larger than 1.
std::vector<int64_t> transposeShape(const std::vector<int64_t>& shape, const std::vector<int64_t>& perm);

// ---- constant arithmetic on an activation as a per-channel affine -----------------------------------------
struct ChannelAffine {
  Eigen::VectorXf scale;
  Eigen::VectorXf shift;
};
// y = x op c (constant_first: y = c op x) for an activation of (ONNX) shape `x`; the constant must be a
// single value or one value per channel (`channel_axis`: 1, or the last axis for the features of a Gemm on
// [N, T, D]) broadcasting over the other axes. c / x is refused.
ChannelAffine constantAffine(const std::string& op, bool constant_first, const ConstTensor& c,
                             const std::vector<int64_t>& x, int64_t channel_axis = 1);
// Folds y = scale * (W x + b) + shift into a Gemm/Conv (rows of W) or into a per-channel affine node.
void applyAffineAfter(GraphNode& node, const ChannelAffine& affine);

// ---- graph passes ----------------------------------------------------------------------------------------
// Relu or Clip(0, m) reading a MaxPool whose output has no other reader: the two swap (max-pooling commutes
// with a non-decreasing function), so that the activation fuses into the Conv before the pool. Returns the
// number of swaps.
int commuteActivationBeforeMaxPool(Graph& graph);
// A Reshape/Flatten reading another Reshape/Flatten whose output has no other reader reads that one's input
// instead (the chip maps one view, e.g. x.squeeze(-1).squeeze(-1) becomes one Reshape). Returns the number
// merged.
int mergeViewChains(Graph& graph);
// Each per-channel affine named in `names` (kept because its producer could not absorb it) whose output is
// read only by one Gemm or Conv is folded into that reader's weights (W' = W diag(scale)) and bias
// (b' = b + W shift); a Conv with zero padding absorbs a shift only when it is all zero. Returns the number
// folded.
int foldAffinesIntoReaders(Graph& graph, const std::set<std::string>& names);

}  // namespace aimc
