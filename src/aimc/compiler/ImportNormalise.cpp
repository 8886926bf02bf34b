#include "aimc/compiler/ImportNormalise.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "aimc/base/Error.h"

namespace aimc {

int64_t ConstTensor::count() const {
  int64_t n = 1;
  for (int64_t d : dims)
    if (d < 0 || __builtin_mul_overflow(n, d, &n) || n > kMaxConstantElements)
      throw Refusal("constant of shape " + shapeText(dims) + " has more than " +
                    std::to_string(kMaxConstantElements) + " elements or a negative dimension");
  return n;
}

std::string elementTypeName(int onnx_type) {
  switch (onnx_type) {
    case onnx::TensorProto_DataType_FLOAT:
      return "float32";
    case onnx::TensorProto_DataType_UINT8:
      return "uint8";
    case onnx::TensorProto_DataType_INT8:
      return "int8";
    case onnx::TensorProto_DataType_UINT16:
      return "uint16";
    case onnx::TensorProto_DataType_INT16:
      return "int16";
    case onnx::TensorProto_DataType_INT32:
      return "int32";
    case onnx::TensorProto_DataType_INT64:
      return "int64";
    case onnx::TensorProto_DataType_STRING:
      return "string";
    case onnx::TensorProto_DataType_BOOL:
      return "bool";
    case onnx::TensorProto_DataType_FLOAT16:
      return "float16";
    case onnx::TensorProto_DataType_DOUBLE:
      return "float64";
    case onnx::TensorProto_DataType_UINT32:
      return "uint32";
    case onnx::TensorProto_DataType_UINT64:
      return "uint64";
    case onnx::TensorProto_DataType_COMPLEX64:
      return "complex64";
    case onnx::TensorProto_DataType_COMPLEX128:
      return "complex128";
    case onnx::TensorProto_DataType_BFLOAT16:
      return "bfloat16";
    default:
      return "unknown type " + std::to_string(onnx_type);
  }
}

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "," : "") +
         (shape[i] == kBatch || shape[i] == kSymbolicBatch ? std::string("N") : std::to_string(shape[i]));
  return s + "]";
}

int64_t normaliseAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    throw Refusal("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> sortedAxes(std::vector<int64_t> axes, int64_t rank) {
  for (int64_t& a : axes) a = normaliseAxis(a, rank);
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) throw Refusal("repeated axis");
  return axes;
}

namespace {

// Copies element `from` of `src` to the end of `dst` (same element kind).
void pushElement(ConstTensor& dst, const ConstTensor& src, int64_t from) {
  if (src.is_float)
    dst.floats.push_back(src.floats[static_cast<size_t>(from)]);
  else
    dst.ints.push_back(src.ints[static_cast<size_t>(from)]);
}

ConstTensor emptyLike(const ConstTensor& c) {
  ConstTensor out;
  out.is_float = c.is_float;
  return out;
}

void refuseBatchArithmetic(const ConstTensor& c) {
  for (int64_t v : c.ints)
    if (v == kSymbolicBatch)
      throw Refusal(
          "arithmetic on the batch size is not supported (the batch must stay the first dimension)");
}

double valueAt(const ConstTensor& c, int64_t i) {
  size_t k = static_cast<size_t>(c.count() == 1 ? 0 : i);
  return c.is_float ? c.floats[k] : static_cast<double>(c.ints[k]);
}

}  // namespace

ConstTensor foldGather(const ConstTensor& data, const ConstTensor& indices, int64_t axis) {
  if (indices.is_float) throw Refusal("indices must be integers");
  if (data.dims.empty()) throw Refusal("cannot gather from a scalar");
  int64_t rank = static_cast<int64_t>(data.dims.size());
  axis = normaliseAxis(axis, rank);
  int64_t outer = 1, inner = 1, n = data.dims[static_cast<size_t>(axis)];
  for (int64_t i = 0; i < axis; ++i) outer *= data.dims[static_cast<size_t>(i)];
  for (int64_t i = axis + 1; i < rank; ++i) inner *= data.dims[static_cast<size_t>(i)];
  ConstTensor out = emptyLike(data);
  out.dims.assign(data.dims.begin(), data.dims.begin() + axis);
  out.dims.insert(out.dims.end(), indices.dims.begin(), indices.dims.end());
  out.dims.insert(out.dims.end(), data.dims.begin() + axis + 1, data.dims.end());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t idx : indices.ints) {
      if (idx < -n || idx >= n) throw Refusal("index " + std::to_string(idx) + " is out of range");
      if (idx < 0) idx += n;
      for (int64_t i = 0; i < inner; ++i) pushElement(out, data, (o * n + idx) * inner + i);
    }
  return out;
}

