#pragma once
// The compiler's graph IR: what an ONNX network becomes after import. Only activation tensors flow between
// nodes; weights live inside the nodes that use them as Eigen matrices (float, as in the ONNX file).
//
// Normal forms the rest of the compiler can rely on:
//  - nodes are in topological order; every node input is a graph input or an earlier node's output;
//  - Gemm: y = W x + b with W [out, in] (ONNX MatMul, MatMul + Add and Gemm's transB/alpha/beta folded in);
//  - Conv: W [out, in/group * kh * kw] in im2col order (channel, kernel row, kernel column), b [out];
//  - BatchNormalization directly after a Conv/Gemm whose output has no other reader is folded into its W and
//  b;
//    any other BatchNormalization stays as a per-channel affine y = scale * x + shift (axis 1);
//  - Identity and Dropout are removed;
//  - tensor shapes are full NCHW / NC shapes with the batch dimension first and symbolic (kBatch); a Gemm may
//    also read a sequence [N, T, D] (nn.Linear on each of the T positions) and make [N, T, O];
//  - activations other than ReLU and Clip(0, m) are one kActivation node each, GELU and SiLU included (their
//    multi-node ONNX forms are matched at import, ActivationPatterns.h);
//  - a graph input of int64 token ids (GraphTensor::token_ids) is read only by kEmbedding nodes;
//  - sequences are batch first, [N, T, F], whatever the ONNX file's layout (ONNX LSTM/GRU read [T, N, F]
//    and torch's batch_first wraps them in Transposes; the importer tracks the batch axis instead, see
//    ImportSequenceLayout.h); an ONNX tensor whose batch is not its first axis (a time-major sequence, an
//    initial state [layers, N, H]) is held with the batch moved first and its other axes in ONNX order, and
//    a graph input or output of that kind is given and returned in this batch-first layout;
//  - a recurrent layer (kLstm, kGru) is one node per layer and direction-less (forward only): input
//    [N, T, I] plus optional initial states [N, H]; output the whole sequence Y [N, T, H], or, when the
//    network reads the final cell state Y_c, a second node of the same layer with output kLastCell [N, H].
//    The last hidden state Y_h is Y's last timestep (a kSlice of Y, [N, 1, H]).
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "aimc/numerics/ActivationFunction.h"

namespace aimc {

enum class OpKind {
  kGemm,
  kConv,
  kRelu,
  kClip,
  kBatchNormalization,
  kAdd,
  kMaxPool,
  kAveragePool,
  kGlobalAveragePool,
  kFlatten,
  kReshape,
  kSoftmax,
  kActivation,  // element-wise function (ActivationSpec), PReLU with its per-channel slope
  kConcat,      // along axis 1: channels of [N, C, H, W] maps or features of [N, F]
  kMul,         // element-wise product of two activations of one shape
  kLogSoftmax,  // log(softmax(x)) over `axis`
  kEmbedding,   // rows of a float table picked by int64 token ids: [N, T] -> [N, T, D]
  kLstm,        // a forward LSTM layer over the sequence (RecurrentAttributes)
  kGru,         // a forward GRU layer over the sequence (RecurrentAttributes)
  kSlice,       // positions [slice_start, slice_end) of one axis (>= 1), e.g. a sequence's last timestep
};

const char* opKindName(OpKind op);

// Dimension value meaning "the batch size, fixed only when the graph is run".
constexpr int64_t kBatch = -1;

struct GraphTensor {
  std::string name;
  std::vector<int64_t> shape;  // shape[0] == kBatch
  bool token_ids = false;      // int64 token indices (a graph input read only by kEmbedding), not floats
  // Elements per batch item (product of shape[1:]).
  int64_t sampleSize() const;
  std::string shapeText() const;  // e.g. "[N,8,8,8]"
};

// Spatial window of Conv and the pools (2-D: [height, width]).
struct WindowAttributes {
  std::vector<int64_t> kernel{1, 1};
  std::vector<int64_t> strides{1, 1};
  std::vector<int64_t> pads{0, 0, 0, 0};  // ONNX order: top, left, bottom, right
  std::vector<int64_t> dilations{1, 1};
  bool ceil_mode = false;          // pools: output size rounded up
  bool count_include_pad = false;  // AveragePool: padded cells count in the divisor
};

// What a recurrent node gives (ONNX LSTM/GRU outputs Y and Y_c; Y_h is Y's last timestep).
enum class RecurrentOutput {
  kSequence,  // Y: the hidden state of every timestep, [N, T, H]
  kLastCell,  // Y_c: the LSTM cell state after the last timestep, [N, H]
};

// A forward LSTM or GRU layer with ONNX semantics (opset 7-14, default activations, no clip, no peepholes).
// Gates in ONNX order: LSTM i, o, f, c (input, output, forget, cell candidate); GRU z, r, h (update, reset,
// candidate). torch's nn.LSTM order i, f, g, o and nn.GRU order r, z, n are reordered by its exporter, so a
// torch export already arrives in this order. G = 4 (LSTM) or 3 (GRU) gates of H rows each.
//
//  LSTM: g = W [x_t; h_(t-1)] + b_ih + b_hh;  i, o, f = sigmoid(g_i, g_o, g_f);  c~ = tanh(g_c)
//        c_t = f * c_(t-1) + i * c~;  h_t = o * tanh(c_t)
//  GRU:  z = sigmoid(W_z [x; h] + b_ih,z + b_hh,z);  r = sigmoid(W_r [x; h] + b_ih,r + b_hh,r)
//        linear_before_reset: n = tanh(W_ih,n x + b_ih,n + r * (W_hh,n h + b_hh,n))   (torch exports this)
//        otherwise:           n = tanh(W_ih,n x + b_ih,n + W_hh,n (r * h) + b_hh,n)
//        h_t = (1 - z) * n + z * h_(t-1)
//
// The weight `GraphNode::weight` is [W_ih | W_hh], [G*H, I+H]: the matrix the crossbars will hold, read
// with [x_t; h_(t-1)] as the input vector. Initial states are zeros unless given as node inputs.
struct RecurrentAttributes {
  int64_t hidden = 0;                // H
  Eigen::VectorXf bias_ih;           // [G*H] (ONNX B's first half, Wb)
  Eigen::VectorXf bias_hh;           // [G*H] (ONNX B's second half, Rb)
  bool linear_before_reset = false;  // GRU only
  bool has_initial_h = false;        // inputs[1] is h_0 [N, H] (or [N, 1, H])
  bool has_initial_c = false;        // LSTM: the next input is c_0 [N, H] (or [N, 1, H])
  RecurrentOutput output = RecurrentOutput::kSequence;

