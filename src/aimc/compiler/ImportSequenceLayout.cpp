#include "aimc/compiler/ImportSequenceLayout.h"

#include <algorithm>
#include <limits>
#include <string>

#include "aimc/compiler/Graph.h"

namespace aimc {

int64_t batchAxisOf(const std::vector<int64_t>& onnx_shape) {
  const auto n = std::count(onnx_shape.begin(), onnx_shape.end(), kBatch);
  if (n != 1) throw Refusal("the shape " + shapeText(onnx_shape) + " does not hold the batch exactly once");
  return std::find(onnx_shape.begin(), onnx_shape.end(), kBatch) - onnx_shape.begin();
}

std::vector<int64_t> heldShape(const std::vector<int64_t>& onnx_shape) {
  std::vector<int64_t> held{kBatch};
  for (int64_t d : onnx_shape)
    if (d != kBatch) held.push_back(d);
  batchAxisOf(onnx_shape);
  return held;
}

std::vector<int64_t> onnxShapeOf(const std::vector<int64_t>& held, int64_t batch_axis) {
  std::vector<int64_t> shape(held.begin() + 1, held.end());
  shape.insert(shape.begin() + batch_axis, kBatch);
  return shape;
}

int64_t heldAxis(int64_t onnx_axis, int64_t batch_axis) {
  return onnx_axis < batch_axis ? onnx_axis + 1 : onnx_axis;
}

std::vector<int64_t> sequenceTransposeShape(const std::vector<int64_t>& onnx_shape,
                                            const std::vector<int64_t>& perm) {
  const int64_t rank = static_cast<int64_t>(onnx_shape.size());
  std::vector<int64_t> p = perm;
  if (p.empty())
    for (int64_t i = rank - 1; i >= 0; --i) p.push_back(i);
  if (static_cast<int64_t>(p.size()) != rank || sortedAxes(p, rank).size() != p.size())
    throw Refusal("perm " + shapeText(p) + " is not a permutation of " + std::to_string(rank) + " axes");
  std::vector<int64_t> out, moved;
  for (int64_t a : p) {
    a = normaliseAxis(a, rank);
    const int64_t d = onnx_shape[static_cast<size_t>(a)];
    out.push_back(d);
    if (d != 1 && d != kBatch) moved.push_back(a);
  }
  if (!std::is_sorted(moved.begin(), moved.end()))
    throw Refusal("perm " + shapeText(p) + " of " + shapeText(onnx_shape) +
                  " reorders data (only permutations that move the batch or size-1 dimensions, i.e. "
                  "layout-only views, are supported)");
  return out;
}

std::vector<int64_t> sequenceUnsqueezeShape(const std::vector<int64_t>& onnx_shape,
                                            const std::vector<int64_t>& axes) {
  std::vector<int64_t> out = onnx_shape;
  for (int64_t a : sortedAxes(axes, static_cast<int64_t>(onnx_shape.size() + axes.size())))
    out.insert(out.begin() + a, 1);
  return out;
}

AxisRange gatherPosition(const std::vector<int64_t>& onnx_shape, const ConstTensor& indices, int64_t axis) {
  if (indices.is_float || indices.ints.size() != 1 || indices.dims.size() > 1)
    throw Refusal("only one constant integer index (a scalar or a 1-element list) is supported, got " +
                  shapeText(indices.dims));
  AxisRange r;
  r.axis = normaliseAxis(axis, static_cast<int64_t>(onnx_shape.size()));
  const int64_t size = onnx_shape[static_cast<size_t>(r.axis)];
  if (size == kBatch)
    throw Refusal("gathering from the batch axis " + std::to_string(r.axis) + " is not supported");
  int64_t index = indices.ints[0];
  if (index < -size || index >= size)
    throw Refusal("index " + std::to_string(index) + " is out of range for axis " + std::to_string(r.axis) +
                  " of size " + std::to_string(size));
  r.start = index < 0 ? index + size : index;
  r.end = r.start + 1;
  r.keeps_axis = indices.dims.size() == 1;
  return r;
}

namespace {

// ONNX Slice's clamping of one (start, end) pair with step 1 to [0, size].
std::pair<int64_t, int64_t> clampRange(int64_t start, int64_t end, int64_t size) {
  auto clamp = [size](int64_t v) { return std::max<int64_t>(0, std::min(size, v < 0 ? v + size : v)); };
  return {clamp(start), clamp(end)};
}

}  // namespace

AxisRange slicePositions(const std::vector<int64_t>& onnx_shape, const std::vector<int64_t>& starts,
                         const std::vector<int64_t>& ends, std::vector<int64_t> axes,
                         const std::vector<int64_t>& steps) {
  const int64_t rank = static_cast<int64_t>(onnx_shape.size());
  if (starts.size() != ends.size() || (!axes.empty() && axes.size() != starts.size()))
    throw Refusal("starts, ends and axes have different lengths");
  for (int64_t s : steps)
    if (s != 1) throw Refusal("only step 1 is supported, not " + std::to_string(s));
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  AxisRange r;
  r.axis = -1;
  for (size_t i = 0; i < axes.size(); ++i) {
    const int64_t axis = normaliseAxis(axes[i], rank), size = onnx_shape[static_cast<size_t>(axis)];
    const bool whole = starts[i] == 0 && (size == kBatch ? ends[i] >= std::numeric_limits<int32_t>::max()
                                                         : clampRange(0, ends[i], size).second == size);
    if (whole) continue;
    if (size == kBatch) throw Refusal("slicing the batch axis " + std::to_string(axis) + " is not supported");
    if (r.axis >= 0) throw Refusal("only a slice of one axis is supported");
    std::tie(r.start, r.end) = clampRange(starts[i], ends[i], size);
    r.axis = axis;
    if (r.start >= r.end) throw Refusal("the slice of axis " + std::to_string(axis) + " is empty");
  }
  if (r.axis < 0) throw Refusal("the slice keeps the whole tensor");
  return r;
}

bool expandsToZeroState(const ConstTensor& c, const ConstTensor& shape) {
  if (shape.is_float || std::count(shape.ints.begin(), shape.ints.end(), kSymbolicBatch) != 1)
    throw Refusal("the target shape must hold the batch size once");
  const bool zero = c.is_float ? std::all_of(c.floats.begin(), c.floats.end(), [](float v) { return v == 0; })
                               : std::all_of(c.ints.begin(), c.ints.end(), [](int64_t v) { return v == 0; });
  if (!zero)
    throw Refusal(
        "expanding a non-zero constant to the batch size is not supported (only the zero initial "
        "state of an RNN)");
  return true;
}

ConstTensor foldExpand(const ConstTensor& c, const ConstTensor& shape) {
  if (shape.is_float) throw Refusal("the shape must be integers");
  const size_t rank = std::max(c.dims.size(), shape.ints.size());
  std::vector<int64_t> in(rank, 1), out(rank, 1);
  std::copy(c.dims.begin(), c.dims.end(), in.end() - static_cast<std::ptrdiff_t>(c.dims.size()));
  std::copy(shape.ints.begin(), shape.ints.end(), out.end() - static_cast<std::ptrdiff_t>(shape.ints.size()));
  for (size_t a = 0; a < rank; ++a) {
    if (out[a] < 0) throw Refusal("the shape " + shapeText(shape.ints) + " is not concrete");
    if (in[a] != 1 && out[a] != 1 && in[a] != out[a])
      throw Refusal("cannot broadcast " + shapeText(c.dims) + " to " + shapeText(shape.ints));
    out[a] = std::max(in[a], out[a]);
  }
  ConstTensor r;
  r.dims = out;
  r.is_float = c.is_float;
  const int64_t n = r.count();
  for (int64_t i = 0; i < n; ++i) {
    int64_t rest = i, from = 0, stride = 1;
    for (size_t a = rank; a-- > 0;) {
      const int64_t pos = rest % out[a];
      rest /= out[a];
      if (in[a] != 1) from += pos * stride;
      stride *= in[a];
    }
    if (c.is_float)
      r.floats.push_back(c.floats[static_cast<size_t>(from)]);
    else
      r.ints.push_back(c.ints[static_cast<size_t>(from)]);
  }
  return r;
}

}  // namespace aimc

