#include "aimc/compiler/Graph.h"

#include <map>
#include <set>
#include <sstream>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

std::string dimsText(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += shape[i] == kBatch ? std::string("N") : std::to_string(shape[i]);
  }
  return s + "]";
}

std::string listText(const std::vector<int64_t>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

// Output length of a window sliding over `in` cells (ONNX Conv/MaxPool/AveragePool output-shape rule; with
// ceil_mode the last window must still start inside the input or the leading pad, as in PyTorch and ONNX
// Runtime).
int64_t windowOutput(int64_t in, int64_t pad_begin, int64_t pad_end, int64_t kernel, int64_t stride,
                     int64_t dilation, bool ceil_mode) {
  int64_t span = (kernel - 1) * dilation + 1;
  int64_t room = in + pad_begin + pad_end - span;
  if (room < 0) return 0;
  int64_t out = (ceil_mode ? (room + stride - 1) / stride : room / stride) + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad_begin) --out;
  return out;
}

[[noreturn]] void shapeError(const std::string& file, const GraphNode& node, const std::string& reason) {
  throw UserError(file, 0, node.name, std::string(opKindName(node.op)) + ": " + reason);
}

std::vector<int64_t> activationShape(const GraphNode& node, const std::vector<int64_t>& x,
                                     const std::string& file) {
  if (node.activation.kind != ActivationKind::kPRelu) return x;
  if (x.size() < 2 || node.slope.size() != x[1])
    shapeError(file, node,
               "PReLU has " + std::to_string(node.slope.size()) + " slopes but the input " + dimsText(x) +
                   " has " + (x.size() < 2 ? std::string("no") : std::to_string(x[1])) + " channels");
  return x;
}

// Concat along axis 1: every other dimension agrees.
std::vector<int64_t> concatShape(const GraphNode& node, const std::vector<std::vector<int64_t>>& in,
                                 const std::string& file) {
  if (node.axis != 1)
    shapeError(file, node,
               "only a concatenation along axis 1 (channels or features) is supported, not axis " +
                   std::to_string(node.axis));
  std::vector<int64_t> out = in[0];
  if (out.size() < 2) shapeError(file, node, "input " + dimsText(out) + " has no axis 1");
  for (size_t i = 1; i < in.size(); ++i) {
    bool same = in[i].size() == out.size();
    for (size_t d = 0; same && d < out.size(); ++d) same = d == 1 || in[i][d] == out[d];
    if (!same)
      shapeError(file, node,
                 "operand shapes " + dimsText(in[0]) + " and " + dimsText(in[i]) + " differ beyond axis 1");
    out[1] += in[i][1];
  }
  return out;
}

// [N, T...] token ids -> [N, T..., D].
std::vector<int64_t> embeddingShape(const GraphNode& node, const std::vector<int64_t>& x,
                                    const std::string& file) {
  if (node.weight.rows() < 1 || node.weight.cols() < 1)
    shapeError(file, node, "the embedding table is empty");
  std::vector<int64_t> out = x;
  out.push_back(node.weight.cols());
  return out;
}

// [N, T, I] -> Y [N, T, H] (or Y_c [N, H]); weight [G*H, I+H], biases [G*H], initial states [N, H].
std::vector<int64_t> recurrentShape(const GraphNode& node, const std::vector<std::vector<int64_t>>& in,
                                    const std::string& file) {
  const RecurrentAttributes& r = node.recurrent;
  const std::vector<int64_t>& x = in[0];
  const int64_t rows = RecurrentAttributes::gates(node.op) * r.hidden;
  if (x.size() != 3) shapeError(file, node, "input must be a sequence [N, T, features], got " + dimsText(x));
  if (r.hidden < 1) shapeError(file, node, "hidden_size " + std::to_string(r.hidden) + " is not positive");
  if (node.weight.rows() != rows || node.weight.cols() != x[2] + r.hidden)
    shapeError(file, node,
               "weight [W_ih | W_hh] is [" + std::to_string(node.weight.rows()) + "x" +
                   std::to_string(node.weight.cols()) + "] but " + std::to_string(x[2]) +
                   " input features and hidden_size " + std::to_string(r.hidden) + " need [" +
                   std::to_string(rows) + "x" + std::to_string(x[2] + r.hidden) + "]");
  if (r.bias_ih.size() != rows || r.bias_hh.size() != rows)
    shapeError(file, node,
               "biases have " + std::to_string(r.bias_ih.size()) + " and " +
                   std::to_string(r.bias_hh.size()) + " elements, expected " + std::to_string(rows) +
                   " each");
  if (r.has_initial_c && node.op != OpKind::kLstm) shapeError(file, node, "only an LSTM has a cell state");
  if (r.output == RecurrentOutput::kLastCell && node.op != OpKind::kLstm)
    shapeError(file, node, "only an LSTM gives a cell state");
  for (size_t i = 1; i < in.size(); ++i) {
    const std::vector<int64_t>& s = in[i];
    const bool ok = (s.size() == 2 && s[1] == r.hidden) || (s.size() == 3 && s[1] == 1 && s[2] == r.hidden);
    if (!ok)
      shapeError(file, node,
                 "initial state " + dimsText(s) + " must be [N, " + std::to_string(r.hidden) +
                     "] or [N, 1, " + std::to_string(r.hidden) + "]");
  }
  if (r.output == RecurrentOutput::kLastCell) return {kBatch, r.hidden};
  return {kBatch, x[1], r.hidden};
}

