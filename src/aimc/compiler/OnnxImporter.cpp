#include "aimc/compiler/OnnxImporter.h"

#include <onnx/onnx_pb.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "aimc/base/Error.h"
#include "aimc/base/InputFile.h"
#include "aimc/compiler/ActivationPatterns.h"
#include "aimc/compiler/ImportActivations.h"
#include "aimc/compiler/ImportNormalise.h"
#include "aimc/compiler/ImportRecurrent.h"
#include "aimc/compiler/ImportSequenceLayout.h"

namespace aimc {

namespace {

const char* const kSupportedOps =
    "Gemm, MatMul, Conv (1-D and 2-D), Relu, Clip, BatchNormalization, Add, Sub, Mul, Div (with a constant), "
    "MaxPool, AveragePool, GlobalAveragePool, ReduceMean (over the spatial axes), Pad (constant zero, before "
    "a Conv or pool), Flatten, Reshape, Squeeze, Unsqueeze, Transpose (layout-only), Softmax, Identity, "
    "Dropout, Constant, Sigmoid, Tanh, LeakyRelu, PRelu, Elu, HardSigmoid, HardSwish, Cos, Sin, GELU and "
    "SiLU "
    "in the forms torch exports, Concat, Mul of two activations, LogSoftmax, Gather (an embedding lookup, or "
    "one position of a sequence), Slice (a range of one axis), LSTM and GRU (forward), "
    "and on constants or shapes: Shape, Gather, Concat, Slice, Cast, ConstantOfShape, Transpose, Expand";

std::string dimsText(const std::vector<int64_t>& shape) {
  return shapeText(shape);
}

// Operators folded away when every input is a constant (shape arithmetic and constant expressions).
bool foldsOnConstants(const std::string& op) {
  static const std::set<std::string> kOps{
      "Gather",  "Unsqueeze", "Squeeze", "Concat", "Slice", "Cast", "ConstantOfShape",
      "Reshape", "Transpose", "Add",     "Sub",    "Mul",   "Div"};
  return kOps.count(op) > 0;
}

class ImportSession {
 public:
  ImportSession(const std::string& path, const onnx::ModelProto& model) : path_(path), model_(model) {}

  Graph run() {
    if (!model_.has_graph())
      throw UserError(path_, 0, "graph", "the model has no graph (not an ONNX model?)");
    const onnx::GraphProto& g = model_.graph();
    graph_.name = g.name();
    graph_.source = path_;
    readOpset();
    for (const onnx::TensorProto& t : g.initializer())
      constants_[t.name()] = decode(t, "initializer '" + t.name() + "'");
    for (const onnx::ValueInfoProto& in : g.input()) {
      if (constants_.count(in.name())) continue;  // IR < 4 lists initializers among the inputs
      addGraphInput(in);
    }
    if (graph_.inputs.empty()) throw UserError(path_, 0, "graph.input", "the graph has no runtime input");
    if (g.output_size() == 0) throw UserError(path_, 0, "graph.output", "the graph declares no output");
    countReaders();
    std::vector<int> order = topologicalOrder();
    for (int i : order) convert(g.node(i), i);
    for (const onnx::ValueInfoProto& out : g.output()) {
      std::string name = resolve(out.name());
      if (!shapes_.count(name))
        throw UserError(path_, 0, out.name(), "graph output is not produced by any supported node");
      checkDeclaredShape(out, out.name());
      graph_.outputs.push_back(name);
    }
    graph_.validate();
    graph_.inferShapes();
    checkTensorSizes();
    commuteActivationBeforeMaxPool(graph_);
    foldAffinesIntoReaders(graph_, affines_);
    mergeViewChains(graph_);
    dropIdentityViews(graph_);
    return graph_;
  }

 private:
  // ---- errors --------------------------------------------------------------------------------------------
  [[noreturn]] void nodeError(const onnx::NodeProto& node, const std::string& reason) const {
    throw UserError(path_, 0, nodeName(node), node.op_type() + ": " + reason);
  }
  std::string nodeName(const onnx::NodeProto& node) const {
    if (!node.name().empty()) return node.name();
    return node.op_type() + "_" + std::to_string(current_index_);
  }

  // ---- model-level ---------------------------------------------------------------------------------------
  void readOpset() {
    for (const onnx::OperatorSetIdProto& id : model_.opset_import())
      if (id.domain().empty() || id.domain() == "ai.onnx") opset_ = id.version();
    if (opset_ == 0) throw UserError(path_, 0, "opset_import", "no opset for the default ONNX domain");
    if (opset_ < 7 || opset_ > 18)
      throw UserError(path_, 0, "opset_import",
                      "opset " + std::to_string(opset_) + " is not supported (7 to 18 are)");
  }

  // Every activation tensor after shape inference: no empty dimension (a Gemm with 0 outputs, a Slice to
  // nothing) and a bounded size, named by the node producing it.
  void checkTensorSizes() const {
    for (const GraphTensor& t : graph_.tensors()) {
      const int producer = graph_.producer(t.name);
      const std::string node =
          producer < 0 ? "graph input" : graph_.nodes[static_cast<size_t>(producer)].name;
      int64_t n = 1;
      for (size_t i = 1; i < t.shape.size(); ++i) {
        if (t.shape[i] <= 0)
          throw UserError(path_, 0, node,
                          "tensor '" + t.name + "' has the empty or negative shape " + t.shapeText());
        if (__builtin_mul_overflow(n, t.shape[i], &n) || n > kMaxConstantElements)
          throw UserError(path_, 0, node,
                          "tensor '" + t.name + "' of shape " + t.shapeText() + " has more than " +
                              std::to_string(kMaxConstantElements) + " values per sample");
      }
    }
  }

  ConstTensor decode(const onnx::TensorProto& t, const std::string& what) const {
    ConstTensor c;
    for (int64_t d : t.dims()) {
      if (d < 0) throw UserError(path_, 0, t.name(), what + " has a negative dimension");
      c.dims.push_back(d);
    }
    if (t.data_location() == onnx::TensorProto_DataLocation_EXTERNAL)
      throw UserError(path_, 0, t.name(), what + " uses external data files, which are not supported");
    int64_t n = 0;
    try {
      n = c.count();
    } catch (const Refusal& r) {
      throw UserError(path_, 0, t.name(), what + ": " + r.what());
    }
    if (n == 0) throw UserError(path_, 0, t.name(), what + " has an empty dimension " + dimsText(c.dims));
    const std::string& raw = t.raw_data();
    auto need = [&](int64_t have, int item) {
      if (have != n)
        throw UserError(path_, 0, t.name(),
                        what + " holds " + std::to_string(have) + " values but its shape " +
                            dimsText(c.dims) + " needs " + std::to_string(n) +
                            (item ? " (raw_data of " + std::to_string(raw.size()) + " bytes)" : ""));
    };
    switch (t.data_type()) {
      case onnx::TensorProto_DataType_FLOAT:
        if (!raw.empty()) {
          need(static_cast<int64_t>(raw.size() / 4), 4);
          if (raw.size() % 4) need(-1, 4);
          c.floats.resize(static_cast<size_t>(n));
          if (n) std::memcpy(c.floats.data(), raw.data(), raw.size());
        } else {
          need(t.float_data_size(), 0);
          c.floats.assign(t.float_data().begin(), t.float_data().end());
        }
        break;
      case onnx::TensorProto_DataType_DOUBLE:
        if (!raw.empty()) {
          need(static_cast<int64_t>(raw.size() / 8), 8);
          if (raw.size() % 8) need(-1, 8);
          for (int64_t i = 0; i < n; ++i) {
            double v;
            std::memcpy(&v, raw.data() + 8 * i, 8);
            c.floats.push_back(static_cast<float>(v));
          }
        } else {
          need(t.double_data_size(), 0);
          for (double v : t.double_data()) c.floats.push_back(static_cast<float>(v));
        }
        break;
      case onnx::TensorProto_DataType_INT64:
        c.is_float = false;
        if (!raw.empty()) {
          need(static_cast<int64_t>(raw.size() / 8), 8);
          if (raw.size() % 8) need(-1, 8);
          c.ints.resize(static_cast<size_t>(n));
          if (n) std::memcpy(c.ints.data(), raw.data(), raw.size());
        } else {
          need(t.int64_data_size(), 0);
          c.ints.assign(t.int64_data().begin(), t.int64_data().end());
        }
        break;
      case onnx::TensorProto_DataType_INT32:
        c.is_float = false;
        if (!raw.empty()) {
          need(static_cast<int64_t>(raw.size() / 4), 4);
          if (raw.size() % 4) need(-1, 4);
          for (int64_t i = 0; i < n; ++i) {
            int32_t v;
            std::memcpy(&v, raw.data() + 4 * i, 4);
            c.ints.push_back(v);
          }
        } else {
          need(t.int32_data_size(), 0);
          c.ints.assign(t.int32_data().begin(), t.int32_data().end());
        }
        break;
      case onnx::TensorProto_DataType_BOOL:
      case onnx::TensorProto_DataType_INT8:
      case onnx::TensorProto_DataType_UINT8:
      case onnx::TensorProto_DataType_INT16:
        decodeSmallInts(t, c, what);
        break;
      default:
        throw UserError(path_, 0, t.name(),
                        what + " has element type " + elementTypeName(t.data_type()) +
                            "; only float32, float64, bool and integer (int8 to int64, uint8) constants are "
                            "supported");
    }
    for (size_t i = 0; i < c.floats.size(); ++i)
      if (!std::isfinite(c.floats[i]))
        throw UserError(path_, 0, t.name(),
                        what + " holds NaN or infinity (element " + std::to_string(i) +
                            "); weights and constants must be finite");
    return c;
  }

  // bool, int8, uint8, int16: raw_data of 1 or 2 bytes per element, or int32_data.
  void decodeSmallInts(const onnx::TensorProto& t, ConstTensor& c, const std::string& what) const {
    c.is_float = false;
    const std::string& raw = t.raw_data();
    int type = t.data_type();
    size_t item = type == onnx::TensorProto_DataType_INT16 ? 2 : 1;
    size_t n = static_cast<size_t>(c.count());
    if (raw.empty() ? static_cast<size_t>(t.int32_data_size()) != n : raw.size() != n * item)
      throw UserError(path_, 0, t.name(),
                      what + " (" + elementTypeName(type) +
                          ") holds the wrong number of values for its shape " + dimsText(c.dims));
    for (size_t i = 0; i < n; ++i) {
      if (!raw.empty() && item == 2) {
        int16_t v;
        std::memcpy(&v, raw.data() + 2 * i, 2);
        c.ints.push_back(v);
      } else if (!raw.empty()) {
        unsigned char byte = static_cast<unsigned char>(raw[i]);
        c.ints.push_back(type == onnx::TensorProto_DataType_INT8 ? static_cast<int8_t>(byte) : byte);
      } else {
        c.ints.push_back(t.int32_data(static_cast<int>(i)));
      }
    }
  }