ConstTensor foldUnsqueeze(const ConstTensor& c, std::vector<int64_t> axes) {
  ConstTensor out = c;
  int64_t rank = static_cast<int64_t>(c.dims.size() + axes.size());
  axes = sortedAxes(axes, rank);
  for (int64_t a : axes) out.dims.insert(out.dims.begin() + a, 1);
  return out;
}

ConstTensor foldSqueeze(const ConstTensor& c, std::vector<int64_t> axes) {
  ConstTensor out = c;
  out.dims = squeezeShape(c.dims, std::move(axes));
  return out;
}

ConstTensor foldConcat(const std::vector<const ConstTensor*>& parts, int64_t axis) {
  if (parts.empty()) throw Refusal("no inputs");
  const ConstTensor& first = *parts[0];
  int64_t rank = static_cast<int64_t>(first.dims.size());
  axis = normaliseAxis(axis, rank);
  ConstTensor out = emptyLike(first);
  out.dims = first.dims;
  out.dims[static_cast<size_t>(axis)] = 0;
  int64_t outer = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= first.dims[static_cast<size_t>(i)];
  for (const ConstTensor* p : parts) {
    if (p->is_float != first.is_float || p->dims.size() != first.dims.size())
      throw Refusal("inputs differ in element type or rank");
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis && p->dims[static_cast<size_t>(i)] != first.dims[static_cast<size_t>(i)])
        throw Refusal("input shapes " + shapeText(first.dims) + " and " + shapeText(p->dims) + " differ");
    out.dims[static_cast<size_t>(axis)] += p->dims[static_cast<size_t>(axis)];
  }
  for (int64_t o = 0; o < outer; ++o)
    for (const ConstTensor* p : parts) {
      int64_t block = outer ? p->count() / outer : 0;
      for (int64_t i = 0; i < block; ++i) pushElement(out, *p, o * block + i);
    }
  return out;
}

ConstTensor foldSlice(const ConstTensor& c, const std::vector<int64_t>& starts,
                      const std::vector<int64_t>& ends, std::vector<int64_t> axes,
                      std::vector<int64_t> steps) {
  int64_t rank = static_cast<int64_t>(c.dims.size());
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    throw Refusal("starts, ends, axes and steps differ in length");
  std::vector<std::vector<int64_t>> picks(static_cast<size_t>(rank));
  for (int64_t d = 0; d < rank; ++d)
    for (int64_t i = 0; i < c.dims[static_cast<size_t>(d)]; ++i) picks[static_cast<size_t>(d)].push_back(i);
  for (size_t k = 0; k < starts.size(); ++k) {
    int64_t a = normaliseAxis(axes[k], rank), n = c.dims[static_cast<size_t>(a)], step = steps[k];
    if (step == 0) throw Refusal("step 0");
    auto clampIndex = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0) v += n;
      return std::max(lo, std::min(hi, v));
    };
    int64_t s = step > 0 ? clampIndex(starts[k], 0, n) : clampIndex(starts[k], -1, n - 1);
    int64_t e = step > 0 ? clampIndex(ends[k], 0, n) : clampIndex(ends[k], -1, n - 1);
    if (ends[k] < -n && step < 0) e = -1;
    std::vector<int64_t>& pick = picks[static_cast<size_t>(a)];
    pick.clear();
    for (int64_t i = s; step > 0 ? i < e : i > e; i += step) pick.push_back(i);
  }
  ConstTensor out = emptyLike(c);
  for (const std::vector<int64_t>& p : picks) out.dims.push_back(static_cast<int64_t>(p.size()));
  std::vector<size_t> at(static_cast<size_t>(rank), 0);
  for (int64_t n = 0; n < out.count(); ++n) {
    int64_t flat = 0;
    for (int64_t d = 0; d < rank; ++d)
      flat =
          flat * c.dims[static_cast<size_t>(d)] + picks[static_cast<size_t>(d)][at[static_cast<size_t>(d)]];
    pushElement(out, c, flat);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++at[static_cast<size_t>(d)] < picks[static_cast<size_t>(d)].size()) break;
      at[static_cast<size_t>(d)] = 0;
    }
  }
  return out;
}