std::vector<int64_t> sliceShape(const GraphNode& node, const std::vector<int64_t>& x,
                                const std::string& file) {
  if (node.axis < 1 || node.axis >= static_cast<int64_t>(x.size()))
    shapeError(file, node,
               "axis " + std::to_string(node.axis) + " is not a non-batch axis of " + dimsText(x));
  const int64_t size = x[static_cast<size_t>(node.axis)];
  if (node.slice_start < 0 || node.slice_end > size || node.slice_start >= node.slice_end)
    shapeError(file, node,
               "positions [" + std::to_string(node.slice_start) + ", " + std::to_string(node.slice_end) +
                   ") are not a non-empty range of axis " + std::to_string(node.axis) + " of " + dimsText(x));
  std::vector<int64_t> out = x;
  out[static_cast<size_t>(node.axis)] = node.slice_end - node.slice_start;
  return out;
}

size_t expectedInputs(const GraphNode& node) {
  if (node.op == OpKind::kAdd || node.op == OpKind::kMul) return 2;
  if (node.op == OpKind::kLstm || node.op == OpKind::kGru)
    return 1 + (node.recurrent.has_initial_h ? 1 : 0) + (node.recurrent.has_initial_c ? 1 : 0);
  return 1;
}

}  // namespace

const char* opKindName(OpKind op) {
  switch (op) {
    case OpKind::kGemm:
      return "Gemm";
    case OpKind::kConv:
      return "Conv";
    case OpKind::kRelu:
      return "Relu";
    case OpKind::kClip:
      return "Clip";
    case OpKind::kBatchNormalization:
      return "BatchNormalization";
    case OpKind::kAdd:
      return "Add";
    case OpKind::kMaxPool:
      return "MaxPool";
    case OpKind::kAveragePool:
      return "AveragePool";
    case OpKind::kGlobalAveragePool:
      return "GlobalAveragePool";
    case OpKind::kFlatten:
      return "Flatten";
    case OpKind::kReshape:
      return "Reshape";
    case OpKind::kSoftmax:
      return "Softmax";
    case OpKind::kActivation:
      return "Activation";
    case OpKind::kConcat:
      return "Concat";
    case OpKind::kMul:
      return "Mul";
    case OpKind::kLogSoftmax:
      return "LogSoftmax";
    case OpKind::kEmbedding:
      return "Embedding";
    case OpKind::kLstm:
      return "LSTM";
    case OpKind::kGru:
      return "GRU";
    case OpKind::kSlice:
      return "Slice";
  }
  AIMC_ASSERT(false);
  return "";
}

int64_t GraphTensor::sampleSize() const {
  int64_t n = 1;
  for (size_t i = 1; i < shape.size(); ++i) n *= shape[i];
  return n;
}

std::string GraphTensor::shapeText() const {
  return dimsText(shape);
}

void Graph::setTensor(const GraphTensor& tensor) {
  for (GraphTensor& t : tensors_) {
    if (t.name == tensor.name) {
      t = tensor;
      return;
    }
  }
  tensors_.push_back(tensor);
}