  void addGraphInput(const onnx::ValueInfoProto& in) {
    if (!in.type().has_tensor_type()) throw UserError(path_, 0, in.name(), "graph input is not a tensor");
    const onnx::TypeProto_Tensor& tt = in.type().tensor_type();
    const bool token_ids = tt.elem_type() == onnx::TensorProto_DataType_INT64;
    if (tt.elem_type() != onnx::TensorProto_DataType_FLOAT && !token_ids)
      throw UserError(path_, 0, in.name(),
                      "graph input has element type " + elementTypeName(tt.elem_type()) +
                          "; only float32 inputs and int64 token ids (read by an embedding Gather) are "
                          "supported");
    if (!tt.has_shape() || tt.shape().dim_size() < 2)
      throw UserError(path_, 0, in.name(), "graph input needs a shape [batch, features...] of rank >= 2");
    // A time-major sequence [T, N, F] or stacked states [layers, N, H] of an LSTM/GRU: batch on axis 1.
    const int batch_axis = tt.shape().dim_size() == 3 && readAsRecurrentMajor(in.name()) ? 1 : 0;
    std::vector<int64_t> shape{kBatch};
    int64_t values = 1;
    for (int i = 0; i < tt.shape().dim_size(); ++i) {
      if (i == batch_axis) continue;
      const onnx::TensorShapeProto_Dimension& d = tt.shape().dim(i);
      if (!d.has_dim_value() || d.dim_value() <= 0)
        throw UserError(path_, 0, in.name(),
                        "dimension " + std::to_string(i) +
                            " of the graph input is symbolic or not positive; only "
                            "the first (batch) dimension may be symbolic");
      shape.push_back(d.dim_value());
      if (__builtin_mul_overflow(values, d.dim_value(), &values) || values > kMaxConstantElements)
        throw UserError(path_, 0, in.name(),
                        "the graph input holds more than " + std::to_string(kMaxConstantElements) +
                            " values per sample (dimension " + std::to_string(i) + " is " +
                            std::to_string(d.dim_value()) + ")");
    }
    if (tt.shape().dim(batch_axis).has_dim_value()) declared_batch_ = tt.shape().dim(batch_axis).dim_value();
    if (batch_axis != 0) batch_axis_[in.name()] = batch_axis;
    // [N, C, L] read by a 1-D Conv or pool is held as [N, C, 1, L] (1 x k windows); same C-order data.
    if (shape.size() == 3 && readByWindow(in.name())) {
      shape.insert(shape.begin() + 2, 1);
      lifted_.insert(in.name());
    }
    graph_.inputs.push_back(in.name());
    graph_.setTensor(GraphTensor{in.name(), shape, token_ids});
    if (token_ids) token_inputs_.insert(in.name());
    shapes_[in.name()] = shape;
  }

  // Whether an LSTM/GRU reads the tensor as X or as an initial state, directly or through a Slice (torch's
  // per-layer slice of [layers, N, H]).
  bool readAsRecurrentMajor(const std::string& tensor) const {
    for (const onnx::NodeProto& n : model_.graph().node())
      for (int i = 0; i < n.input_size(); ++i) {
        if (n.input(i) != tensor) continue;
        if ((n.op_type() == "LSTM" || n.op_type() == "GRU") && (i == 0 || i == 5 || i == 6)) return true;
        if (n.op_type() == "Slice" && i == 0 && n.output_size() > 0 && readAsRecurrentState(n.output(0)))
          return true;
      }
    return false;
  }
  bool readAsRecurrentState(const std::string& tensor) const {
    for (const onnx::NodeProto& n : model_.graph().node())
      if (n.op_type() == "LSTM" || n.op_type() == "GRU")
        for (int i = 5; i < std::min(7, n.input_size()); ++i)
          if (n.input(i) == tensor) return true;
    return false;
  }

  // Whether a Conv, pool, Pad or BatchNormalization reads the tensor directly.
  bool readByWindow(const std::string& tensor) const {
    for (const onnx::NodeProto& n : model_.graph().node())
      for (const std::string& in : n.input())
        if (in == tensor &&
            (n.op_type() == "Conv" || n.op_type() == "MaxPool" || n.op_type() == "AveragePool" ||
             n.op_type() == "Pad" || n.op_type() == "BatchNormalization"))
          return true;
    return false;
  }

  void countReaders() {
    for (const onnx::NodeProto& n : model_.graph().node())
      for (const std::string& in : n.input()) ++readers_[in];
    for (const onnx::ValueInfoProto& out : model_.graph().output()) ++readers_[out.name()];
  }

  // Kahn's algorithm over the ONNX nodes: reports unknown inputs and cycles; returns a valid execution order
  // (the file's order when it already is one).
  std::vector<int> topologicalOrder() {
    const onnx::GraphProto& g = model_.graph();
    std::map<std::string, int> producer;
    for (int i = 0; i < g.node_size(); ++i)
      for (const std::string& out : g.node(i).output())
        if (!out.empty()) {
          if (producer.count(out) || constants_.count(out) || shapes_.count(out)) {
            current_index_ = i;
            nodeError(g.node(i), "output '" + out + "' is already defined elsewhere in the graph");
          }
          producer[out] = i;
        }
    std::vector<int> missing(static_cast<size_t>(g.node_size()), 0);
    std::vector<std::vector<int>> readers(static_cast<size_t>(g.node_size()));
    for (int i = 0; i < g.node_size(); ++i) {
      for (const std::string& in : g.node(i).input()) {
        if (in.empty() || constants_.count(in) || shapes_.count(in)) continue;
        auto it = producer.find(in);
        if (it == producer.end()) {
          current_index_ = i;
          nodeError(g.node(i),
                    "input '" + in + "' is unknown: not a graph input, an initializer or a node output");
        }
        ++missing[static_cast<size_t>(i)];
        readers[static_cast<size_t>(it->second)].push_back(i);
      }
    }
    std::vector<int> ready, order;
    for (int i = 0; i < g.node_size(); ++i)
      if (missing[static_cast<size_t>(i)] == 0) ready.push_back(i);
    // Lowest index first keeps the file's order when it is already topological.
    std::set<int> queue(ready.begin(), ready.end());
    while (!queue.empty()) {
      int i = *queue.begin();
      queue.erase(queue.begin());
      order.push_back(i);
      for (int r : readers[static_cast<size_t>(i)])
        if (--missing[static_cast<size_t>(r)] == 0) queue.insert(r);
    }
    if (static_cast<int>(order.size()) != g.node_size()) {
      std::string cycle;
      for (int i = 0; i < g.node_size(); ++i)
        if (missing[static_cast<size_t>(i)] > 0) {
          current_index_ = i;
          cycle += (cycle.empty() ? "" : ", ") + nodeName(g.node(i));
        }
      throw UserError(path_, 0, "graph", "the graph has a cycle through nodes: " + cycle);
    }
    return order;
  }

  // ---- helpers for node conversion ------------------------------------------------------------------------
  std::string resolve(const std::string& name) const {
    auto it = alias_.find(name);
    return it == alias_.end() ? name : it->second;
  }
  bool isConstant(const std::string& name) const { return constants_.count(name) > 0; }
  bool isActivation(const std::string& name) const { return shapes_.count(resolve(name)) > 0; }