  // Gates per unit: 4 (LSTM) or 3 (GRU).
  static int64_t gates(OpKind op) { return op == OpKind::kLstm ? 4 : 3; }
};

struct GraphNode {
  std::string name;  // the ONNX node name (or "<op>_<index>" if the file gives none)
  OpKind op = OpKind::kRelu;
  std::vector<std::string> inputs;  // activation tensors (Add, Mul two; Concat two or more; others one)
  std::string output;

  // Gemm and Conv; Embedding's table.
  Eigen::MatrixXf weight;           // Gemm [out, in]; Conv [out, in/group * kh * kw]; Embedding [vocab, dim]
  Eigen::VectorXf bias;             // [out]; zeros when the network has none
  bool has_bias = false;            // false if the ONNX node had no bias and no BN was folded in
  WindowAttributes window;          // Conv, MaxPool, AveragePool
  int64_t group = 1;                // Conv
  std::vector<std::string> folded;  // names of ONNX nodes merged into this one (e.g. the BN, the Add)

  // Clip.
  float clip_min = 0.0f;
  float clip_max = 0.0f;
  // BatchNormalization kept as a per-channel affine.
  Eigen::VectorXf scale;
  Eigen::VectorXf shift;
  // Activation: the function; for kPRelu `activation.alpha` is unused and `slope` holds one value per
  // channel (axis 1 of the input; a shared slope is repeated).
  ActivationSpec activation;
  Eigen::VectorXf slope;
  // Flatten (ONNX axis, >= 1: the batch stays first), Softmax and LogSoftmax (axis, normalised to >= 1),
  // Concat (axis 1).
  int64_t axis = 1;
  // Reshape: the resolved output shape (shape[0] == kBatch).
  std::vector<int64_t> reshape;
  // Slice: positions [slice_start, slice_end) of axis `axis` (normalised: 1 <= axis, 0 <= start < end).
  int64_t slice_start = 0;
  int64_t slice_end = 0;
  // Lstm, Gru (weight above is [W_ih | W_hh]).
  RecurrentAttributes recurrent;

  int64_t outChannels() const { return weight.rows(); }
};

class Graph {
 public:
  std::string name;
  std::string source;                // file it was imported from
  std::vector<std::string> inputs;   // graph input tensors
  std::vector<std::string> outputs;  // graph output tensors
  std::vector<GraphNode> nodes;      // topological order

  // Adds or replaces a tensor's description.
  void setTensor(const GraphTensor& tensor);
  bool hasTensor(const std::string& name) const;
  const GraphTensor& tensor(const std::string& name) const;  // AIMC_ASSERT if unknown
  const std::vector<GraphTensor>& tensors() const { return tensors_; }
  // Index of the node producing `tensor`, or -1 for a graph input.
  int producer(const std::string& tensor) const;
  // Indices of the nodes reading `tensor`.
  std::vector<int> consumers(const std::string& tensor) const;

  // Recomputes every node's output shape from the graph input shapes; throws UserError (file = source,
  // key = node name) on inconsistent shapes. Called by the importer after every rewrite.
  void inferShapes();
  // Checks the normal forms listed at the top of this file (topological order, known inputs, weight sizes).
  void validate() const;

  // One line per node: "name  Op  inputs -> output [shape]  details".
  std::string summary() const;
  // Number of crossbar weights (Gemm, Conv, Lstm and Gru weight elements; an Embedding's table stays on the
  // host).
  int64_t weightCount() const;

 private:
  std::vector<GraphTensor> tensors_;
};

// Output shape of one node given its input shapes; UserError(file, 0, node name, reason) if inconsistent.
std::vector<int64_t> inferNodeShape(const GraphNode& node,
                                    const std::vector<std::vector<int64_t>>& input_shapes,
                                    const std::string& file);

}  // namespace aimc