ConstTensor foldCast(const ConstTensor& c, int onnx_type) {
  ConstTensor out;
  out.dims = c.dims;
  bool to_float =
      onnx_type == onnx::TensorProto_DataType_FLOAT || onnx_type == onnx::TensorProto_DataType_DOUBLE;
  bool to_int = onnx_type == onnx::TensorProto_DataType_INT64 ||
                onnx_type == onnx::TensorProto_DataType_INT32 ||
                onnx_type == onnx::TensorProto_DataType_INT16 ||
                onnx_type == onnx::TensorProto_DataType_INT8 || onnx_type == onnx::TensorProto_DataType_UINT8;
  bool to_bool = onnx_type == onnx::TensorProto_DataType_BOOL;
  if (!to_float && !to_int && !to_bool)
    throw Refusal("casting constants to " + elementTypeName(onnx_type) + " is not supported");
  out.is_float = to_float;
  if (to_float) {
    refuseBatchArithmetic(c);
    for (int64_t i = 0; i < c.count(); ++i) out.floats.push_back(static_cast<float>(valueAt(c, i)));
    return out;
  }
  for (int64_t i = 0; i < c.count(); ++i) {
    if (!c.is_float) {
      int64_t v = c.ints[static_cast<size_t>(i)];
      out.ints.push_back(to_bool && v != kSymbolicBatch ? v != 0 : v);
    } else {
      double v = c.floats[static_cast<size_t>(i)];
      out.ints.push_back(to_bool ? v != 0.0 : static_cast<int64_t>(std::trunc(v)));
    }
  }
  return out;
}

ConstTensor foldConstantOfShape(const ConstTensor& shape, const ConstTensor& value) {
  if (shape.is_float || shape.dims.size() != 1) throw Refusal("shape must be a 1-D integer tensor");
  for (int64_t d : shape.ints)
    if (d == kSymbolicBatch)
      throw Refusal("a constant whose size depends on the batch size is not supported");
    else if (d < 0)
      throw Refusal("shape has a negative dimension");
  if (value.count() != 1) throw Refusal("value must hold one element");
  ConstTensor out = emptyLike(value);
  out.dims = shape.ints;
  for (int64_t i = 0; i < out.count(); ++i) pushElement(out, value, 0);
  return out;
}

ConstTensor foldReshape(const ConstTensor& c, const ConstTensor& shape) {
  if (shape.is_float || shape.dims.size() != 1) throw Refusal("shape must be a 1-D integer tensor");
  ConstTensor out = c;
  out.dims.clear();
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < shape.ints.size(); ++i) {
    int64_t d = shape.ints[i];
    if (d == kSymbolicBatch) throw Refusal("a constant reshaped by the batch size");
    if (d == 0) d = i < c.dims.size() ? c.dims[i] : 0;
    if (d == -1) {
      if (infer >= 0) throw Refusal("shape has more than one -1");
      infer = static_cast<int64_t>(i);
    } else {
      known *= d;
    }
    out.dims.push_back(d);
  }
  if (infer >= 0) out.dims[static_cast<size_t>(infer)] = known ? c.count() / known : 0;
  if (out.count() != c.count())
    throw Refusal("cannot reshape " + shapeText(c.dims) + " to " + shapeText(shape.ints));
  return out;
}