  std::string activation(const onnx::NodeProto& node, int index) const {
    std::string held = sequenceActivation(node, index);
    if (batchAxis(node.input(index)) != 0)
      nodeError(node, "input " + std::to_string(index) + " ('" + node.input(index) +
                          "') has the batch on axis " + std::to_string(batchAxis(node.input(index))) +
                          " of " + dimsText(onnxShape(node.input(index))) +
                          " (a time-major sequence or state of an LSTM/GRU); only Transpose, Squeeze, "
                          "Unsqueeze, Gather and Slice of one axis, Shape, LSTM and GRU read such a tensor");
    return held;
  }
  // An activation input whose batch may be on any axis (the layout-aware converters).
  std::string sequenceActivation(const onnx::NodeProto& node, int index) const {
    if (index >= node.input_size() || node.input(index).empty())
      nodeError(node, "input " + std::to_string(index) + " is missing");
    const std::string& name = node.input(index);
    if (isConstant(name))
      nodeError(node, "input " + std::to_string(index) + " ('" + name +
                          "') is a constant; this operator expects an activation there");
    if (zero_states_.count(name))
      nodeError(node,
                "input " + std::to_string(index) + " ('" + name +
                    "') is an Expand of zeros to the batch size; only an LSTM/GRU initial state may read it");
    if (pads_.count(name))
      nodeError(node, "reads the output of Pad '" + pads_.at(name).node +
                          "'; a zero Pad folds only into a following Conv, AveragePool or MaxPool");
    if (token_inputs_.count(resolve(name)))
      nodeError(node, "input " + std::to_string(index) + " ('" + name +
                          "') holds int64 token ids; only a Gather on an embedding table may read them");
    return resolve(name);
  }
  const ConstTensor& constant(const onnx::NodeProto& node, int index, const char* role) const {
    if (index >= node.input_size() || node.input(index).empty())
      nodeError(node, std::string("missing ") + role + " (input " + std::to_string(index) + ")");
    const std::string& name = node.input(index);
    auto it = constants_.find(name);
    if (it == constants_.end())
      nodeError(node, std::string("missing initializer: the ") + role + " '" + name +
                          "' is a runtime tensor, but weights and parameters must be stored in the model as "
                          "initializers");
    if (!it->second.is_float && std::string(role) != "shape")
      nodeError(node, std::string("the ") + role + " '" + name + "' is not a floating-point tensor");
    return it->second;
  }
  const onnx::AttributeProto* attribute(const onnx::NodeProto& node, const char* name) const {
    for (const onnx::AttributeProto& a : node.attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  int64_t intAttr(const onnx::NodeProto& node, const char* name, int64_t fallback) const {
    const onnx::AttributeProto* a = attribute(node, name);
    if (!a) return fallback;
    if (a->type() != onnx::AttributeProto_AttributeType_INT)
      nodeError(node, std::string("attribute ") + name + " is not an int");
    return a->i();
  }
  float floatAttr(const onnx::NodeProto& node, const char* name, float fallback) const {
    const onnx::AttributeProto* a = attribute(node, name);
    if (!a) return fallback;
    if (a->type() != onnx::AttributeProto_AttributeType_FLOAT)
      nodeError(node, std::string("attribute ") + name + " is not a float");
    return a->f();
  }
  std::vector<int64_t> intsAttr(const onnx::NodeProto& node, const char* name,
                                std::vector<int64_t> fallback) const {
    const onnx::AttributeProto* a = attribute(node, name);
    if (!a) return fallback;
    if (a->type() != onnx::AttributeProto_AttributeType_INTS)
      nodeError(node, std::string("attribute ") + name + " is not a list of ints");
    return std::vector<int64_t>(a->ints().begin(), a->ints().end());
  }
  std::vector<std::string> stringsAttr(const onnx::NodeProto& node, const char* name) const {
    const onnx::AttributeProto* a = attribute(node, name);
    if (!a) return {};
    if (a->type() != onnx::AttributeProto_AttributeType_STRINGS)
      nodeError(node, std::string("attribute ") + name + " is not a list of strings");
    return std::vector<std::string>(a->strings().begin(), a->strings().end());
  }
  std::string stringAttr(const onnx::NodeProto& node, const char* name, const std::string& fallback) const {
    const onnx::AttributeProto* a = attribute(node, name);
    if (!a) return fallback;
    if (a->type() != onnx::AttributeProto_AttributeType_STRING)
      nodeError(node, std::string("attribute ") + name + " is not a string");
    return a->s();
  }
  // Rejects attributes this importer does not know, so that nothing the network relies on is silently
  // dropped.
  void allowOnly(const onnx::NodeProto& node, std::initializer_list<const char*> known) const {
    for (const onnx::AttributeProto& a : node.attribute()) {
      bool ok = false;
      for (const char* k : known) ok = ok || a.name() == k;
      if (!ok) nodeError(node, "unsupported attribute '" + a.name() + "'");
    }
  }
  void singleOutput(const onnx::NodeProto& node) const {
    for (int i = 1; i < node.output_size(); ++i)
      if (!node.output(i).empty() && readers_.count(node.output(i)))
        nodeError(node,
                  "output " + std::to_string(i) + " ('" + node.output(i) + "') is used but not supported");
    if (node.output_size() < 1 || node.output(0).empty()) nodeError(node, "has no output");
  }

  void append(GraphNode ir, const onnx::NodeProto& node) {
    std::vector<std::vector<int64_t>> in;
    for (const std::string& name : ir.inputs) in.push_back(shapes_.at(name));
    ir.name = nodeName(node);
    std::vector<int64_t> out = inferNodeShape(ir, in, path_);
    bool lifted = false;
    for (const std::string& name : ir.inputs) lifted = lifted || lifted_.count(name);
    if (lifted && ir.op != OpKind::kReshape && ir.op != OpKind::kFlatten) lifted_.insert(ir.output);
    shapes_[ir.output] = out;
    graph_.setTensor(GraphTensor{ir.output, out});
    graph_.nodes.push_back(std::move(ir));
  }

  // The Gemm/Conv node producing `tensor` if its output is read only by the node about to be folded into it.
  GraphNode* foldTarget(const std::string& tensor, std::initializer_list<OpKind> kinds) {
    if (readers_[tensor] != 1) return nullptr;
    for (const std::string& out : graph_.outputs)
      if (out == tensor) return nullptr;
    int p = graph_.producer(tensor);
    if (p < 0) return nullptr;
    for (OpKind k : kinds)
      if (graph_.nodes[static_cast<size_t>(p)].op == k) return &graph_.nodes[static_cast<size_t>(p)];
    return nullptr;
  }
  void renameOutput(GraphNode& producer, const std::string& new_name) {
    std::vector<int64_t> shape = shapes_.at(producer.output);
    if (lifted_.count(producer.output)) lifted_.insert(new_name);
    producer.output = new_name;
    shapes_[new_name] = shape;
    graph_.setTensor(GraphTensor{new_name, shape});
  }

  // Spatial attributes shared by Conv and the pools; SAME padding needs the input shape.
  WindowAttributes window(const onnx::NodeProto& node, const std::vector<int64_t>& kernel,
                          const std::vector<int64_t>& input_shape) const {
    if (kernel.size() == 1) return window1d(node, kernel[0], input_shape);
    WindowAttributes w;
    if (kernel.size() != 2)
      nodeError(node, "only 2-D windows are supported (kernel_shape has " + std::to_string(kernel.size()) +
                          " dimensions)");
    if (input_shape.size() != 4) nodeError(node, "input must be [N, C, H, W], got " + dimsText(input_shape));
    w.kernel = kernel;
    w.strides = intsAttr(node, "strides", {1, 1});
    w.dilations = intsAttr(node, "dilations", {1, 1});
    w.pads = intsAttr(node, "pads", {0, 0, 0, 0});
    if (w.strides.size() != 2 || w.dilations.size() != 2 || w.pads.size() != 4)
      nodeError(node, "strides/dilations need 2 values and pads 4 for a 2-D window");
    for (int i = 0; i < 2; ++i)
      if (w.kernel[i] < 1 || w.strides[i] < 1 || w.dilations[i] < 1)
        nodeError(node, "kernel, strides and dilations must be positive");
    for (int64_t p : w.pads)
      if (p < 0) nodeError(node, "negative pads are not supported");
    std::string auto_pad = stringAttr(node, "auto_pad", "NOTSET");
    if (auto_pad == "VALID") {
      w.pads = {0, 0, 0, 0};
    } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      // ONNX: output = ceil(input / stride); the odd pad cell goes to the end (UPPER) or the start (LOWER).
      for (int i = 0; i < 2; ++i) {
        int64_t in = input_shape[2 + static_cast<size_t>(i)];
        int64_t out = (in + w.strides[i] - 1) / w.strides[i];
        int64_t total =
            std::max<int64_t>(0, (out - 1) * w.strides[i] + (w.kernel[i] - 1) * w.dilations[i] + 1 - in);
        int64_t small = total / 2, large = total - small;
        w.pads[static_cast<size_t>(i)] = auto_pad == "SAME_UPPER" ? small : large;
        w.pads[static_cast<size_t>(i) + 2] = auto_pad == "SAME_UPPER" ? large : small;
      }
    } else if (auto_pad != "NOTSET") {
      nodeError(node, "unsupported auto_pad value '" + auto_pad + "'");
    }
    return w;
  }

  // ---- operators
  // -------------------------------------------------------------------------------------------
  void convert(const onnx::NodeProto& node, int index) {
    current_index_ = index;
    const std::string& op = node.op_type();
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      nodeError(node, "unsupported operator domain '" + node.domain() +
                          "' (supported operators: " + kSupportedOps + ")");
    if (op == "Constant") return convertConstant(node);
    if (op == "Identity" || op == "Dropout") return convertPassThrough(node);
    if (op == "ConstantOfShape" && batchSizedShape(node)) return convertZeroState(node);
    if (foldsOnConstants(op) && allInputsConstant(node)) return convertFoldConstant(node);
    if (op == "Shape") return convertShape(node);
    if (op == "Expand") return convertExpand(node);
    if (op == "LSTM" || op == "GRU") return convertRecurrent(node);
    if (op == "Pad") return convertPad(node);
    singleOutput(node);
    GraphNode ir;
    ir.output = node.output(0);
    if (op == "Gemm") return convertGemm(node, ir);
    if (op == "MatMul") return convertMatMul(node, ir);
    if (op == "Conv") return convertConv(node, ir);
    if (op == "BatchNormalization") return convertBatchNorm(node, ir);
    if (op == "Add") return convertAdd(node, ir);
    if (op == "Relu") {
      allowOnly(node, {});
      ir.op = OpKind::kRelu;
      ir.inputs = {activation(node, 0)};
      return append(std::move(ir), node);
    }
    if (op == "Clip") return convertClip(node, ir);
    if (op == "MaxPool" || op == "AveragePool") return convertPool(node, ir);
    if (op == "GlobalAveragePool") {
      allowOnly(node, {});
      ir.op = OpKind::kGlobalAveragePool;
      ir.inputs = {activation(node, 0)};
      return append(std::move(ir), node);
    }
    if (op == "Flatten") {
      allowOnly(node, {"axis"});
      ir.op = OpKind::kFlatten;
      ir.inputs = {activation(node, 0)};
      ir.axis = intAttr(node, "axis", 1);
      if (ir.axis < 0) ir.axis += static_cast<int64_t>(shapes_.at(ir.inputs[0]).size());
      return append(std::move(ir), node);
    }
    if (op == "Reshape") return convertReshape(node, ir);
    if (op == "Softmax") return convertSoftmax(node, ir);
    if (op == "Squeeze" || op == "Unsqueeze" || op == "Transpose") return convertView(node, ir);
    if (op == "ReduceMean") return convertReduceMean(node, ir);
    if (op == "Sub" || op == "Div" || (op == "Mul" && hasConstantInput(node)))
      return convertConstantArithmetic(node, ir);
    if (is_activation_operator(op)) return convertActivation(node, ir);
    if (op == "PRelu") return convertPRelu(node, ir);
    if (op == "Concat") return convertConcat(node, ir);
    if (op == "Mul") return convertMul(node, ir);
    if (op == "LogSoftmax") return convertSoftmax(node, ir);
    if (op == "Gather" && isActivation(node.input(0))) return convertGatherPosition(node, ir);
    if (op == "Gather") return convertGather(node, ir);
    if (op == "Slice") return convertSlicePositions(node, ir);
    nodeError(node, "unsupported operator '" + op + "' (supported: " + kSupportedOps + ")");
  }

  void convertConstant(const onnx::NodeProto& node) {
    const onnx::AttributeProto* value = attribute(node, "value");
    if (!value || value->type() != onnx::AttributeProto_AttributeType_TENSOR || node.attribute_size() != 1)
      nodeError(node, "only Constant nodes with a single 'value' tensor attribute are supported");
    constants_[node.output(0)] = decode(value->t(), "Constant value");
  }

  void convertPassThrough(const onnx::NodeProto& node) {
    if (node.op_type() == "Dropout") {
      singleOutput(node);
      // Inference: Dropout is the identity unless training_mode (opset 12+ input 2) is a true constant.
      if (node.input_size() > 2 && !node.input(2).empty()) {
        auto it = constants_.find(node.input(2));
        if (it == constants_.end() || it->second.ints.empty() || it->second.ints[0] != 0)
          nodeError(node, "training_mode must be a constant false for inference");
      }
    } else {
      allowOnly(node, {});
    }
    if (isConstant(node.input(0))) {
      constants_[node.output(0)] = constants_.at(node.input(0));
      return;
    }
    alias_[node.output(0)] = activation(node, 0);
    if (readers_.count(node.output(0))) readers_[resolve(node.output(0))] += readers_[node.output(0)] - 1;
  }

  void convertGemm(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {"alpha", "beta", "transA", "transB"});
    if (intAttr(node, "transA", 0) != 0)
      nodeError(node, "transA = 1 is not supported (the activation must be [N, in])");
    if (node.input_size() > 0 && shapes_.count(resolve(node.input(0))) &&
        shapes_.at(resolve(node.input(0))).size() != 2)
      nodeError(node, "input A must be 2-D [N, in] (ONNX Gemm); a sequence [N, T, D] comes as MatMul");
    float alpha = floatAttr(node, "alpha", 1.0f), beta = floatAttr(node, "beta", 1.0f);
    ir.op = OpKind::kGemm;
    ir.inputs = {activation(node, 0)};
    const ConstTensor& b = constant(node, 1, "weight B");
    if (b.dims.size() != 2) nodeError(node, "weight B must be 2-D, got " + dimsText(b.dims));
    bool trans_b = intAttr(node, "transB", 0) != 0;
    int64_t out = trans_b ? b.dims[0] : b.dims[1], in = trans_b ? b.dims[1] : b.dims[0];
    ir.weight.resize(out, in);
    for (int64_t o = 0; o < out; ++o)
      for (int64_t i = 0; i < in; ++i)
        ir.weight(o, i) = alpha * b.floats[static_cast<size_t>(trans_b ? o * in + i : i * out + o)];
    ir.bias = Eigen::VectorXf::Zero(out);
    if (node.input_size() > 2 && !node.input(2).empty()) {
      ir.bias = beta * biasVector(node, constant(node, 2, "bias C"), out);
      ir.has_bias = true;
    }
    append(std::move(ir), node);
  }

