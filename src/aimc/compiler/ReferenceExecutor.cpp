#include "aimc/compiler/ReferenceExecutor.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "aimc/base/Error.h"
#include "aimc/compiler/RecurrentReference.h"

namespace aimc {

namespace {

std::string dimsText(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "," : "") + (shape[i] == kBatch ? "N" : std::to_string(shape[i]));
  return s + "]";
}

ReferenceTensor withShape(std::vector<int64_t> graph_shape, int64_t batch) {
  ReferenceTensor t;
  t.shape = std::move(graph_shape);
  t.shape[0] = batch;
  t.data.assign(static_cast<size_t>(batch * t.sampleSize()), 0.0f);
  return t;
}

// y[n] = W x[n] + b for every batch item (and every position t of a sequence [N, T, D]): one float32 Eigen
// GEMM over the whole batch (the rows of x are the columns of a column-major [in, batch] map, no copy).
void gemm(const GraphNode& node, const Eigen::MatrixXf& w, const ReferenceTensor& x, ReferenceTensor& y) {
  const int64_t in = w.cols(), out = w.rows();
  const int64_t batch = static_cast<int64_t>(x.data.size()) / in;
  const Eigen::Map<const Eigen::MatrixXf> xs(x.data.data(), in, batch);
  Eigen::Map<Eigen::MatrixXf> ys(y.data.data(), out, batch);
  ys.noalias() = w * xs;
  ys.colwise() += node.bias.head(out);
}

// Convolution through im2col: per batch item and group, a [in/group * kh * kw, H_out * W_out] column matrix
// (the same [out, in * k * k] weight layout the crossbars hold).
void conv(const GraphNode& node, const Eigen::MatrixXf& w, const ReferenceTensor& x, ReferenceTensor& y) {
  const WindowAttributes& win = node.window;
  const int64_t channels = x.shape[1], height = x.shape[2], width = x.shape[3];
  const int64_t out_channels = y.shape[1], out_h = y.shape[2], out_w = y.shape[3];
  const int64_t kh = win.kernel[0], kw = win.kernel[1];
  const int64_t group_in = channels / node.group, group_out = out_channels / node.group;
  Eigen::MatrixXf columns(group_in * kh * kw, out_h * out_w);
  for (int64_t n = 0; n < x.batch(); ++n) {
    const float* xs = x.data.data() + n * channels * height * width;
    float* ys = y.data.data() + n * out_channels * out_h * out_w;
    for (int64_t g = 0; g < node.group; ++g) {
      for (int64_t c = 0; c < group_in; ++c)
        for (int64_t i = 0; i < kh; ++i)
          for (int64_t j = 0; j < kw; ++j) {
            int64_t row = (c * kh + i) * kw + j;
            for (int64_t oh = 0; oh < out_h; ++oh) {
              int64_t ih = oh * win.strides[0] - win.pads[0] + i * win.dilations[0];
              for (int64_t ow = 0; ow < out_w; ++ow) {
                int64_t iw = ow * win.strides[1] - win.pads[1] + j * win.dilations[1];
                bool inside = ih >= 0 && ih < height && iw >= 0 && iw < width;
                columns(row, oh * out_w + ow) =
                    inside ? xs[((g * group_in + c) * height + ih) * width + iw] : 0.0f;
              }
            }
          }
      // The result's rows are the output channels' planes: a row-major [group_out, H_out * W_out] view.
      Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> result(
          ys + g * group_out * out_h * out_w, group_out, out_h * out_w);
      result.noalias() = w.middleRows(g * group_out, group_out) * columns;
      result.colwise() += node.bias.segment(g * group_out, group_out);
    }
  }
}

// MaxPool ignores padded cells; AveragePool divides by the cells inside the padded input (count_include_pad)
// or inside the input only, as ONNX Runtime and PyTorch do (cells beyond the pads from ceil_mode never
// count).
void pool(const GraphNode& node, const ReferenceTensor& x, ReferenceTensor& y) {
  const WindowAttributes& win = node.window;
  const bool is_max = node.op == OpKind::kMaxPool;
  const int64_t planes = x.batch() * x.shape[1], height = x.shape[2], width = x.shape[3];
  const int64_t out_h = y.shape[2], out_w = y.shape[3];
  for (int64_t p = 0; p < planes; ++p) {
    const float* xs = x.data.data() + p * height * width;
    float* ys = y.data.data() + p * out_h * out_w;
    for (int64_t oh = 0; oh < out_h; ++oh)
      for (int64_t ow = 0; ow < out_w; ++ow) {
        int64_t h0 = oh * win.strides[0] - win.pads[0], w0 = ow * win.strides[1] - win.pads[1];
        double best = -std::numeric_limits<double>::infinity(), sum = 0.0;
        int64_t inside = 0;
        for (int64_t i = 0; i < win.kernel[0]; ++i)
          for (int64_t j = 0; j < win.kernel[1]; ++j) {
            int64_t ih = h0 + i * win.dilations[0], iw = w0 + j * win.dilations[1];
            if (ih < 0 || ih >= height || iw < 0 || iw >= width) continue;
            double v = xs[ih * width + iw];
            best = std::max(best, v);
            sum += v;
            ++inside;
          }
        if (is_max) {
          ys[oh * out_w + ow] = static_cast<float>(best);
        } else {
          int64_t divisor = inside;
          if (win.count_include_pad) {
            int64_t h_end = std::min(h0 + win.kernel[0], height + win.pads[2]);
            int64_t w_end = std::min(w0 + win.kernel[1], width + win.pads[3]);
            divisor = (h_end - h0) * (w_end - w0);
          }
          ys[oh * out_w + ow] = divisor > 0 ? static_cast<float>(sum / static_cast<double>(divisor)) : 0.0f;
        }
      }
  }
}

// softmax (or, with `log`, x - max - log(sum(exp(x - max)))) along `axis`, in double.
void softmax(const GraphNode& node, const ReferenceTensor& x, ReferenceTensor& y, bool log) {
  int64_t outer = 1, inner = 1, dim = x.shape[static_cast<size_t>(node.axis)];
  for (int64_t i = 0; i < node.axis; ++i) outer *= x.shape[static_cast<size_t>(i)];
  for (size_t i = static_cast<size_t>(node.axis) + 1; i < x.shape.size(); ++i) inner *= x.shape[i];
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k = 0; k < inner; ++k) {
      auto at = [&](int64_t d) { return static_cast<size_t>((o * dim + d) * inner + k); };
      double peak = -std::numeric_limits<double>::infinity(), total = 0.0;
      for (int64_t d = 0; d < dim; ++d) peak = std::max(peak, static_cast<double>(x.data[at(d)]));
      for (int64_t d = 0; d < dim; ++d) total += std::exp(static_cast<double>(x.data[at(d)]) - peak);
      const double shift = peak + std::log(total);
      for (int64_t d = 0; d < dim; ++d) {
        const double v = static_cast<double>(x.data[at(d)]);
        y.data[at(d)] = static_cast<float>(log ? v - shift : std::exp(v - peak) / total);
      }
    }
}