ConstTensor foldTranspose(const ConstTensor& c, std::vector<int64_t> perm) {
  size_t rank = c.dims.size();
  if (perm.empty())
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  if (perm.size() != rank || sortedAxes(perm, static_cast<int64_t>(rank)).size() != rank)
    throw Refusal("perm " + shapeText(perm) + " is not a permutation of " + std::to_string(rank) + " axes");
  ConstTensor out = emptyLike(c);
  std::vector<int64_t> stride(rank, 1);
  for (size_t d = rank; d-- > 1;) stride[d - 1] = stride[d] * c.dims[d];
  for (int64_t a : perm) out.dims.push_back(c.dims[static_cast<size_t>(a)]);
  std::vector<int64_t> at(rank, 0);  // index into `out`
  for (int64_t n = 0; n < c.count(); ++n) {
    int64_t from = 0;
    for (size_t d = 0; d < rank; ++d) from += at[d] * stride[static_cast<size_t>(perm[d])];
    pushElement(out, c, from);
    for (size_t d = rank; d-- > 0;) {
      if (++at[d] < out.dims[d]) break;
      at[d] = 0;
    }
  }
  return out;
}

ConstTensor foldArithmetic(const std::string& op, const ConstTensor& a, const ConstTensor& b) {
  refuseBatchArithmetic(a);
  refuseBatchArithmetic(b);
  if (a.count() != 1 && b.count() != 1 && a.dims != b.dims)
    throw Refusal("constant operands of shapes " + shapeText(a.dims) + " and " + shapeText(b.dims) +
                  " (only equal shapes or a single value broadcast)");
  ConstTensor out;
  out.dims = a.count() == 1 && b.dims.size() >= a.dims.size() ? b.dims : a.dims;
  out.is_float = a.is_float || b.is_float;
  for (int64_t i = 0; i < out.count(); ++i) {
    double x = valueAt(a, i), y = valueAt(b, i);
    double r = op == "Add" ? x + y : op == "Sub" ? x - y : op == "Mul" ? x * y : 0.0;
    if (op == "Div") {
      if (!out.is_float && y == 0) throw Refusal("integer division by zero");
      // ONNX Div of integers truncates toward zero, as C++ does.
      const int64_t quotient = static_cast<int64_t>(x) / static_cast<int64_t>(y);
      r = out.is_float ? x / y : static_cast<double>(quotient);
    }
    if (out.is_float)
      out.floats.push_back(static_cast<float>(r));
    else
      out.ints.push_back(static_cast<int64_t>(r));
  }
  return out;
}

std::vector<int64_t> squeezeShape(const std::vector<int64_t>& shape, std::vector<int64_t> axes) {
  int64_t rank = static_cast<int64_t>(shape.size());
  if (axes.empty())
    for (int64_t i = 0; i < rank; ++i)
      if (shape[static_cast<size_t>(i)] == 1) axes.push_back(i);
  axes = sortedAxes(axes, rank);
  std::vector<int64_t> out;
  for (int64_t i = 0; i < rank; ++i) {
    bool drop = std::binary_search(axes.begin(), axes.end(), i);
    if (drop && shape[static_cast<size_t>(i)] != 1)
      throw Refusal("cannot squeeze axis " + std::to_string(i) + " of size " +
                    (shape[static_cast<size_t>(i)] == kBatch
                         ? std::string("N (the batch)")
                         : std::to_string(shape[static_cast<size_t>(i)])) +
                    " in " + shapeText(shape));
    if (!drop) out.push_back(shape[static_cast<size_t>(i)]);
  }
  return out;
}

std::vector<int64_t> unsqueezeShape(const std::vector<int64_t>& shape, std::vector<int64_t> axes) {
  int64_t rank = static_cast<int64_t>(shape.size() + axes.size());
  axes = sortedAxes(axes, rank);
  std::vector<int64_t> out = shape;
  for (int64_t a : axes) {
    if (a == 0) throw Refusal("a new first axis would move the batch out of the first dimension");
    out.insert(out.begin() + a, 1);
  }
  return out;
}

std::vector<int64_t> transposeShape(const std::vector<int64_t>& shape, const std::vector<int64_t>& perm) {
  size_t rank = shape.size();
  std::vector<int64_t> p = perm;
  if (p.empty())
    for (size_t i = 0; i < rank; ++i) p.push_back(static_cast<int64_t>(rank - 1 - i));
  std::vector<int64_t> check = sortedAxes(p, static_cast<int64_t>(rank));
  if (p.size() != rank || check.size() != rank)
    throw Refusal("perm " + shapeText(p) + " is not a permutation of " + std::to_string(rank) + " axes");
  std::vector<int64_t> out, moved;
  for (int64_t a : p) {
    out.push_back(shape[static_cast<size_t>(a)]);
    if (shape[static_cast<size_t>(a)] != 1) moved.push_back(a);
  }
  if (p[0] != 0 || !std::is_sorted(moved.begin(), moved.end()))
    throw Refusal("perm " + shapeText(p) + " of " + shapeText(shape) +
                  " reorders data (only permutations that move size-1 dimensions, i.e. layout-only views, "
                  "are supported; a data transpose would need a host-side step)");
  return out;
}