  // A constant that broadcasts to one value per output feature: [], [1], [out] or [1, out].
  Eigen::VectorXf biasVector(const onnx::NodeProto& node, const ConstTensor& c, int64_t out) const {
    int64_t n = c.count();
    bool row = c.dims.size() <= 1 || (c.dims.size() == 2 && c.dims[0] == 1);
    if (!row || (n != out && n != 1))
      nodeError(node, "bias of shape " + dimsText(c.dims) + " does not broadcast to [" + std::to_string(out) +
                          "] (one value per output feature)");
    Eigen::VectorXf v(out);
    for (int64_t o = 0; o < out; ++o) v(o) = c.floats[static_cast<size_t>(n == 1 ? 0 : o)];
    return v;
  }

  void convertMatMul(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {});
    if (node.input_size() != 2) nodeError(node, "needs two inputs");
    if (isConstant(node.input(0)))
      nodeError(node, "the constant must be the second operand (x @ W with x [N, in] and W [in, out])");
    if (!isConstant(node.input(1))) constant(node, 1, "weight B");  // throws the missing-initializer error
    ir.op = OpKind::kGemm;
    ir.inputs = {activation(node, 0)};
    const ConstTensor& b = constant(node, 1, "weight B");
    if (b.dims.size() != 2) nodeError(node, "weight must be 2-D [in, out], got " + dimsText(b.dims));
    int64_t in = b.dims[0], out = b.dims[1];
    ir.weight.resize(out, in);
    for (int64_t o = 0; o < out; ++o)
      for (int64_t i = 0; i < in; ++i) ir.weight(o, i) = b.floats[static_cast<size_t>(i * out + o)];
    ir.bias = Eigen::VectorXf::Zero(out);
    append(std::move(ir), node);
  }

  void convertConv(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
    ir.op = OpKind::kConv;
    ir.inputs = {windowInput(node)};
    const ConstTensor& w = constant(node, 1, "weight W");
    if (w.dims.size() != 4 && w.dims.size() != 3)
      nodeError(node, "only 1-D and 2-D convolutions are supported (weight shape " + dimsText(w.dims) + ")");
    std::vector<int64_t> kernel(w.dims.begin() + 2, w.dims.end());
    if (intsAttr(node, "kernel_shape", kernel) != kernel)
      nodeError(node, "kernel_shape disagrees with the weight shape " + dimsText(w.dims));
    ir.window = window(node, kernel, shapes_.at(ir.inputs[0]));
    addPendingPads(node, ir);
    ir.group = intAttr(node, "group", 1);
    int64_t out = w.dims[0], cols = w.dims[0] ? w.count() / w.dims[0] : 0;
    // ONNX stores W as [out, in/group, kh, kw] in C order, which is already the im2col row layout.
    ir.weight.resize(out, cols);
    for (int64_t o = 0; o < out; ++o)
      for (int64_t c = 0; c < cols; ++c) ir.weight(o, c) = w.floats[static_cast<size_t>(o * cols + c)];
    ir.bias = Eigen::VectorXf::Zero(out);
    if (node.input_size() > 2 && !node.input(2).empty()) {
      const ConstTensor& b = constant(node, 2, "bias B");
      if (b.count() != out)
        nodeError(node, "bias has " + std::to_string(b.count()) + " values for " + std::to_string(out) +
                            " output channels");
      for (int64_t o = 0; o < out; ++o) ir.bias(o) = b.floats[static_cast<size_t>(o)];
      ir.has_bias = true;
    }
    append(std::move(ir), node);
  }

  void convertBatchNorm(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {"epsilon", "momentum", "spatial", "training_mode"});
    if (intAttr(node, "training_mode", 0) != 0)
      nodeError(node, "training_mode = 1 is not supported (inference only)");
    if (intAttr(node, "spatial", 1) != 1) nodeError(node, "spatial = 0 is not supported");
    double epsilon = floatAttr(node, "epsilon", 1e-5f);
    std::string x = activation(node, 0);
    int64_t channels = shapes_.at(x).size() >= 2 ? shapes_.at(x)[1] : 0;
    const char* roles[] = {"scale", "bias B", "mean", "var"};
    std::vector<const ConstTensor*> params;
    for (int i = 0; i < 4; ++i) {
      params.push_back(&constant(node, i + 1, roles[i]));
      if (params.back()->count() != channels)
        nodeError(node, std::string(roles[i]) + " has " + std::to_string(params.back()->count()) +
                            " values but the input " + dimsText(shapes_.at(x)) + " has " +
                            std::to_string(channels) + " channels");
    }
    // y = gamma (x - mean) / sqrt(var + eps) + beta = scale x + shift, computed in double once.
    Eigen::VectorXf scale(channels), shift(channels);
    for (int64_t c = 0; c < channels; ++c) {
      size_t i = static_cast<size_t>(c);
      double s = params[0]->floats[i] / std::sqrt(static_cast<double>(params[3]->floats[i]) + epsilon);
      scale(c) = static_cast<float>(s);
      shift(c) = static_cast<float>(params[1]->floats[i] - s * params[2]->floats[i]);
    }
    GraphNode* target = foldTarget(x, {OpKind::kConv, OpKind::kGemm});
    if (target && shapes_.at(x).size() != 2 && target->op == OpKind::kGemm) target = nullptr;  // axis 1 = T
    if (target) {
      // W' = diag(s) W, b' = s (b - mean) + beta.
      for (int64_t c = 0; c < channels; ++c) {
        size_t i = static_cast<size_t>(c);
        double s = params[0]->floats[i] / std::sqrt(static_cast<double>(params[3]->floats[i]) + epsilon);
        for (Eigen::Index k = 0; k < target->weight.cols(); ++k)
          target->weight(c, k) = static_cast<float>(s * target->weight(c, k));
        target->bias(c) =
            static_cast<float>(s * (target->bias(c) - params[2]->floats[i]) + params[1]->floats[i]);
      }
      target->has_bias = true;
      target->folded.push_back(nodeName(node));
      renameOutput(*target, node.output(0));
      return;
    }
    ir.op = OpKind::kBatchNormalization;
    ir.inputs = {x};
    ir.scale = scale;
    ir.shift = shift;
    append(std::move(ir), node);
  }