// activation_value per element; PReLU takes the slope of the element's channel (axis 1).
void activation(const GraphNode& node, const ReferenceTensor& x, ReferenceTensor& y) {
  ActivationSpec spec = node.activation;
  const bool per_channel = spec.kind == ActivationKind::kPRelu;
  const int64_t channels = x.shape.size() >= 2 ? x.shape[1] : 1;
  const int64_t area = channels > 0 ? x.sampleSize() / channels : 1;
  for (size_t i = 0; i < y.data.size(); ++i) {
    if (per_channel) spec.alpha = node.slope(static_cast<int64_t>(i) / area % channels);
    y.data[i] = static_cast<float>(activation_value(spec, static_cast<double>(x.data[i])));
  }
}

// Along axis 1 every batch item is its operands' items one after another.
void concat(const std::vector<const ReferenceTensor*>& parts, ReferenceTensor& y) {
  float* out = y.data.data();
  for (int64_t n = 0; n < y.batch(); ++n)
    for (const ReferenceTensor* part : parts) {
      const int64_t size = part->sampleSize();
      const float* from = part->data.data() + n * size;
      out = std::copy(from, from + size, out);
    }
}

// Row `id` of the table for every token id; ids are integers in [-vocab, vocab) (negative ones count from the
// end, as ONNX Gather does).
void embedding(const Graph& graph, const GraphNode& node, const ReferenceTensor& ids, ReferenceTensor& y) {
  const int64_t vocab = node.weight.rows(), dim = node.weight.cols();
  for (size_t i = 0; i < ids.data.size(); ++i) {
    const double v = ids.data[i];
    int64_t id = static_cast<int64_t>(v);
    if (v != static_cast<double>(id) || id < -vocab || id >= vocab)
      throw UserError(graph.source, 0, node.inputs[0],
                      "token id " + std::to_string(v) + " at element " + std::to_string(i) +
                          " is not an integer in [" + std::to_string(-vocab) + ", " + std::to_string(vocab) +
                          ") (the embedding table of node " + node.name + " has " + std::to_string(vocab) +
                          " rows)");
    if (id < 0) id += vocab;
    for (int64_t d = 0; d < dim; ++d)
      y.data[i * static_cast<size_t>(dim) + static_cast<size_t>(d)] = node.weight(id, d);
  }
}