ChannelAffine constantAffine(const std::string& op, bool constant_first, const ConstTensor& c,
                             const std::vector<int64_t>& x, int64_t channel_axis) {
  if (!c.is_float) throw Refusal("the constant operand is not a floating-point tensor");
  if (x.size() < 2) throw Refusal("the activation has no channel axis");
  int64_t rank = static_cast<int64_t>(x.size()), channels = x[static_cast<size_t>(channel_axis)];
  int64_t n = c.count();
  bool per_channel = false;
  if (n != 1) {
    // Right-aligned broadcast: the constant's axis aligned with the activation's channel axis holds them.
    int64_t crank = static_cast<int64_t>(c.dims.size()), channel_at = crank - (rank - channel_axis);
    per_channel = channel_at >= 0 && n == channels && c.dims[static_cast<size_t>(channel_at)] == channels;
    if (!per_channel)
      throw Refusal("a constant of shape " + shapeText(c.dims) + " does not broadcast as one value per " +
                    (channel_axis == 1 ? "channel" : "feature") + " of " + shapeText(x) +
                    " (only a single value or one per channel, axis " + std::to_string(channel_axis) +
                    ", folds into the layer)");
  }
  ChannelAffine a{Eigen::VectorXf::Ones(channels), Eigen::VectorXf::Zero(channels)};
  for (int64_t ch = 0; ch < channels; ++ch) {
    double v = c.floats[static_cast<size_t>(per_channel ? ch : 0)];
    if (op == "Mul") {
      a.scale(ch) = static_cast<float>(v);
    } else if (op == "Add") {
      a.shift(ch) = static_cast<float>(v);
    } else if (op == "Sub") {
      a.scale(ch) = constant_first ? -1.0f : 1.0f;
      a.shift(ch) = static_cast<float>(constant_first ? v : -v);
    } else if (op == "Div") {
      if (constant_first) throw Refusal("a constant divided by an activation is not an affine function");
      if (v == 0.0) throw Refusal("division by a constant zero");
      a.scale(ch) = static_cast<float>(1.0 / v);
    } else {
      AIMC_ASSERT(false);
    }
  }
  return a;
}

void applyAffineAfter(GraphNode& node, const ChannelAffine& affine) {
  bool shift_only = (affine.scale.array() == 1.0f).all();
  if (node.op == OpKind::kBatchNormalization) {
    node.shift = (affine.scale.array() * node.shift.array() + affine.shift.array()).matrix();
    node.scale = (affine.scale.array() * node.scale.array()).matrix();
    return;
  }
  AIMC_ASSERT(node.op == OpKind::kGemm || node.op == OpKind::kConv);
  AIMC_ASSERT(affine.scale.size() == node.weight.rows());
  if (!shift_only) {
    node.weight = affine.scale.asDiagonal() * node.weight;
    node.bias = (affine.scale.array() * node.bias.array()).matrix();
  }
  node.bias += affine.shift;
  node.has_bias = node.has_bias || !affine.shift.isZero(0.0f);
}

int commuteActivationBeforeMaxPool(Graph& graph) {
  int swaps = 0;
  for (size_t r = 0; r < graph.nodes.size(); ++r) {
    GraphNode& act = graph.nodes[r];
    bool monotone = act.op == OpKind::kRelu || (act.op == OpKind::kClip && act.clip_min == 0.0f);
    if (!monotone) continue;
    int p = graph.producer(act.inputs[0]);
    if (p < 0 || graph.nodes[static_cast<size_t>(p)].op != OpKind::kMaxPool) continue;
    GraphNode& pool = graph.nodes[static_cast<size_t>(p)];
    if (graph.consumers(pool.output).size() != 1 ||
        std::count(graph.outputs.begin(), graph.outputs.end(), pool.output))
      continue;
    // pool: a -> b, act: b -> c  becomes  act: a -> b, pool: b -> c (and act moves to the pool's place).
    std::string a = pool.inputs[0], b = pool.output, c = act.output;
    act.inputs = {a};
    act.output = b;
    pool.inputs = {b};
    pool.output = c;
    std::swap(graph.nodes[static_cast<size_t>(p)], graph.nodes[r]);
    ++swaps;
  }
  if (swaps) graph.inferShapes();
  return swaps;
}