bool Graph::hasTensor(const std::string& name) const {
  for (const GraphTensor& t : tensors_)
    if (t.name == name) return true;
  return false;
}

const GraphTensor& Graph::tensor(const std::string& name) const {
  for (const GraphTensor& t : tensors_)
    if (t.name == name) return t;
  AIMC_ASSERT_MSG(false, "unknown tensor");
  return tensors_.front();
}

int Graph::producer(const std::string& tensor) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].output == tensor) return static_cast<int>(i);
  return -1;
}

std::vector<int> Graph::consumers(const std::string& tensor) const {
  std::vector<int> result;
  for (size_t i = 0; i < nodes.size(); ++i)
    for (const std::string& in : nodes[i].inputs)
      if (in == tensor) {
        result.push_back(static_cast<int>(i));
        break;
      }
  return result;
}

namespace {

std::vector<int64_t> gemmShape(const GraphNode& node, const std::vector<int64_t>& x,
                               const std::string& file) {
  if (x.size() != 2 && x.size() != 3)
    shapeError(file, node, "input must be [N, features] or a sequence [N, T, features], got " + dimsText(x));
  if (node.weight.cols() != x.back())
    shapeError(file, node,
               "weight has " + std::to_string(node.weight.cols()) + " inputs but the input " + dimsText(x) +
                   " has " + std::to_string(x.back()) + " features");
  if (node.bias.size() != node.weight.rows())
    shapeError(file, node,
               "bias has " + std::to_string(node.bias.size()) + " elements, expected " +
                   std::to_string(node.weight.rows()));
  std::vector<int64_t> out = x;
  out.back() = node.weight.rows();
  return out;
}

std::vector<int64_t> convShape(const GraphNode& node, const std::vector<int64_t>& x,
                               const std::string& file) {
  if (x.size() != 4) shapeError(file, node, "input must be [N, C, H, W], got " + dimsText(x));
  const WindowAttributes& w = node.window;
  int64_t per_group = w.kernel[0] * w.kernel[1];
  if (node.group < 1 || x[1] % node.group != 0 || node.weight.rows() % node.group != 0)
    shapeError(file, node,
               "group " + std::to_string(node.group) + " does not divide the " + std::to_string(x[1]) +
                   " input and " + std::to_string(node.weight.rows()) + " output channels");
  if (node.weight.cols() != x[1] / node.group * per_group)
    shapeError(file, node,
               "weight expects " + std::to_string(node.weight.cols() / per_group * node.group) +
                   " input channels but the input " + dimsText(x) + " has " + std::to_string(x[1]));
  if (node.bias.size() != node.weight.rows())
    shapeError(file, node,
               "bias has " + std::to_string(node.bias.size()) + " elements, expected " +
                   std::to_string(node.weight.rows()));
  int64_t h = windowOutput(x[2], w.pads[0], w.pads[2], w.kernel[0], w.strides[0], w.dilations[0], false);
  int64_t wd = windowOutput(x[3], w.pads[1], w.pads[3], w.kernel[1], w.strides[1], w.dilations[1], false);
  if (h <= 0 || wd <= 0) shapeError(file, node, "kernel larger than the padded input " + dimsText(x));
  return {kBatch, node.weight.rows(), h, wd};
}

}  // namespace