// Positions [slice_start, slice_end) of axis `axis`.
void slice(const GraphNode& node, const ReferenceTensor& x, ReferenceTensor& y) {
  int64_t outer = 1, inner = 1;
  const int64_t size = x.shape[static_cast<size_t>(node.axis)], kept = node.slice_end - node.slice_start;
  for (int64_t i = 0; i < node.axis; ++i) outer *= x.shape[static_cast<size_t>(i)];
  for (size_t i = static_cast<size_t>(node.axis) + 1; i < x.shape.size(); ++i) inner *= x.shape[i];
  for (int64_t o = 0; o < outer; ++o) {
    const float* from = x.data.data() + (o * size + node.slice_start) * inner;
    std::copy(from, from + kept * inner, y.data.data() + o * kept * inner);
  }
}

// inputs: X, then h_0 if has_initial_h, then c_0 if has_initial_c. The cell runs in double
// (RecurrentReference.h): its weights are widened here, once per run.
void recurrent(const GraphNode& node, const Eigen::MatrixXf& w,
               const std::map<std::string, ReferenceTensor>& t, ReferenceTensor& y) {
  const ReferenceTensor& x = t.at(node.inputs[0]);
  RecurrentInputs in{x.data.data(), nullptr, nullptr, x.batch(), x.shape[1]};
  size_t next = 1;
  if (node.recurrent.has_initial_h) in.h0 = t.at(node.inputs[next++]).data.data();
  if (node.recurrent.has_initial_c) in.c0 = t.at(node.inputs[next++]).data.data();
  y.data = recurrent_forward(node, w.cast<double>(), in);
}

}  // namespace

int64_t ReferenceTensor::sampleSize() const {
  int64_t n = 1;
  for (size_t i = 1; i < shape.size(); ++i) n *= shape[i];
  return n;
}

ReferenceTensor ReferenceTensor::fromNpy(const NpyArray& array) {
  if (array.shape.empty()) throw UserError(array.source, 0, "shape", "a scalar cannot be a batch of inputs");
  return ReferenceTensor{array.shape, array.toFloatVector()};
}

NpyArray ReferenceTensor::toNpy() const {
  return NpyArray::fromFloat32(shape, data);
}

ReferenceExecutor::ReferenceExecutor(const Graph& graph) : graph_(graph) {}

std::map<std::string, double> ReferenceExecutor::Result::absmax() const {
  std::map<std::string, double> ranges;
  for (const auto& [name, t] : tensors) {
    double m = 0;
    for (float v : t.data) m = std::max(m, static_cast<double>(std::fabs(v)));
    ranges[name] = m;
  }
  return ranges;
}

ReferenceExecutor::Result ReferenceExecutor::run(const ReferenceTensor& input) const {
  if (graph_.inputs.size() != 1) {
    std::string names;
    for (const std::string& in : graph_.inputs) names += (names.empty() ? "" : ", ") + in;
    throw UserError(graph_.source, 0, "inputs",
                    "the graph has " + std::to_string(graph_.inputs.size()) + " inputs (" + names +
                        ", e.g. an RNN's initial states) but one input tensor was given; pass them by name");
  }
  return run(std::map<std::string, ReferenceTensor>{{graph_.inputs[0], input}});
}