int mergeViewChains(Graph& graph) {
  auto isView = [](const GraphNode& n) { return n.op == OpKind::kReshape || n.op == OpKind::kFlatten; };
  int merged = 0;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    GraphNode& outer = graph.nodes[i];
    if (!isView(outer)) continue;
    int p = graph.producer(outer.inputs[0]);
    if (p < 0 || !isView(graph.nodes[static_cast<size_t>(p)])) continue;
    const GraphNode& inner = graph.nodes[static_cast<size_t>(p)];
    if (graph.consumers(inner.output).size() != 1 ||
        std::count(graph.outputs.begin(), graph.outputs.end(), inner.output))
      continue;
    outer.inputs = inner.inputs;
    outer.folded.insert(outer.folded.end(), inner.folded.begin(), inner.folded.end());
    outer.folded.push_back(inner.name);
    graph.nodes.erase(graph.nodes.begin() + p);
    --i;
    ++merged;
  }
  if (merged) graph.inferShapes();
  return merged;
}

namespace {

// W' = W diag(scale per input column's channel), b' = b + W shift, for a Gemm or Conv reading the affine.
void foldAffineIntoReader(GraphNode& reader, const GraphNode& affine) {
  int64_t channels = affine.scale.size();
  int64_t per_channel_cols =
      reader.op == OpKind::kConv ? reader.window.kernel[0] * reader.window.kernel[1] : 1;
  int64_t group_out = reader.weight.rows() / reader.group, group_in = channels / reader.group;
  for (Eigen::Index o = 0; o < reader.weight.rows(); ++o) {
    double extra = 0.0;
    for (Eigen::Index k = 0; k < reader.weight.cols(); ++k) {
      int64_t ch = (o / group_out) * group_in + k / per_channel_cols;
      extra += static_cast<double>(reader.weight(o, k)) * affine.shift(ch);
      reader.weight(o, k) *= affine.scale(ch);
    }
    reader.bias(o) = static_cast<float>(reader.bias(o) + extra);
  }
  reader.has_bias = reader.has_bias || !affine.shift.isZero(0.0f);
  reader.folded.insert(reader.folded.end(), affine.folded.begin(), affine.folded.end());
  reader.folded.push_back(affine.name);
  reader.inputs[0] = affine.inputs[0];
}

bool canFoldIntoReader(const Graph& graph, const GraphNode& affine, const GraphNode& reader) {
  if (reader.inputs.size() != 1 || reader.inputs[0] != affine.output) return false;
  if (reader.op == OpKind::kGemm) return graph.tensor(affine.output).shape.size() == 2;
  if (reader.op != OpKind::kConv) return false;
  bool padded =
      std::any_of(reader.window.pads.begin(), reader.window.pads.end(), [](int64_t p) { return p; });
  return !padded || affine.shift.isZero(0.0f);
}

}  // namespace

int foldAffinesIntoReaders(Graph& graph, const std::set<std::string>& names) {
  int folded = 0;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const GraphNode& affine = graph.nodes[i];
    if (affine.op != OpKind::kBatchNormalization || !names.count(affine.name)) continue;
    std::vector<int> readers = graph.consumers(affine.output);
    if (readers.size() != 1 || std::count(graph.outputs.begin(), graph.outputs.end(), affine.output))
      continue;
    GraphNode& reader = graph.nodes[static_cast<size_t>(readers[0])];
    if (!canFoldIntoReader(graph, affine, reader)) continue;
    foldAffineIntoReader(reader, affine);
    graph.nodes.erase(graph.nodes.begin() + static_cast<std::ptrdiff_t>(i));
    --i;
    ++folded;
  }
  if (folded) graph.inferShapes();
  return folded;
}

}  // namespace aimc