std::vector<int64_t> inferNodeShape(const GraphNode& node, const std::vector<std::vector<int64_t>>& in,
                                    const std::string& file) {
  const size_t expected_inputs = expectedInputs(node);
  if (node.op == OpKind::kConcat ? in.size() < 2 : in.size() != expected_inputs)
    shapeError(file, node,
               "expects " +
                   (node.op == OpKind::kConcat ? std::string("2 or more") : std::to_string(expected_inputs)) +
                   " activation input(s), got " + std::to_string(in.size()));
  const std::vector<int64_t>& x = in[0];
  if (x.empty() || x[0] != kBatch)
    shapeError(file, node, "input shape " + dimsText(x) + " has no batch dimension");
  switch (node.op) {
    case OpKind::kGemm:
      return gemmShape(node, x, file);
    case OpKind::kConv:
      return convShape(node, x, file);
    case OpKind::kMaxPool:
    case OpKind::kAveragePool: {
      if (x.size() != 4) shapeError(file, node, "input must be [N, C, H, W], got " + dimsText(x));
      const WindowAttributes& w = node.window;
      int64_t h =
          windowOutput(x[2], w.pads[0], w.pads[2], w.kernel[0], w.strides[0], w.dilations[0], w.ceil_mode);
      int64_t wd =
          windowOutput(x[3], w.pads[1], w.pads[3], w.kernel[1], w.strides[1], w.dilations[1], w.ceil_mode);
      if (h <= 0 || wd <= 0) shapeError(file, node, "window larger than the padded input " + dimsText(x));
      return {kBatch, x[1], h, wd};
    }
    case OpKind::kGlobalAveragePool: {
      if (x.size() < 3) shapeError(file, node, "input must have spatial dimensions, got " + dimsText(x));
      std::vector<int64_t> out(x.size(), 1);
      out[0] = kBatch;
      out[1] = x[1];
      return out;
    }
    case OpKind::kRelu:
    case OpKind::kClip:
      return x;
    case OpKind::kActivation:
      return activationShape(node, x, file);
    case OpKind::kConcat:
      return concatShape(node, in, file);
    case OpKind::kEmbedding:
      return embeddingShape(node, x, file);
    case OpKind::kLstm:
    case OpKind::kGru:
      return recurrentShape(node, in, file);
    case OpKind::kSlice:
      return sliceShape(node, x, file);
    case OpKind::kSoftmax:
    case OpKind::kLogSoftmax:
      if (node.axis < 1 || node.axis >= static_cast<int64_t>(x.size()))
        shapeError(file, node,
                   "axis " + std::to_string(node.axis) + " is not a feature axis of " + dimsText(x));
      return x;
    case OpKind::kBatchNormalization:
      if (x.size() < 2 || node.scale.size() != x[1] || node.shift.size() != x[1])
        shapeError(file, node,
                   "has " + std::to_string(node.scale.size()) + " channels but the input is " + dimsText(x));
      return x;
    case OpKind::kAdd:
    case OpKind::kMul:
      if (in[1] != x)
        shapeError(file, node, "operand shapes differ: " + dimsText(x) + " and " + dimsText(in[1]));
      return x;
    case OpKind::kFlatten: {
      if (node.axis < 1 || node.axis > static_cast<int64_t>(x.size()))
        shapeError(file, node,
                   "axis " + std::to_string(node.axis) + " must be in [1, " + std::to_string(x.size()) +
                       "] so that the batch stays first (input " + dimsText(x) + ")");
      if (node.axis != 1)
        shapeError(file, node,
                   "axis " + std::to_string(node.axis) +
                       " would split the batch from the features; only axis 1 is supported");
      int64_t features = 1;
      for (size_t i = 1; i < x.size(); ++i) features *= x[i];
      return {kBatch, features};
    }
    case OpKind::kReshape: {
      int64_t from = 1, to = 1;
      for (size_t i = 1; i < x.size(); ++i) from *= x[i];
      for (size_t i = 1; i < node.reshape.size(); ++i) to *= node.reshape[i];
      if (node.reshape.empty() || node.reshape[0] != kBatch || from != to)
        shapeError(file, node, "cannot reshape " + dimsText(x) + " to " + dimsText(node.reshape));
      return node.reshape;
    }
  }
  AIMC_ASSERT(false);
  return {};
}

void Graph::inferShapes() {
  std::map<std::string, std::vector<int64_t>> known;
  for (const std::string& in : inputs) known[in] = tensor(in).shape;
  for (const GraphNode& node : nodes) {
    std::vector<std::vector<int64_t>> shapes;
    for (const std::string& in : node.inputs) {
      auto it = known.find(in);
      if (it == known.end())
        throw UserError(source, 0, node.name, "input '" + in + "' is not produced before use");
      shapes.push_back(it->second);
    }
    std::vector<int64_t> out = inferNodeShape(node, shapes, source);
    known[node.output] = out;
    setTensor(GraphTensor{node.output, out});
  }
}