ReferenceExecutor::Result ReferenceExecutor::run(const std::map<std::string, ReferenceTensor>& inputs) const {
  Result result;
  int64_t batch = -1;
  for (const std::string& name : graph_.inputs) {
    auto it = inputs.find(name);
    if (it == inputs.end()) throw UserError(graph_.source, 0, name, "no data given for this graph input");
    const std::vector<int64_t>& expected = graph_.tensor(name).shape;
    const ReferenceTensor& t = it->second;
    bool ok = t.shape.size() == expected.size() &&
              static_cast<int64_t>(t.data.size()) == t.batch() * t.sampleSize() && t.batch() >= 0;
    for (size_t i = 1; ok && i < expected.size(); ++i) ok = t.shape[i] == expected[i];
    if (!ok)
      throw UserError(graph_.source, 0, name,
                      "input data of shape " + dimsText(t.shape) + " does not match the graph input " +
                          dimsText(expected));
    if (batch >= 0 && t.batch() != batch)
      throw UserError(graph_.source, 0, name, "graph inputs have different batch sizes");
    batch = t.batch();
    result.tensors[name] = t;
  }
  for (size_t k = 0; k < graph_.nodes.size(); ++k) {
    const GraphNode& node = graph_.nodes[k];
    const ReferenceTensor& x = result.tensors.at(node.inputs[0]);
    ReferenceTensor y = withShape(graph_.tensor(node.output).shape, batch);
    const size_t count = y.data.size();
    switch (node.op) {
      case OpKind::kGemm:
        gemm(node, node.weight, x, y);
        break;
      case OpKind::kConv:
        conv(node, node.weight, x, y);
        break;
      case OpKind::kMaxPool:
      case OpKind::kAveragePool:
        pool(node, x, y);
        break;
      case OpKind::kGlobalAveragePool: {
        int64_t area = x.sampleSize() / x.shape[1];
        for (size_t p = 0; p < count; ++p) {
          double sum = 0.0;
          for (int64_t i = 0; i < area; ++i)
            sum += x.data[p * static_cast<size_t>(area) + static_cast<size_t>(i)];
          y.data[p] = static_cast<float>(sum / static_cast<double>(area));
        }
        break;
      }
      case OpKind::kRelu:
        for (size_t i = 0; i < count; ++i) y.data[i] = std::max(x.data[i], 0.0f);
        break;
      case OpKind::kClip:
        for (size_t i = 0; i < count; ++i)
          y.data[i] = std::min(std::max(x.data[i], node.clip_min), node.clip_max);
        break;
      case OpKind::kBatchNormalization: {
        int64_t channels = x.shape[1], area = x.sampleSize() / channels;
        for (size_t i = 0; i < count; ++i) {
          int64_t c = static_cast<int64_t>(i) / area % channels;
          y.data[i] = static_cast<float>(static_cast<double>(node.scale(c)) * x.data[i] + node.shift(c));
        }
        break;
      }
      case OpKind::kAdd: {
        const ReferenceTensor& x2 = result.tensors.at(node.inputs[1]);
        for (size_t i = 0; i < count; ++i) y.data[i] = x.data[i] + x2.data[i];
        break;
      }
      case OpKind::kFlatten:
      case OpKind::kReshape:
        y.data = x.data;
        break;
      case OpKind::kSoftmax:
        softmax(node, x, y, false);
        break;
      case OpKind::kLogSoftmax:
        softmax(node, x, y, true);
        break;
      case OpKind::kActivation:
        activation(node, x, y);
        break;
      case OpKind::kMul: {
        const ReferenceTensor& x2 = result.tensors.at(node.inputs[1]);
        for (size_t i = 0; i < count; ++i) y.data[i] = x.data[i] * x2.data[i];
        break;
      }
      case OpKind::kConcat: {
        std::vector<const ReferenceTensor*> parts;
        for (const std::string& in : node.inputs) parts.push_back(&result.tensors.at(in));
        concat(parts, y);
        break;
      }
      case OpKind::kEmbedding:
        embedding(graph_, node, x, y);
        break;
      case OpKind::kSlice:
        slice(node, x, y);
        break;
      case OpKind::kLstm:
      case OpKind::kGru:
        recurrent(node, node.weight, result.tensors, y);
        break;
    }
    result.tensors[node.output] = std::move(y);
  }
  result.outputs = graph_.outputs;
  return result;
}

std::vector<int32_t> ReferenceExecutor::argmax(const ReferenceTensor& logits) {
  AIMC_ASSERT(logits.shape.size() == 2);
  std::vector<int32_t> best(static_cast<size_t>(logits.batch()));
  int64_t classes = logits.shape[1];
  for (int64_t n = 0; n < logits.batch(); ++n) {
    const float* row = logits.data.data() + n * classes;
    best[static_cast<size_t>(n)] = static_cast<int32_t>(std::max_element(row, row + classes) - row);
  }
  return best;
}

}  // namespace aimc