namespace aimc {

namespace {

bool isIdentityViewOfSequence(const Graph& graph, const GraphNode& node) {
  if (node.op != OpKind::kReshape || graph.tensor(node.inputs[0]).shape != graph.tensor(node.output).shape)
    return false;
  const int p = graph.producer(node.inputs[0]);
  if (p < 0) return false;
  const OpKind op = graph.nodes[static_cast<size_t>(p)].op;
  return op == OpKind::kLstm || op == OpKind::kGru || op == OpKind::kSlice;
}

bool isGraphOutput(const Graph& graph, const std::string& tensor) {
  return std::find(graph.outputs.begin(), graph.outputs.end(), tensor) != graph.outputs.end();
}

}  // namespace

int dropIdentityViews(Graph& graph) {
  int dropped = 0;
  for (size_t i = 0; i < graph.nodes.size();) {
    const GraphNode& view = graph.nodes[i];
    if (!isIdentityViewOfSequence(graph, view)) {
      ++i;
      continue;
    }
    const std::string from = view.output, to = view.inputs[0];
    if (isGraphOutput(graph, from)) {
      if (graph.consumers(to).size() != 1 || isGraphOutput(graph, to)) {
        ++i;
        continue;
      }
      graph.nodes[static_cast<size_t>(graph.producer(to))].output = from;
    } else {
      for (GraphNode& reader : graph.nodes)
        std::replace(reader.inputs.begin(), reader.inputs.end(), from, to);
    }
    graph.nodes.erase(graph.nodes.begin() + static_cast<std::ptrdiff_t>(i));
    ++dropped;
  }
  return dropped;
}

}  // namespace aimc