void Graph::validate() const {
  std::set<std::string> available(inputs.begin(), inputs.end());
  std::set<std::string> token_inputs;
  for (const std::string& in : inputs)
    if (hasTensor(in) && tensor(in).token_ids) token_inputs.insert(in);
  for (const GraphNode& node : nodes) {
    for (const std::string& in : node.inputs) {
      if (!available.count(in))
        throw UserError(source, 0, node.name, "input '" + in + "' is not produced before use");
      if (token_inputs.count(in) != (node.op == OpKind::kEmbedding))
        throw UserError(source, 0, node.name,
                        node.op == OpKind::kEmbedding
                            ? "an Embedding must read int64 token ids of a graph input, not '" + in + "'"
                            : std::string(opKindName(node.op)) + " reads '" + in +
                                  "', which holds int64 token ids; only an Embedding (Gather on a table) "
                                  "may read them");
    }
    if (available.count(node.output))
      throw UserError(source, 0, node.name, "tensor '" + node.output + "' is produced twice");
    available.insert(node.output);
  }
  for (const std::string& out : outputs)
    if (!available.count(out)) throw UserError(source, 0, out, "graph output is not produced by any node");
}

std::string Graph::summary() const {
  std::ostringstream s;
  for (const std::string& in : inputs)
    s << "input  " << in << " " << tensor(in).shapeText() << (tensor(in).token_ids ? " int64 token ids" : "")
      << "\n";
  for (const GraphNode& node : nodes) {
    s << node.name << "  " << opKindName(node.op) << "  ";
    for (size_t i = 0; i < node.inputs.size(); ++i) s << (i ? ", " : "") << node.inputs[i];
    s << " -> " << node.output << " " << (hasTensor(node.output) ? tensor(node.output).shapeText() : "?");
    switch (node.op) {
      case OpKind::kGemm:
        s << "  W[" << node.weight.rows() << "x" << node.weight.cols() << "]" << (node.has_bias ? " +b" : "");
        break;
      case OpKind::kConv:
        s << "  W[" << node.weight.rows() << "x" << node.weight.cols()
          << "] k=" << listText(node.window.kernel) << " s=" << listText(node.window.strides)
          << " p=" << listText(node.window.pads) << " d=" << listText(node.window.dilations)
          << " g=" << node.group << (node.has_bias ? " +b" : "");
        break;
      case OpKind::kMaxPool:
      case OpKind::kAveragePool:
        s << "  k=" << listText(node.window.kernel) << " s=" << listText(node.window.strides)
          << " p=" << listText(node.window.pads) << (node.window.ceil_mode ? " ceil" : "");
        if (node.op == OpKind::kAveragePool && node.window.count_include_pad) s << " count_include_pad";
        break;
      case OpKind::kClip:
        s << "  [" << node.clip_min << ", " << node.clip_max << "]";
        break;
      case OpKind::kFlatten:
      case OpKind::kSoftmax:
      case OpKind::kLogSoftmax:
      case OpKind::kConcat:
        s << "  axis=" << node.axis;
        break;
      case OpKind::kActivation:
        s << "  " << node.activation.describe();
        if (node.activation.kind == ActivationKind::kPRelu) s << " slope[" << node.slope.size() << "]";
        break;
      case OpKind::kEmbedding:
        s << "  table[" << node.weight.rows() << "x" << node.weight.cols() << "]";
        break;
      case OpKind::kLstm:
      case OpKind::kGru:
        s << "  W[" << node.weight.rows() << "x" << node.weight.cols() << "] hidden=" << node.recurrent.hidden
          << (node.recurrent.linear_before_reset ? " linear_before_reset" : "")
          << (node.recurrent.has_initial_h ? " +h0" : "") << (node.recurrent.has_initial_c ? " +c0" : "")
          << (node.recurrent.output == RecurrentOutput::kLastCell ? " out=Y_c" : " out=Y");
        break;
      case OpKind::kSlice:
        s << "  axis=" << node.axis << " [" << node.slice_start << ", " << node.slice_end << ")";
        break;
      default:
        break;
    }
    if (!node.folded.empty()) {
      s << "  folded:";
      for (const std::string& f : node.folded) s << " " << f;
    }
    s << "\n";
  }
  for (const std::string& out : outputs) s << "output " << out << "\n";
  return s.str();
}

int64_t Graph::weightCount() const {
  int64_t n = 0;
  for (const GraphNode& node : nodes)
    if (node.op == OpKind::kGemm || node.op == OpKind::kConv || node.op == OpKind::kLstm ||
        node.op == OpKind::kGru)
      n += node.weight.size();
  return n;
}

}  // namespace aimc