  void convertAdd(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {});
    if (node.input_size() != 2) nodeError(node, "needs two inputs");
    bool c0 = isConstant(node.input(0)), c1 = isConstant(node.input(1));
    if (c0 && c1) nodeError(node, "adds two constants; fold them before export");
    if (c0 || c1) return convertConstantArithmetic(node, ir);
    ir.op = OpKind::kAdd;
    ir.inputs = {activation(node, 0), activation(node, 1)};
    append(std::move(ir), node);
  }

  void convertClip(const onnx::NodeProto& node, GraphNode& ir) {
    ir.op = OpKind::kClip;
    ir.inputs = {activation(node, 0)};
    ir.clip_min = -std::numeric_limits<float>::infinity();
    ir.clip_max = std::numeric_limits<float>::infinity();
    if (opset_ < 11) {
      allowOnly(node, {"min", "max"});
      ir.clip_min = floatAttr(node, "min", ir.clip_min);
      ir.clip_max = floatAttr(node, "max", ir.clip_max);
    } else {
      allowOnly(node, {});
      auto bound = [&](int index, const char* role, float& value) {
        if (node.input_size() <= index || node.input(index).empty()) return;
        const ConstTensor& c = constant(node, index, role);
        if (c.count() != 1) nodeError(node, std::string(role) + " must be a scalar");
        value = c.floats[0];
      };
      bound(1, "min", ir.clip_min);
      bound(2, "max", ir.clip_max);
    }
    if (ir.clip_min > ir.clip_max) nodeError(node, "min is larger than max");
    if (ir.clip_min != 0.0f) {  // Clip(0, m) stays kClip (ReLU6 and friends, fused on the chip today)
      ir.op = OpKind::kActivation;
      ir.activation = ActivationSpec{ActivationKind::kHardtanh, ir.clip_min, ir.clip_max};
    }
    append(std::move(ir), node);
  }

  void convertPool(const onnx::NodeProto& node, GraphNode& ir) {
    bool max = node.op_type() == "MaxPool";
    if (max)
      allowOnly(node,
                {"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"});
    else
      allowOnly(node, {"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"});
    ir.op = max ? OpKind::kMaxPool : OpKind::kAveragePool;
    ir.inputs = {windowInput(node)};
    if (intAttr(node, "storage_order", 0) != 0)
      nodeError(node, "storage_order = 1 (column-major) is not supported");
    if (!attribute(node, "kernel_shape")) nodeError(node, "attribute kernel_shape is missing");
    ir.window = window(node, intsAttr(node, "kernel_shape", {}), shapes_.at(ir.inputs[0]));
    ir.window.ceil_mode = intAttr(node, "ceil_mode", 0) != 0;
    ir.window.count_include_pad = intAttr(node, "count_include_pad", 0) != 0;
    addPendingPads(node, ir);
    append(std::move(ir), node);
  }

  void convertReshape(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {"allowzero"});
    if (intAttr(node, "allowzero", 0) != 0) nodeError(node, "allowzero = 1 is not supported");
    ir.op = OpKind::kReshape;
    ir.inputs = {activation(node, 0)};
    const ConstTensor& shape = constant(node, 1, "shape");
    if (shape.is_float || shape.dims.size() != 1) nodeError(node, "shape must be a 1-D int64 constant");
    const std::vector<int64_t> x = onnxShape(ir.inputs[0]);
    std::vector<int64_t> target = shape.ints;
    if (target.empty()) nodeError(node, "shape is empty");
    // The first dimension is the batch: 0 (copy), -1 (infer), the folded x.size(0) or the graph input's
    // declared batch size keep it; any other number would bind the batch size.
    if (target[0] == kSymbolicBatch || (declared_batch_ > 0 && target[0] == declared_batch_)) target[0] = 0;
    for (size_t i = 1; i < target.size(); ++i)
      if (target[i] == kSymbolicBatch)
        nodeError(node, "shape puts the batch size in dimension " + std::to_string(i) +
                            "; the batch must stay the first dimension");
    if (target[0] != 0 && target[0] != -1)
      nodeError(node, "shape " + dimsText(target) + " fixes the batch dimension to " +
                          std::to_string(target[0]) +
                          ", which is not the graph input's batch; keep the batch first with "
                          "x.view(x.size(0), -1) or torch.flatten(x, 1)");
    int64_t sample = 1, known = 1, infer_at = -1;
    for (size_t i = 1; i < x.size(); ++i) sample *= x[i];
    std::vector<int64_t> out{kBatch};
    for (size_t i = 1; i < target.size(); ++i) {
      int64_t d = target[i];
      if (d == 0) {
        if (i >= x.size())
          nodeError(node, "shape copies dimension " + std::to_string(i) + " that the input lacks");
        d = x[i];
      }
      if (d == -1) {
        if (infer_at >= 0) nodeError(node, "shape has more than one -1");
        infer_at = static_cast<int64_t>(i);
        out.push_back(-1);
        continue;
      }
      if (d < 0) nodeError(node, "shape has a negative dimension");
      known *= d;
      out.push_back(d);
    }
    if (target[0] == -1 && infer_at >= 0) nodeError(node, "shape has more than one -1");
    if (infer_at >= 0) {
      if (known == 0 || sample % known)
        nodeError(node, "cannot reshape " + dimsText(x) + " to " + dimsText(target));
      out[static_cast<size_t>(infer_at)] = sample / known;
    }
    ir.reshape = out;
    append(std::move(ir), node);
  }

  void convertSoftmax(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {"axis"});
    ir.op = node.op_type() == "LogSoftmax" ? OpKind::kLogSoftmax : OpKind::kSoftmax;
    ir.inputs = {activation(node, 0)};
    int64_t rank = static_cast<int64_t>(onnxShape(ir.inputs[0]).size());
    ir.axis = intAttr(node, "axis", opset_ >= 13 ? -1 : 1);
    if (ir.axis < 0) ir.axis += rank;
    // Before opset 13 Softmax flattened everything from `axis` on; that equals a per-axis softmax only when
    // axis is the last dimension.
    if (opset_ < 13 && ir.axis != rank - 1)
      nodeError(node, "opset < 13 " + node.op_type() + " over axis " + std::to_string(ir.axis) +
                          " of a rank-" + std::to_string(rank) + " tensor (coerced to 2-D) is not supported");
    if (lifted_.count(ir.inputs[0]) && ir.axis >= 2) ++ir.axis;  // [N, C, L] held as [N, C, 1, L]
    append(std::move(ir), node);
  }

  // ---- activations, Concat, Mul, Gather ------------------------------------------------------------------
  void convertActivation(const onnx::NodeProto& node, GraphNode& ir) {
    ir.op = OpKind::kActivation;
    ir.inputs = {activation(node, 0)};
    ir.activation = activation_spec_of(node, path_, nodeName(node));
    ir.folded = folded_node_names(node);
    append(std::move(ir), node);
  }

  // ONNX broadcasts the slope from the right: one shared value, or one per channel (axis 1 of x) with every
  // other extent 1 (nn.PReLU(C) exports [C] for [N, C] and [C, 1, 1] for [N, C, H, W]).
  void convertPRelu(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {});
    ir.op = OpKind::kActivation;
    ir.activation = ActivationSpec{ActivationKind::kPRelu, 0.0, 0.0};
    ir.inputs = {activation(node, 0)};
    const std::vector<int64_t>& x = shapes_.at(ir.inputs[0]);
    const ConstTensor& s = constant(node, 1, "slope");
    const int64_t channels = x[1], rank = static_cast<int64_t>(x.size()),
                  k = static_cast<int64_t>(s.dims.size());
    const int64_t at = 1 - (rank - k);  // the slope's index aligned with the channel axis
    bool per_channel = k <= rank && at >= 0 && at < k;
    for (int64_t i = 0; per_channel && i < k; ++i)
      per_channel = s.dims[static_cast<size_t>(i)] == (i == at ? channels : 1);
    if (s.count() != 1 && !per_channel)
      nodeError(node, "slope of shape " + dimsText(s.dims) +
                          " is neither one value nor one per channel of the input " + dimsText(x));
    ir.slope.resize(channels);
    for (int64_t c = 0; c < channels; ++c)
      ir.slope(c) = s.floats[static_cast<size_t>(s.count() == 1 ? 0 : c)];
    append(std::move(ir), node);
  }

  void convertConcat(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {"axis"});
    if (node.input_size() < 2) nodeError(node, "needs two or more inputs");
    ir.op = OpKind::kConcat;
    for (int i = 0; i < node.input_size(); ++i) {
      if (isConstant(node.input(i)))
        nodeError(node,
                  "input " + std::to_string(i) + " ('" + node.input(i) +
                      "') is a constant; only activations are concatenated (along channels or features)");
      // Stacked states of LSTM/GRU layers (torch's h_n) share their layout, the batch on ONNX axis b.
      const int64_t b = batchAxis(node.input(0));
      ir.inputs.push_back(b != 0 && batchAxis(node.input(i)) == b ? sequenceActivation(node, i)
                                                                  : activation(node, i));
    }
    ir.axis = intAttr(node, "axis", 1);
    if (ir.axis < 0) ir.axis += static_cast<int64_t>(onnxShape(node.input(0)).size());
    if (const int64_t b = batchAxis(node.input(0)); b != 0) {
      if (ir.axis == b) nodeError(node, "a concatenation along the batch axis is not supported");
      ir.axis = heldAxis(ir.axis, b);
      batch_axis_[node.output(0)] = b;
    }
    append(std::move(ir), node);
  }

  void convertMul(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {});
    if (node.input_size() != 2) nodeError(node, "needs two inputs");
    if (isConstant(node.input(0)) || isConstant(node.input(1)))
      nodeError(node,
                "a product with a constant is not supported here; only the element-wise product of two "
                "activations of one shape is");
    ir.op = OpKind::kMul;
    ir.inputs = {activation(node, 0), activation(node, 1)};
    append(std::move(ir), node);
  }

  // Gather(table, ids) with a float table [vocab, dim] and int64 token ids from a graph input: nn.Embedding.
  void convertGather(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {"axis"});
    const char* usage =
        "Gather is supported only as an embedding lookup (nn.Embedding): a float table [vocab, dim] stored "
        "in the model, indexed along axis 0 by int64 token ids of a graph input";
    if (node.input_size() != 2 || !isConstant(node.input(0)) || !token_inputs_.count(resolve(node.input(1))))
      nodeError(node, usage);
    const ConstTensor& table = constant(node, 0, "embedding table");
    if (table.dims.size() != 2 || intAttr(node, "axis", 0) != 0)
      nodeError(node, std::string(usage) + " (table " + dimsText(table.dims) + ", axis " +
                          std::to_string(intAttr(node, "axis", 0)) + ")");
    ir.op = OpKind::kEmbedding;
    ir.inputs = {resolve(node.input(1))};
    ir.weight.resize(table.dims[0], table.dims[1]);
    for (int64_t v = 0; v < table.dims[0]; ++v)
      for (int64_t d = 0; d < table.dims[1]; ++d)
        ir.weight(v, d) = table.floats[static_cast<size_t>(v * table.dims[1] + d)];
    append(std::move(ir), node);
  }

  // `name`: the ONNX name of the output (its layout, ImportSequenceLayout.h, is the ONNX tensor's).
  void checkDeclaredShape(const onnx::ValueInfoProto& out, const std::string& name) const {
    if (!out.type().has_tensor_type() || !out.type().tensor_type().has_shape()) return;
    const onnx::TensorShapeProto& declared = out.type().tensor_type().shape();
    for (int i = 1; i < declared.dim_size(); ++i)
      if (declared.dim(i).has_dim_value() && declared.dim(i).dim_value() <= 0)
        throw UserError(path_, 0, out.name(),
                        "graph output is declared with the empty or negative dimension " + std::to_string(i));
    const std::vector<int64_t> inferred = onnxShape(name);
    bool mismatch = declared.dim_size() != static_cast<int>(inferred.size());
    for (int i = 0; !mismatch && i < declared.dim_size(); ++i)
      if (inferred[static_cast<size_t>(i)] != kBatch && declared.dim(i).has_dim_value() &&
          declared.dim(i).dim_value() != inferred[static_cast<size_t>(i)])
        mismatch = true;
    if (mismatch) {
      std::string d = "[";
      for (int i = 0; i < declared.dim_size(); ++i)
        d += (i ? "," : "") + (declared.dim(i).has_dim_value() ? std::to_string(declared.dim(i).dim_value())
                                                               : std::string("?"));
      throw UserError(
          path_, 0, out.name(),
          "graph output is declared with shape " + d + "] but the network produces " + dimsText(inferred));
    }
  }

  // ---- normalisation converters (see ImportNormalise.h)
  // ----------------------------------------------------- The tensor's shape as ONNX sees it: an [N, C, L]
  // tensor held as [N, C, 1, L] loses its inserted axis.
  std::vector<int64_t> onnxShape(const std::string& name) const {
    std::vector<int64_t> shape = shapes_.at(resolve(name));
    if (lifted_.count(resolve(name))) shape.erase(shape.begin() + 2);
    return onnxShapeOf(shape, batchAxis(name));
  }
  // The ONNX axis of the batch of the ONNX tensor `name` (0 unless a sequence layout moved it).
  int64_t batchAxis(const std::string& name) const {
    auto it = batch_axis_.find(name);
    return it == batch_axis_.end() ? 0 : it->second;
  }
  bool allInputsConstant(const onnx::NodeProto& node) const {
    for (const std::string& in : node.input())
      if (!in.empty() && !isConstant(in)) return false;
    return node.input_size() > 0;
  }
  bool hasConstantInput(const onnx::NodeProto& node) const {
    for (const std::string& in : node.input())
      if (isConstant(in)) return true;
    return false;
  }
  std::vector<int64_t> intConstant(const onnx::NodeProto& node, int index, const char* role) const {
    if (index >= node.input_size() || node.input(index).empty()) return {};
    auto it = constants_.find(node.input(index));
    if (it == constants_.end() || it->second.is_float)
      nodeError(node, std::string("the ") + role + " must be a constant integer tensor");
    return it->second.ints;
  }

  // Gather, Unsqueeze, Squeeze, Concat, Slice, Cast, ConstantOfShape, Reshape and Add/Sub/Mul/Div whose
  // inputs are all constants (shape arithmetic among them) become constants.
  void convertFoldConstant(const onnx::NodeProto& node) {
    singleOutput(node);
    const std::string& op = node.op_type();
    auto in = [&](int i) -> const ConstTensor& {
      if (i >= node.input_size() || node.input(i).empty())
        nodeError(node, "input " + std::to_string(i) + " is missing");
      return constants_.at(node.input(i));
    };
    try {
      ConstTensor out;
      if (op == "Gather") {
        allowOnly(node, {"axis"});
        out = foldGather(in(0), in(1), intAttr(node, "axis", 0));
      } else if (op == "Unsqueeze" || op == "Squeeze") {
        allowOnly(node, {"axes"});
        std::vector<int64_t> axes = opset_ >= 13 ? intConstant(node, 1, "axes") : intsAttr(node, "axes", {});
        out = op == "Unsqueeze" ? foldUnsqueeze(in(0), axes) : foldSqueeze(in(0), axes);
      } else if (op == "Concat") {
        allowOnly(node, {"axis"});
        std::vector<const ConstTensor*> parts;
        parts.reserve(static_cast<size_t>(node.input_size()));
        for (int i = 0; i < node.input_size(); ++i) parts.push_back(&in(i));
        out = foldConcat(parts, intAttr(node, "axis", 0));
      } else if (op == "Slice" && opset_ < 10) {
        allowOnly(node, {"starts", "ends", "axes"});
        out = foldSlice(in(0), intsAttr(node, "starts", {}), intsAttr(node, "ends", {}),
                        intsAttr(node, "axes", {}), {});
      } else if (op == "Slice") {
        allowOnly(node, {});
        out = foldSlice(in(0), intConstant(node, 1, "starts"), intConstant(node, 2, "ends"),
                        intConstant(node, 3, "axes"), intConstant(node, 4, "steps"));
      } else if (op == "Cast") {
        allowOnly(node, {"to", "saturate"});
        out = foldCast(in(0), static_cast<int>(intAttr(node, "to", onnx::TensorProto_DataType_FLOAT)));
      } else if (op == "ConstantOfShape") {
        allowOnly(node, {"value"});
        ConstTensor value;
        value.dims = {1};
        value.floats = {0.0f};
        if (const onnx::AttributeProto* v = attribute(node, "value")) value = decode(v->t(), "value");
        out = foldConstantOfShape(in(0), value);
      } else if (op == "Reshape") {
        allowOnly(node, {"allowzero"});
        out = foldReshape(in(0), in(1));
      } else if (op == "Transpose") {
        allowOnly(node, {"perm"});
        out = foldTranspose(in(0), intsAttr(node, "perm", {}));
      } else {
        allowOnly(node, {});
        if (node.input_size() != 2) nodeError(node, "needs two inputs");
        out = foldArithmetic(op, in(0), in(1));
      }
      constants_[node.output(0)] = out;
    } catch (const Refusal& r) {
      nodeError(node, std::string("on constants: ") + r.what());
    }
  }

  // Shape of an activation: a constant whose first element is the symbolic batch size.
  void convertShape(const onnx::NodeProto& node) {
    singleOutput(node);
    allowOnly(node, {"start", "end"});
    std::vector<int64_t> shape;
    if (node.input_size() > 0 && isConstant(node.input(0))) {
      shape = constants_.at(node.input(0)).dims;
    } else {
      shape = onnxShape(node.input(0));
      sequenceActivation(node, 0);
      std::replace(shape.begin(), shape.end(), kBatch, kSymbolicBatch);
    }
    int64_t rank = static_cast<int64_t>(shape.size());
    auto clampAxis = [&](int64_t a) { return std::max<int64_t>(0, std::min(rank, a < 0 ? a + rank : a)); };
    int64_t start = clampAxis(intAttr(node, "start", 0)), end = clampAxis(intAttr(node, "end", rank));
    ConstTensor c;
    c.is_float = false;
    if (end > start) c.ints.assign(shape.begin() + start, shape.begin() + end);
    c.dims = {static_cast<int64_t>(c.ints.size())};
    constants_[node.output(0)] = c;
  }

  // Pad: all-zero pads vanish; other constant-zero spatial pads wait for the Conv or pool that reads them.
  void convertPad(const onnx::NodeProto& node) {
    singleOutput(node);
    allowOnly(node, {"mode", "pads", "value"});
    std::string mode = stringAttr(node, "mode", "constant");
    if (mode != "constant")
      nodeError(node, "mode '" + mode +
                          "' is not supported (only constant zero padding, which folds into the "
                          "following Conv or pool)");
    std::vector<int64_t> pads = intsAttr(node, "pads", {});
    float value = floatAttr(node, "value", 0.0f);
    if (opset_ >= 11) {
      pads = intConstant(node, 1, "pads");
      if (node.input_size() > 2 && !node.input(2).empty())
        value = constant(node, 2, "constant_value").floats.at(0);
      if (node.input_size() > 3 && !node.input(3).empty()) nodeError(node, "the axes input is not supported");
    }
    if (value != 0.0f)
      nodeError(node, "padding with the value " + std::to_string(value) +
                          " is not supported (only zero padding folds into a Conv or pool)");
    std::string x = activation(node, 0);
    std::vector<int64_t> shape = onnxShape(x);
    size_t rank = shape.size();
    if (pads.size() != 2 * rank)
      nodeError(node, "pads has " + std::to_string(pads.size()) + " values for the rank-" +
                          std::to_string(rank) + " input " + dimsText(shape));
    for (int64_t p : pads)
      if (p < 0) nodeError(node, "negative pads (cropping) are not supported");
    if (pads[0] || pads[1] || pads[rank] || pads[rank + 1])
      nodeError(node,
                "pads on the batch or channel axis are not supported (only spatial padding folds into "
                "a Conv or pool)");
    if (std::all_of(pads.begin(), pads.end(), [](int64_t p) { return p == 0; })) {
      alias_[node.output(0)] = x;
      if (readers_.count(node.output(0))) readers_[x] += readers_[node.output(0)] - 1;
      return;
    }
    if (rank != 3 && rank != 4) nodeError(node, "only [N, C, L] and [N, C, H, W] inputs can be padded");
    PendingPad pad{x, nodeName(node), {}};
    pad.pads = rank == 4 ? std::vector<int64_t>{pads[2], pads[3], pads[6], pads[7]}
                         : std::vector<int64_t>{0, pads[2], 0, pads[5]};
    pads_[node.output(0)] = pad;
  }

  // The activation a Conv or pool reads: a pending zero Pad is looked through (addPendingPads adds its pads),
  // and an [N, C, L] tensor not yet held as [N, C, 1, L] gets a Reshape view.
  std::string windowInput(const onnx::NodeProto& node) {
    auto pad = node.input_size() > 0 ? pads_.find(node.input(0)) : pads_.end();
    std::string x = pad != pads_.end() ? pad->second.input : activation(node, 0);
    if (shapes_.at(x).size() != 3 || lifted_.count(x)) return x;
    GraphNode view;
    view.op = OpKind::kReshape;
    view.inputs = {x};
    view.output = x + "/as_NC1L";
    view.reshape = {kBatch, shapes_.at(x)[1], 1, shapes_.at(x)[2]};
    append(std::move(view), node);
    graph_.nodes.back().name += "/as_NC1L";
    lifted_.insert(graph_.nodes.back().output);
    return graph_.nodes.back().output;
  }
  void addPendingPads(const onnx::NodeProto& node, GraphNode& ir) {
    auto pad = node.input_size() > 0 ? pads_.find(node.input(0)) : pads_.end();
    if (pad == pads_.end()) return;
    if (stringAttr(node, "auto_pad", "NOTSET") != "NOTSET")
      nodeError(node, "auto_pad together with the preceding Pad '" + pad->second.node + "' is not supported");
    bool own = std::any_of(ir.window.pads.begin(), ir.window.pads.end(), [](int64_t p) { return p != 0; });
    if (ir.op == OpKind::kAveragePool) {
      if (own && !ir.window.count_include_pad)
        nodeError(node, "has pads of its own that do not count (count_include_pad = 0) after Pad '" +
                            pad->second.node + "', whose zeros count; the two cannot be one pool");
      ir.window.count_include_pad = true;  // the padded zeros are data to the pool, as in torch
    }
    if (ir.op == OpKind::kMaxPool && !nonNegative(pad->second.input))
      nodeError(node,
                "the zero Pad '" + pad->second.node +
                    "' before it folds only when its input is non-negative (after a Relu): the pool's own "
                    "padding never wins the maximum");
    for (size_t i = 0; i < 4; ++i) ir.window.pads[i] += pad->second.pads[i];
    ir.folded.push_back(pad->second.node);
  }
  bool nonNegative(const std::string& tensor) const {
    int p = graph_.producer(tensor);
    if (p < 0) return false;
    const GraphNode& n = graph_.nodes[static_cast<size_t>(p)];
    return n.op == OpKind::kRelu || (n.op == OpKind::kClip && n.clip_min >= 0.0f);
  }
  WindowAttributes window1d(const onnx::NodeProto& node, int64_t kernel,
                            const std::vector<int64_t>& input_shape) const {
    if (input_shape.size() != 4 || input_shape[2] != 1)
      nodeError(node, "a 1-D window needs an [N, C, L] input, got " + dimsText(input_shape));
    if (stringAttr(node, "auto_pad", "NOTSET") != "NOTSET")
      nodeError(node, "auto_pad on a 1-D window is not supported; export with explicit padding");
    std::vector<int64_t> s = intsAttr(node, "strides", {1}), d = intsAttr(node, "dilations", {1}),
                         p = intsAttr(node, "pads", {0, 0});
    if (s.size() != 1 || d.size() != 1 || p.size() != 2)
      nodeError(node, "strides/dilations need 1 value and pads 2 for a 1-D window");
    if (kernel < 1 || s[0] < 1 || d[0] < 1) nodeError(node, "kernel, strides and dilations must be positive");
    if (p[0] < 0 || p[1] < 0) nodeError(node, "negative pads are not supported");
    WindowAttributes w;
    w.kernel = {1, kernel};
    w.strides = {1, s[0]};
    w.dilations = {1, d[0]};
    w.pads = {0, p[0], 0, p[1]};
    return w;
  }

  // Squeeze, Unsqueeze and layout-only Transpose of an activation: Reshape views.
  void convertView(const onnx::NodeProto& node, GraphNode& ir) {
    if (convertSequenceView(node)) return;
    const std::string& op = node.op_type();
    ir.op = OpKind::kReshape;
    ir.inputs = {activation(node, 0)};
    std::vector<int64_t> shape = onnxShape(ir.inputs[0]);
    try {
      if (op == "Transpose") {
        allowOnly(node, {"perm"});
        ir.reshape = transposeShape(shape, intsAttr(node, "perm", {}));
      } else {
        allowOnly(node, {"axes"});
        std::vector<int64_t> axes = opset_ >= 13 ? intConstant(node, 1, "axes") : intsAttr(node, "axes", {});
        ir.reshape = op == "Squeeze" ? squeezeShape(shape, axes) : unsqueezeShape(shape, axes);
      }
    } catch (const Refusal& r) {
      nodeError(node, r.what());
    }
    append(std::move(ir), node);
  }

  // ReduceMean over all spatial axes: a GlobalAveragePool (+ Flatten for keepdims = 0).
  void convertReduceMean(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {"axes", "keepdims", "noop_with_empty_axes"});
    ir.op = OpKind::kGlobalAveragePool;
    ir.inputs = {activation(node, 0)};
    std::vector<int64_t> shape = onnxShape(ir.inputs[0]), spatial;
    int64_t rank = static_cast<int64_t>(shape.size());
    for (int64_t a = 2; a < rank; ++a) spatial.push_back(a);
    std::vector<int64_t> axes = opset_ >= 18 ? intConstant(node, 1, "axes") : intsAttr(node, "axes", {});
    for (int64_t& a : axes) a = a < 0 ? a + rank : a;
    std::sort(axes.begin(), axes.end());
    if (rank < 3 || axes != spatial)
      nodeError(node, "a mean over the axes " + dimsText(axes) + " of " + dimsText(shape) +
                          " is not supported (only over all spatial axes " + dimsText(spatial) +
                          ", which runs as a global average pool)");
    if (intAttr(node, "keepdims", 1) != 0) return append(std::move(ir), node);
    ir.output = node.output(0) + "/keepdims";
    append(std::move(ir), node);
    GraphNode flat;
    flat.op = OpKind::kFlatten;
    flat.axis = 1;
    flat.inputs = {graph_.nodes.back().output};
    flat.output = node.output(0);
    append(std::move(flat), node);
    graph_.nodes.back().name += "/flatten";
  }

  // x * c, x / c, x + c, x - c, c - x with a constant c (one value or one per channel): folded into the
  // preceding Gemm/Conv or per-channel affine when its output has no other reader, else a per-channel affine
  // that foldAffinesIntoReaders may fold into the Gemm/Conv after it.
  void convertConstantArithmetic(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {});
    if (node.input_size() != 2) nodeError(node, "needs two inputs");
    bool first = isConstant(node.input(0));
    if (!first && !isConstant(node.input(1)))
      nodeError(node, "both operands are activations; only a constant operand is supported");
    std::string x = activation(node, first ? 1 : 0);
    std::vector<int64_t> shape = onnxShape(x);
    GraphNode* target = foldTarget(x, {OpKind::kGemm, OpKind::kConv, OpKind::kBatchNormalization});
    // A Gemm's features are the last axis (a MatMul on a sequence [N, T, D] makes [N, T, out]).
    bool gemm = target && target->op == OpKind::kGemm;
    ChannelAffine affine;
    try {
      affine = constantAffine(node.op_type(), first, constants_.at(node.input(first ? 0 : 1)), shape,
                              gemm ? static_cast<int64_t>(shape.size()) - 1 : 1);
    } catch (const Refusal& r) {
      nodeError(node, r.what());
    }
    if (target) {
      applyAffineAfter(*target, affine);
      target->folded.push_back(nodeName(node));
      renameOutput(*target, node.output(0));
      return;
    }
    ir.op = OpKind::kBatchNormalization;
    ir.inputs = {x};
    ir.scale = affine.scale;
    ir.shift = affine.shift;
    affines_.insert(nodeName(node));
    append(std::move(ir), node);
  }

  // ---- sequences and recurrent layers (ImportSequenceLayout.h, ImportRecurrent.h) ------------------------
  // The held tensor `held` as the ONNX tensor `output` of shape `onnx_out` (kBatch marks the batch): an
  // alias when the held shape stays, else a Reshape view named after the node plus `suffix`.
  void emitSequenceView(const onnx::NodeProto& node, const std::string& output, const std::string& held,
                        const std::vector<int64_t>& onnx_out, const std::string& suffix) {
    std::vector<int64_t> held_out;
    int64_t axis = 0;
    try {
      held_out = heldShape(onnx_out);
      axis = batchAxisOf(onnx_out);
    } catch (const Refusal& r) {
      nodeError(node, r.what());
    }
    if (axis != 0) batch_axis_[output] = axis;
    if (held_out == shapes_.at(held)) {
      alias_[output] = held;
      if (readers_.count(output)) readers_[held] += readers_[output] - 1;
      return;
    }
    GraphNode view;
    view.op = OpKind::kReshape;
    view.inputs = {held};
    view.output = output;
    view.reshape = held_out;
    append(std::move(view), node);
    graph_.nodes.back().name += suffix;
  }

  // Transpose, Squeeze, Unsqueeze of a tensor whose batch is not first or moves: a layout change (false:
  // the batch stays first, the batch-first path converts it).
  bool convertSequenceView(const onnx::NodeProto& node) {
    const std::string& op = node.op_type();
    if (node.input_size() < 1 || !isActivation(node.input(0))) return false;
    const std::vector<int64_t> shape = onnxShape(node.input(0));
    std::vector<int64_t> out;
    try {
      if (op == "Transpose") {
        out = sequenceTransposeShape(shape, intsAttr(node, "perm", {}));
      } else {
        std::vector<int64_t> axes = opset_ >= 13 ? intConstant(node, 1, "axes") : intsAttr(node, "axes", {});
        out = op == "Squeeze" ? squeezeShape(shape, axes) : sequenceUnsqueezeShape(shape, axes);
      }
      if (batchAxis(node.input(0)) == 0 && batchAxisOf(out) == 0) return false;
    } catch (const Refusal& r) {
      if (batchAxis(node.input(0)) == 0) return false;  // the batch-first path words the refusal
      nodeError(node, r.what());
    }
    allowOnly(node, {op == "Transpose" ? "perm" : "axes"});
    emitSequenceView(node, node.output(0), sequenceActivation(node, 0), out, "");
    return true;
  }

  // Gather of one position of an activation (x[:, t], y[-1]): a kSlice, then a view without the axis.
  void convertGatherPosition(const onnx::NodeProto& node, GraphNode& ir) {
    allowOnly(node, {"axis"});
    sequenceActivation(node, 0);
    const std::vector<int64_t> shape = onnxShape(node.input(0));
    AxisRange range;
    try {
      if (node.input_size() != 2 || !isConstant(node.input(1))) throw Refusal("the index must be a constant");
      range = gatherPosition(shape, constants_.at(node.input(1)), intAttr(node, "axis", 0));
    } catch (const Refusal& r) {
      nodeError(node, std::string("Gather of an activation (one position of one axis): ") + r.what() +
                          "; otherwise a Gather is supported only as an embedding lookup (nn.Embedding)");
    }
    emitPositions(node, ir, shape, range);
  }

  // Slice of a range of one axis of an activation (x[:, 2:5], a layer of stacked initial states).
  void convertSlicePositions(const onnx::NodeProto& node, GraphNode& ir) {
    if (opset_ < 10) nodeError(node, "a Slice of an activation needs opset 10 or later");
    allowOnly(node, {});
    sequenceActivation(node, 0);
    const std::vector<int64_t> shape = onnxShape(node.input(0));
    AxisRange range;
    try {
      range = slicePositions(shape, intConstant(node, 1, "starts"), intConstant(node, 2, "ends"),
                             intConstant(node, 3, "axes"), intConstant(node, 4, "steps"));
    } catch (const Refusal& r) {
      nodeError(node, std::string("Slice of an activation: ") + r.what());
    }
    emitPositions(node, ir, shape, range);
  }

  void emitPositions(const onnx::NodeProto& node, GraphNode& ir, const std::vector<int64_t>& shape,
                     const AxisRange& range) {
    std::string held = sequenceActivation(node, 0);
    std::vector<int64_t> out = shape;
    out[static_cast<size_t>(range.axis)] = range.end - range.start;
    if (out != shape) {
      ir.op = OpKind::kSlice;
      ir.inputs = {held};
      ir.axis = heldAxis(range.axis, batchAxis(node.input(0)));
      ir.slice_start = range.start;
      ir.slice_end = range.end;
      ir.output = node.output(0) + "/slice";
      append(std::move(ir), node);
      held = graph_.nodes.back().output;
    }
    if (!range.keeps_axis) out.erase(out.begin() + range.axis);
    emitSequenceView(node, node.output(0), held, out, "/view");
  }

  // Expand of a constant: folded to a concrete shape, or, to the batch size, torch's zero initial state.
  void convertExpand(const onnx::NodeProto& node) {
    singleOutput(node);
    allowOnly(node, {});
    if (node.input_size() != 2 || !allInputsConstant(node))
      nodeError(node, "only an Expand of a constant is supported (as torch's zero initial state of an RNN)");
    const ConstTensor &c = constants_.at(node.input(0)), &shape = constants_.at(node.input(1));
    try {
      if (std::count(shape.ints.begin(), shape.ints.end(), kSymbolicBatch) > 0 &&
          expandsToZeroState(c, shape))
        zero_states_.insert(node.output(0));
      else
        constants_[node.output(0)] = foldExpand(c, shape);
    } catch (const Refusal& r) {
      nodeError(node, r.what());
    }
  }

  // ConstantOfShape to a shape holding the batch size: torch's zero initial state of an RNN exported with a
  // dynamic batch (zeros(layers, x.size(1), hidden)).
  bool batchSizedShape(const onnx::NodeProto& node) const {
    if (node.input_size() < 1 || !isConstant(node.input(0))) return false;
    const std::vector<int64_t>& dims = constants_.at(node.input(0)).ints;
    return std::count(dims.begin(), dims.end(), kSymbolicBatch) > 0;
  }
  void convertZeroState(const onnx::NodeProto& node) {
    singleOutput(node);
    allowOnly(node, {"value"});
    ConstTensor value;
    value.dims = {1};
    value.floats = {0.0f};
    if (const onnx::AttributeProto* v = attribute(node, "value")) value = decode(v->t(), "value");
    try {
      expandsToZeroState(value, constants_.at(node.input(0)));
    } catch (const Refusal& r) {
      nodeError(node, r.what());
    }
    zero_states_.insert(node.output(0));
  }

  bool hasInput(const onnx::NodeProto& node, int index) const {
    return index < node.input_size() && !node.input(index).empty();
  }
  bool outputRead(const onnx::NodeProto& node, int index) const {
    if (index >= node.output_size() || node.output(index).empty()) return false;
    auto it = readers_.find(node.output(index));
    return it != readers_.end() && it->second > 0;
  }

  void checkRecurrentAttributes(const onnx::NodeProto& node, OpKind op) const {
    allowOnly(node, {"hidden_size", "direction", "activations", "linear_before_reset", "layout", "clip",
                     "input_forget", "activation_alpha", "activation_beta"});
    const std::string direction = stringAttr(node, "direction", "forward");
    if (direction == "bidirectional")
      nodeError(node,
                "direction 'bidirectional' (torch's bidirectional=True) is not supported: only forward "
                "layers are imported (the chip's timestep loop runs one direction)");
    if (direction != "forward")
      nodeError(node, "direction '" + direction + "' is not supported (only forward)");
    if (intAttr(node, "hidden_size", 0) < 1)
      nodeError(node, "attribute hidden_size is missing or not positive");
    if (intAttr(node, "layout", 0) != 0)
      nodeError(node, "layout = 1 (batch-first X and Y, opset 14) is not supported; torch exports layout 0");
    if (attribute(node, "clip")) nodeError(node, "attribute clip (cell clipping) is not supported");
    if (intAttr(node, "input_forget", 0) != 0)
      nodeError(node, "input_forget = 1 (coupled input and forget gates) is not supported");
    if (attribute(node, "activation_alpha") || attribute(node, "activation_beta"))
      nodeError(node, "activation_alpha/activation_beta are not supported (default activations only)");
    if (op == OpKind::kLstm && attribute(node, "linear_before_reset"))
      nodeError(node, "attribute linear_before_reset belongs to GRU, not LSTM");
    try {
      checkDefaultActivations(op, stringsAttr(node, "activations"));
    } catch (const Refusal& r) {
      nodeError(node, r.what());
    }
  }

  // ONNX LSTM/GRU: one forward layer; outputs Y, Y_h (Y's last timestep), Y_c (a second node, kLastCell).
  void convertRecurrent(const onnx::NodeProto& node) {
    const OpKind op = node.op_type() == "LSTM" ? OpKind::kLstm : OpKind::kGru;
    checkRecurrentAttributes(node, op);
    const std::vector<int64_t> x = onnxShape(node.input(0));
    if (x.size() != 3 || batchAxis(node.input(0)) != 1)
      nodeError(node,
                "input X must be a time-major sequence [T, N, features] (ONNX layout 0), got " + dimsText(x));
    if (hasInput(node, 4))
      nodeError(node, "sequence_lens (input 4) is not supported: every sequence has the full length T");
    if (hasInput(node, 7)) nodeError(node, "peephole weights P (input 7) are not supported");
    GraphNode ir;
    ir.op = op;
    ir.inputs = {sequenceActivation(node, 0)};
    RecurrentAttributes& r = ir.recurrent;
    r.hidden = intAttr(node, "hidden_size", 0);
    r.linear_before_reset = intAttr(node, "linear_before_reset", 0) != 0;
    try {
      const ConstTensor* b = hasInput(node, 3) ? &constant(node, 3, "bias B") : nullptr;
      RecurrentWeights w = recurrentWeights(op, r.hidden, x[2], constant(node, 1, "weight W"),
                                            constant(node, 2, "recurrence weight R"), b);
      ir.weight = std::move(w.weight);
      r.bias_ih = std::move(w.bias_ih);
      r.bias_hh = std::move(w.bias_hh);
    } catch (const Refusal& e) {
      nodeError(node, e.what());
    }
    r.has_initial_h = addInitialState(node, 5, ir);
    r.has_initial_c = addInitialState(node, 6, ir);
    emitRecurrentOutputs(node, std::move(ir), x[0]);
  }

  // initial_h (5) or initial_c (6): absent, zeros (constant or torch's Expand), or an activation [1, N, H].
  bool addInitialState(const onnx::NodeProto& node, int index, GraphNode& ir) {
    if (!hasInput(node, index) || zero_states_.count(node.input(index))) return false;
    const std::string& name = node.input(index);
    const char* what = index == 5 ? "initial_h" : "initial_c";
    if (isConstant(name)) {
      const ConstTensor& c = constants_.at(name);
      if (c.is_float && std::all_of(c.floats.begin(), c.floats.end(), [](float v) { return v == 0; }))
        return false;
      nodeError(node, std::string(what) + " '" + name +
                          "' is a non-zero constant; an initial state must be zeros or a graph input");
    }
    const std::vector<int64_t> shape = onnxShape(name);
    if (shape.size() != 3 || shape[0] != 1 || batchAxis(name) != 1)
      nodeError(node, std::string(what) + " '" + name + "' must be [1, N, " +
                          std::to_string(ir.recurrent.hidden) + "], got " + dimsText(shape));
    ir.inputs.push_back(sequenceActivation(node, index));
    return true;
  }

  void emitRecurrentOutputs(const onnx::NodeProto& node, GraphNode ir, int64_t steps) {
    const int64_t hidden = ir.recurrent.hidden;
    const std::string base = nodeName(node);
    if (outputRead(node, 2)) {
      if (ir.op != OpKind::kLstm) nodeError(node, "a GRU has no output 2 (Y_c)");
      GraphNode cell = ir;
      cell.recurrent.output = RecurrentOutput::kLastCell;
      cell.output = node.output(2) + "/cell";
      append(std::move(cell), node);
      graph_.nodes.back().name += "/Y_c";
      emitSequenceView(node, node.output(2), graph_.nodes.back().output, {1, kBatch, hidden}, "/Y_c/view");
    }
    if (!outputRead(node, 0) && !outputRead(node, 1)) return;
    ir.output = (node.output(0).empty() ? base + "/Y" : node.output(0)) + "/sequence";
    append(std::move(ir), node);
    const std::string sequence = graph_.nodes.back().output;
    if (outputRead(node, 0))
      emitSequenceView(node, node.output(0), sequence, {steps, 1, kBatch, hidden}, "/Y");
    if (!outputRead(node, 1)) return;
    GraphNode last;
    last.op = OpKind::kSlice;
    last.inputs = {sequence};
    last.axis = 1;
    last.slice_start = steps - 1;
    last.slice_end = steps;
    last.output = node.output(1);
    append(std::move(last), node);
    graph_.nodes.back().name += "/Y_h";
    batch_axis_[node.output(1)] = 1;
  }

  struct PendingPad {
    std::string input;          // the activation being padded
    std::string node;           // the Pad node's name
    std::vector<int64_t> pads;  // top, left, bottom, right
  };

  const std::string& path_;
  const onnx::ModelProto& model_;
  Graph graph_;
  int64_t opset_ = 0;
  int current_index_ = 0;
  std::map<std::string, ConstTensor> constants_;
  std::map<std::string, std::vector<int64_t>> shapes_;  // activation tensors known so far
  std::map<std::string, std::string> alias_;            // Identity/Dropout output -> their input
  std::map<std::string, int> readers_;      // ONNX readers per tensor (graph outputs count as one)
  std::map<std::string, PendingPad> pads_;  // Pad outputs waiting for the Conv/pool that absorbs them
  std::set<std::string> lifted_;            // [N, C, L] tensors held as [N, C, 1, L]
  std::set<std::string> affines_;           // per-channel affines made from constant arithmetic
  int64_t declared_batch_ = 0;              // the graph input's fixed batch size, if it declares one
  std::set<std::string> token_inputs_;      // graph inputs of int64 token ids
  std::map<std::string, int64_t>
      batch_axis_;                     // ONNX tensors whose batch is not axis 0 (ImportSequenceLayout.h)
  std::set<std::string> zero_states_;  // Expand of zeros to the batch size: an RNN's zero initial state
};

}  // namespace

Graph OnnxImporter::load(const std::string& path) {
  return parse(path, read_regular_file(path, "file"));
}

Graph OnnxImporter::parse(const std::string& path, const std::string& serialised_model) {
  if (serialised_model.empty()) throw UserError(path, 0, "file", "the file is empty");
  onnx::ModelProto model;
  if (!model.ParseFromString(serialised_model))
    throw UserError(path, 0, "file",
                    "not a valid ONNX model: the protobuf does not parse (truncated or not ONNX)");
  if (!model.has_graph() || model.graph().node_size() == 0)
    throw UserError(path, 0, "graph", "the model has no graph nodes (truncated file or not an ONNX model)");
  fuse_activation_patterns(*model.mutable_graph(), path);
  return ImportSession(path, model).run();
}

}  // namespace aimc
