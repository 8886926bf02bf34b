// The importer rules and patterns of issue 15 on hand-built ONNX graphs: every activation operator, the
// GELU / SiLU / HardSwish forms torch exports (matching in any operand order, and not matching when one
// constant or one reader differs, with a refusal that says why), Clip as Hardtanh, PReLU slopes, Concat, Mul,
// LogSoftmax, Gather as an Embedding on int64 token ids, MatMul on [N, T, D]; and the float reference of
// each against the formula written out here.
//
// The test builds ModelProtos with the same libonnx classes the importer links; the compiler layer compiles
// them with ONNX_ML=1 and ONNX_NAMESPACE=onnx (the onnx package's compile definitions), so this file does
// too.
#ifndef ONNX_ML
#define ONNX_ML 1
#endif
#ifndef ONNX_NAMESPACE
#define ONNX_NAMESPACE onnx
#endif
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <string>
#include <vector>

#include "aimc/base/Error.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/compiler/ReferenceExecutor.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

// A graph with one input "x" (float [N, dims...] or int64 token ids), built node by node.
class OnnxBuilder {
 public:
  explicit OnnxBuilder(std::vector<int64_t> dims, int opset = 13,
                       int elem_type = onnx::TensorProto_DataType_FLOAT) {
    model_.set_ir_version(7);
    onnx::OperatorSetIdProto* id = model_.add_opset_import();
    id->set_version(opset);
    onnx::ValueInfoProto* in = graph()->add_input();
    in->set_name("x");
    onnx::TypeProto_Tensor* tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elem_type);
    tt->mutable_shape()->add_dim()->set_dim_param("N");
    for (int64_t d : dims) tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  onnx::GraphProto* graph() { return model_.mutable_graph(); }

  // A node; returns its output name (the node's name + "_out").
  std::string node(const std::string& op, std::vector<std::string> inputs, const std::string& name) {
    onnx::NodeProto* n = graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const std::string& in : inputs) n->add_input(in);
    n->add_output(name + "_out");
    last_ = n;
    return name + "_out";
  }
  void floatAttr(const std::string& name, float v) {
    onnx::AttributeProto* a = last_->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_FLOAT);
    a->set_f(v);
  }
  void intAttr(const std::string& name, int64_t v) {
    onnx::AttributeProto* a = last_->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_INT);
    a->set_i(v);
  }
  // A float initializer.
  std::string constant(const std::string& name, std::vector<int64_t> dims, std::vector<float> values) {
    onnx::TensorProto* t = graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto_DataType_FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    for (float v : values) t->add_float_data(v);
    return name;
  }
  // A scalar as a Constant node (as torch writes them).
  std::string scalar(const std::string& name, float v) {
    onnx::NodeProto* n = graph()->add_node();
    n->set_op_type("Constant");
    n->add_output(name);
    onnx::AttributeProto* a = n->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto_AttributeType_TENSOR);
    a->mutable_t()->set_data_type(onnx::TensorProto_DataType_FLOAT);
    a->mutable_t()->add_float_data(v);
    return name;
  }
  Graph import(const std::string& output) {
    graph()->add_output()->set_name(output);
    return OnnxImporter::parse("hand.onnx", model_.SerializeAsString());
  }

 private:
  onnx::ModelProto model_;
  onnx::NodeProto* last_ = nullptr;
};

// Imports and expects a UserError keyed by `key` whose message has every fragment.
void expectRefusal(OnnxBuilder& b, const std::string& output, const std::string& key,
                   std::initializer_list<const char*> fragments) {
  try {
    Graph g = b.import(output);
    FAIL() << "expected a refusal, got\n" << g.summary();
  } catch (const UserError& e) {
    EXPECT_EQ(e.key(), key) << e.what();
    for (const char* f : fragments) EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
  }
}

std::vector<OpKind> kinds(const Graph& g) {
  std::vector<OpKind> k;
  for (const GraphNode& n : g.nodes) k.push_back(n.op);
  return k;
}

// x in [-4, 4] on `count` points per item, 2 items.
ReferenceTensor ramp(std::vector<int64_t> shape) {
  ReferenceTensor t{shape, {}};
  const int64_t n = t.batch() * t.sampleSize();
  for (int64_t i = 0; i < n; ++i)
    t.data.push_back(-4.0f + 8.0f * static_cast<float>(i) / static_cast<float>(n - 1));
  return t;
}

// Runs `g` on a ramp and checks every output element against f(x) within 1e-6 relative + 1e-6.
template <typename F>
void expectElementwise(const Graph& g, std::vector<int64_t> shape, F f) {
  ReferenceTensor x = ramp(shape);
  ReferenceTensor y = ReferenceExecutor(g).run(x).output();
  ASSERT_EQ(y.data.size(), x.data.size());
  for (size_t i = 0; i < x.data.size(); ++i) {
    const double want = f(static_cast<double>(x.data[i]), i);
    EXPECT_NEAR(y.data[i], want, 1e-6 + 1e-6 * std::fabs(want)) << "x = " << x.data[i];
  }
}

// ---- single-node activations ------------------------------------------------------------------------------

TEST(GraphOpsImport, SingleNodeActivationsAndTheirDefaults) {
  struct Case {
    const char* op;
    float alpha;  // NAN: attribute left out
    ActivationSpec want;
  };
  for (const Case& c :
       {Case{"Sigmoid", NAN, {ActivationKind::kSigmoid, 0, 0}},
        Case{"Tanh", NAN, {ActivationKind::kTanh, 0, 0}},
        Case{"LeakyRelu", NAN, {ActivationKind::kLeakyRelu, 0.01, 0}},
        Case{"LeakyRelu", 0.25f, {ActivationKind::kLeakyRelu, 0.25, 0}},
        Case{"Elu", NAN, {ActivationKind::kElu, 1.0, 0}}, Case{"Elu", 0.5f, {ActivationKind::kElu, 0.5, 0}},
        Case{"HardSigmoid", NAN, {ActivationKind::kHardSigmoid, 0.2, 0.5}},
        Case{"HardSwish", NAN, {ActivationKind::kHardSwish, 0, 0}},
        Case{"Cos", NAN, {ActivationKind::kCos, 0, 0}}, Case{"Sin", NAN, {ActivationKind::kSin, 0, 0}}}) {
    OnnxBuilder b({6}, 14);
    std::string y = b.node(c.op, {"x"}, "act");
    if (!std::isnan(c.alpha)) b.floatAttr("alpha", c.alpha);
    Graph g = b.import(y);
    ASSERT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kActivation})) << c.op;
    EXPECT_EQ(g.nodes[0].activation.kind, c.want.kind) << c.op;
    EXPECT_NEAR(g.nodes[0].activation.alpha, c.want.alpha, 1e-7) << c.op;
    EXPECT_NEAR(g.nodes[0].activation.beta, c.want.beta, 1e-7) << c.op;
    EXPECT_NE(g.summary().find(c.want.describe().substr(0, 4)), std::string::npos) << g.summary();
    expectElementwise(g, {2, 6},
                      [&](double x, size_t) { return activation_value(g.nodes[0].activation, x); });
  }
}

TEST(GraphOpsImport, UnknownOperatorIsRefusedWithTheSupportedList) {
  OnnxBuilder b({4});
  std::string y = b.node("Acos", {"x"}, "acos");
  expectRefusal(b, y, "acos", {"Acos", "unsupported operator", "Sigmoid", "LogSoftmax"});
}

// tests/data/onnx/bad_unsupported_op.onnx was the example of an unsupported operator: its Sigmoid now
// imports.
TEST(GraphOpsImport, TheFormerlyUnsupportedSigmoidFileImports) {
  Graph g = OnnxImporter::load(std::string(AIMCSIM_TEST_DATA) + "/onnx/bad_unsupported_op.onnx");
  const GraphNode* act = nullptr;
  for (const GraphNode& n : g.nodes)
    if (n.name == "act") act = &n;
  ASSERT_NE(act, nullptr) << g.summary();
  EXPECT_EQ(act->op, OpKind::kActivation);
  EXPECT_EQ(act->activation.kind, ActivationKind::kSigmoid);
}

TEST(GraphOpsImport, ActivationReferenceFollowsTheFormulas) {
  OnnxBuilder b({8});
  Graph g = b.import(b.node("Sigmoid", {"x"}, "s"));
  expectElementwise(g, {2, 8}, [](double x, size_t) { return 1.0 / (1.0 + std::exp(-x)); });
  OnnxBuilder e({8});
  std::string y = e.node("Elu", {"x"}, "e");
  e.floatAttr("alpha", 0.5f);
  expectElementwise(e.import(y), {2, 8},
                    [](double x, size_t) { return x >= 0 ? x : 0.5 * (std::exp(x) - 1.0); });
}

TEST(GraphOpsImport, UnknownActivationAttributeIsRefused) {
  OnnxBuilder b({4});
  std::string y = b.node("Sigmoid", {"x"}, "s");
  b.floatAttr("alpha", 1.0f);
  expectRefusal(b, y, "s", {"Sigmoid", "unsupported attribute 'alpha'"});
}

TEST(GraphOpsImport, ClipWithNonZeroMinIsHardtanhAndClipZeroMStaysClip) {
  OnnxBuilder b({4});
  Graph g = b.import(b.node("Clip", {"x", b.scalar("lo", -1.0f), b.scalar("hi", 2.0f)}, "clip"));
  ASSERT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kActivation}));
  EXPECT_EQ(g.nodes[0].activation, (ActivationSpec{ActivationKind::kHardtanh, -1.0, 2.0}));
  expectElementwise(g, {2, 4}, [](double x, size_t) { return std::min(std::max(x, -1.0), 2.0); });

  OnnxBuilder relu6({4});
  Graph r =
      relu6.import(relu6.node("Clip", {"x", relu6.scalar("lo", 0.0f), relu6.scalar("hi", 6.0f)}, "clip"));
  EXPECT_EQ(kinds(r), (std::vector<OpKind>{OpKind::kClip}));
}

TEST(GraphOpsImport, PReluSlopeSharedOrPerChannel) {
  OnnxBuilder shared({3, 2, 2});
  Graph s = shared.import(shared.node("PRelu", {"x", shared.constant("a", {1}, {0.25f})}, "p"));
  ASSERT_EQ(s.nodes[0].slope.size(), 3);
  expectElementwise(s, {2, 3, 2, 2}, [](double x, size_t) { return x >= 0 ? x : 0.25 * x; });

  OnnxBuilder conv({3, 2, 2});
  Graph c = conv.import(conv.node("PRelu", {"x", conv.constant("a", {3, 1, 1}, {0.1f, 0.2f, 0.3f})}, "p"));
  const float slope[] = {0.1f, 0.2f, 0.3f};
  expectElementwise(c, {2, 3, 2, 2}, [&](double x, size_t i) { return x >= 0 ? x : slope[i / 4 % 3] * x; });

  OnnxBuilder flat({3});
  Graph f = flat.import(flat.node("PRelu", {"x", flat.constant("a", {3}, {0.1f, 0.2f, 0.3f})}, "p"));
  expectElementwise(f, {2, 3}, [&](double x, size_t i) { return x >= 0 ? x : slope[i % 3] * x; });

  // [3] against [N, 3, 2, 2] broadcasts along W, not the channels.
  OnnxBuilder wrong({3, 2, 2});
  std::string y = wrong.node("PRelu", {"x", wrong.constant("a", {3}, {0.1f, 0.2f, 0.3f})}, "p");
  expectRefusal(wrong, y, "p", {"PRelu", "neither one value nor one per channel"});
}

// ---- GELU, erf form ---------------------------------------------------------------------------------------

// torch 1.13's nn.GELU(): Div(x, sqrt2) -> Erf -> Add 1 -> Mul x -> Mul 0.5, with the operand orders chosen.
struct GeluErfForm {
  float divisor = 1.4142135f;
  float one = 1.0f;
  float half = 0.5f;
  bool swap = false;        // constants first, x second
  bool half_first = false;  // 0.5 * x first, then times (1 + erf)
  bool erf_reused = false;  // the Erf output also feeds the graph output through a Relu (no longer a pattern)
};

std::string buildGeluErf(OnnxBuilder& b, const GeluErfForm& f) {
  std::string h = b.node("Relu", {"x"}, "pre");  // x of the pattern is an activation with other readers
  std::string d = b.node("Div", {h, b.scalar("c_div", f.divisor)}, "div");
  std::string e = b.node("Erf", {d}, "erf");
  std::string a = f.swap ? b.node("Add", {b.scalar("c_one", f.one), e}, "add")
                         : b.node("Add", {e, b.scalar("c_one", f.one)}, "add");
  std::string y;
  if (f.half_first) {
    std::string hx = b.node("Mul", {b.scalar("c_half", f.half), h}, "mul_half");
    y = b.node("Mul", {a, hx}, "mul_x");
  } else {
    std::string m = f.swap ? b.node("Mul", {a, h}, "mul_x") : b.node("Mul", {h, a}, "mul_x");
    y = f.swap ? b.node("Mul", {b.scalar("c_half", f.half), m}, "mul_half")
               : b.node("Mul", {m, b.scalar("c_half", f.half)}, "mul_half");
  }
  if (f.erf_reused) y = b.node("Add", {y, b.node("Relu", {e}, "erf_reader")}, "sum");
  return y;
}

double gelu(double x) {
  return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
}

TEST(GraphOpsImport, GeluErfFormMatchesInAnyOperandOrder) {
  for (GeluErfForm f : {GeluErfForm{}, GeluErfForm{1.4142135f, 1, 0.5f, true, false, false},
                        GeluErfForm{1.4142135f, 1, 0.5f, false, true, false},
                        GeluErfForm{1.4142135f, 1, 0.5f, true, true, false}}) {
    OnnxBuilder b({5});
    Graph g = b.import(buildGeluErf(b, f));
    ASSERT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kRelu, OpKind::kActivation}))
        << f.swap << f.half_first << "\n"
        << g.summary();
    EXPECT_EQ(g.nodes[1].activation.kind, ActivationKind::kGelu);
    EXPECT_EQ(g.nodes[1].folded.size(), 4u);
    EXPECT_NE(g.summary().find("gelu"), std::string::npos);
    expectElementwise(g, {2, 5}, [](double x, size_t) { return gelu(std::max(x, 0.0)); });
  }
}

TEST(GraphOpsImport, GeluErfFormWithAnotherConstantOrReaderIsRefused) {
  GeluErfForm wrong_divisor;
  wrong_divisor.divisor = 1.5f;
  OnnxBuilder a({5});
  std::string y = buildGeluErf(a, wrong_divisor);
  expectRefusal(a, y, "erf", {"Erf", "GELU", "sqrt(2)"});

  GeluErfForm wrong_half;
  wrong_half.half = 0.6f;
  OnnxBuilder b({5});
  y = buildGeluErf(b, wrong_half);
  expectRefusal(b, y, "erf", {"Erf", "GELU", "0.5"});

  GeluErfForm wrong_one;
  wrong_one.one = 1.001f;  // 1e-3 off: beyond the 1e-5 tolerance
  OnnxBuilder c({5});
  y = buildGeluErf(c, wrong_one);
  expectRefusal(c, y, "erf", {"Erf", "Add of the constant 1"});

  GeluErfForm reused;
  reused.erf_reused = true;
  OnnxBuilder d({5});
  y = buildGeluErf(d, reused);
  expectRefusal(d, y, "erf", {"Erf", "GELU"});
}

// ---- GELU, tanh form --------------------------------------------------------------------------------------

std::string buildGeluTanh(OnnxBuilder& b, bool use_pow, float cubic) {
  std::string x = b.node("Relu", {"x"}, "pre");
  std::string cube;
  if (use_pow) {
    cube = b.node("Pow", {x, b.scalar("c_three", 3.0f)}, "pow");
  } else {
    std::string sq = b.node("Mul", {x, x}, "sq");
    cube = b.node("Mul", {x, sq}, "cube");
  }
  std::string t = b.node("Mul", {b.scalar("c_cubic", cubic), cube}, "cubic");
  std::string s = b.node("Add", {x, t}, "inner");
  std::string k = b.node("Mul", {b.scalar("c_k", 0.7978846f), s}, "scale");
  std::string th = b.node("Tanh", {k}, "tanh");
  std::string one = b.node("Add", {b.scalar("c_one", 1.0f), th}, "plus_one");
  std::string m = b.node("Mul", {x, one}, "mul_x");
  return b.node("Mul", {b.scalar("c_half", 0.5f), m}, "mul_half");
}

TEST(GraphOpsImport, GeluTanhFormMatchesWithPowOrMul) {
  for (bool use_pow : {false, true}) {
    OnnxBuilder b({5}, 14);
    Graph g = b.import(buildGeluTanh(b, use_pow, 0.044715f));
    ASSERT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kRelu, OpKind::kActivation})) << g.summary();
    EXPECT_EQ(g.nodes[1].activation.kind, ActivationKind::kGeluTanh);
    EXPECT_EQ(g.nodes[1].folded.size(), use_pow ? 7u : 8u);
    expectElementwise(g, {2, 5}, [](double x, size_t) {
      x = std::max(x, 0.0);
      return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
    });
  }
}

TEST(GraphOpsImport, GeluTanhFormWithAnotherConstantIsRefused) {
  OnnxBuilder p({5}, 14);
  std::string y = buildGeluTanh(p, true, 0.05f);
  expectRefusal(p, y, "pow", {"Pow", "GELU"});
  // Without Pow the pieces are operators of their own (the constant products and sums are per-channel
  // affines, ImportNormalise.h): not a GELU, but the same values as the graph.
  OnnxBuilder m({5}, 14);
  Graph g = m.import(buildGeluTanh(m, false, 0.05f));
  for (const GraphNode& n : g.nodes)
    EXPECT_TRUE(n.op != OpKind::kActivation || n.activation.kind == ActivationKind::kTanh) << g.summary();
  expectElementwise(g, {2, 5}, [](double x, size_t) {
    const double r = std::max(x, 0.0);
    return 0.5 * r * (1.0 + std::tanh(0.7978846 * (r + 0.05 * r * r * r)));
  });
}

// ---- SiLU and HardSwish before opset 14 -------------------------------------------------------------------

TEST(GraphOpsImport, SiluAndHardSwishFormsFuse) {
  OnnxBuilder s({6});
  std::string sig = s.node("Sigmoid", {"x"}, "sig");
  Graph g = s.import(s.node("Mul", {sig, "x"}, "mul"));
  ASSERT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kActivation}));
  EXPECT_EQ(g.nodes[0].activation.kind, ActivationKind::kSilu);
  EXPECT_EQ(g.nodes[0].name, "mul");
  EXPECT_EQ(g.nodes[0].folded, (std::vector<std::string>{"sig"}));
  expectElementwise(g, {2, 6}, [](double x, size_t) { return x / (1.0 + std::exp(-x)); });

  OnnxBuilder h({6});
  std::string hs = h.node("HardSigmoid", {"x"}, "hs");
  h.floatAttr("alpha", 1.0f / 6.0f);
  Graph hg = h.import(h.node("Mul", {"x", hs}, "mul"));
  ASSERT_EQ(kinds(hg), (std::vector<OpKind>{OpKind::kActivation}));
  EXPECT_EQ(hg.nodes[0].activation.kind, ActivationKind::kHardSwish);
  expectElementwise(hg, {2, 6},
                    [](double x, size_t) { return x * std::min(std::max(x / 6 + 0.5, 0.0), 1.0); });
}

TEST(GraphOpsImport, GateThatIsNotSiluOrHardSwishStaysTwoNodesWithTheSameValues) {
  // The sigmoid is also a graph output: no fusion; the product of two activations is the same function.
  OnnxBuilder s({6});
  std::string sig = s.node("Sigmoid", {"x"}, "sig");
  std::string y = s.node("Mul", {"x", sig}, "mul");
  s.graph()->add_output()->set_name(sig);
  Graph g = s.import(y);
  EXPECT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kActivation, OpKind::kMul}));
  ReferenceTensor x = ramp({2, 6});
  ReferenceExecutor::Result r = ReferenceExecutor(g).run(x);
  const ReferenceTensor& out = r.tensors.at(y);
  for (size_t i = 0; i < x.data.size(); ++i)
    EXPECT_NEAR(out.data[i], x.data[i] / (1.0 + std::exp(-x.data[i])), 1e-6);

  // HardSigmoid with ONNX's default alpha 0.2 is not nn.Hardswish's gate.
  OnnxBuilder h({6});
  std::string hs = h.node("HardSigmoid", {"x"}, "hs");
  Graph hg = h.import(h.node("Mul", {"x", hs}, "mul"));
  EXPECT_EQ(kinds(hg), (std::vector<OpKind>{OpKind::kActivation, OpKind::kMul}));
  expectElementwise(hg, {2, 6},
                    [](double x, size_t) { return x * std::min(std::max(0.2 * x + 0.5, 0.0), 1.0); });
}

// ---- Concat, Mul, LogSoftmax ------------------------------------------------------------------------------

TEST(GraphOpsImport, ConcatAlongChannels) {
  OnnxBuilder b({2, 1, 2});
  std::string r = b.node("Relu", {"x"}, "r");
  std::string y = b.node("Concat", {"x", r, "x"}, "cat");
  b.intAttr("axis", 1);
  Graph g = b.import(y);
  EXPECT_EQ(g.tensor(y).shape, (std::vector<int64_t>{kBatch, 6, 1, 2}));
  ReferenceTensor x = ramp({2, 2, 1, 2});
  ReferenceTensor out = ReferenceExecutor(g).run(x).output();
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t i = 0; i < 4; ++i) {
      const float v = x.data[static_cast<size_t>(n * 4 + i)];
      EXPECT_EQ(out.data[static_cast<size_t>(n * 12 + i)], v);
      EXPECT_EQ(out.data[static_cast<size_t>(n * 12 + 4 + i)], std::max(v, 0.0f));
      EXPECT_EQ(out.data[static_cast<size_t>(n * 12 + 8 + i)], v);
    }
}

TEST(GraphOpsImport, ConcatOnOtherAxesOrOfConstantsIsRefused) {
  OnnxBuilder b({2, 3});
  std::string y = b.node("Concat", {"x", "x"}, "cat");
  b.intAttr("axis", -1);
  expectRefusal(b, y, "cat", {"Concat", "axis 1", "not axis 2"});
  OnnxBuilder c({2});
  y = c.node("Concat", {"x", c.constant("k", {1, 2}, {1, 2})}, "cat");
  c.intAttr("axis", 1);
  expectRefusal(c, y, "cat", {"Concat", "is a constant"});
}

TEST(GraphOpsImport, MulOfTwoActivationsAndItsRefusals) {
  OnnxBuilder b({4});
  std::string r = b.node("Relu", {"x"}, "r");
  Graph g = b.import(b.node("Mul", {"x", r}, "mul"));
  expectElementwise(g, {2, 4}, [](double x, size_t) { return x * std::max(x, 0.0); });

  // A product with a constant is a per-channel affine (ImportNormalise.h); one that is not per channel is
  // refused.
  OnnxBuilder c({4, 3});
  std::string y = c.node("Mul", {"x", c.constant("k", {3}, {1, 2, 3})}, "mul");
  expectRefusal(c, y, "mul", {"Mul", "constant", "one value per channel"});

  OnnxBuilder d({4});
  d.node("Reshape", {"x", "shape"}, "rs");
  onnx::TensorProto* shape = d.graph()->add_initializer();
  shape->set_name("shape");
  shape->set_data_type(onnx::TensorProto_DataType_INT64);
  shape->add_dims(3);
  for (int64_t v : {0, 2, 2}) shape->add_int64_data(v);
  y = d.node("Mul", {"x", d.node("Relu", {"rs_out"}, "r")}, "mul");
  expectRefusal(d, y, "mul", {"Mul", "operand shapes differ"});
}

TEST(GraphOpsImport, LogSoftmaxIsItsOwnKind) {
  OnnxBuilder b({5});
  Graph g = b.import(b.node("LogSoftmax", {"x"}, "ls"));
  ASSERT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kLogSoftmax}));
  EXPECT_EQ(g.nodes[0].axis, 1);
  ReferenceTensor x = ramp({2, 5});
  ReferenceTensor y = ReferenceExecutor(g).run(x).output();
  for (int64_t n = 0; n < 2; ++n) {
    double total = 0;
    for (int64_t i = 0; i < 5; ++i)
      total += std::exp(static_cast<double>(x.data[static_cast<size_t>(n * 5 + i)]));
    for (int64_t i = 0; i < 5; ++i) {
      const size_t k = static_cast<size_t>(n * 5 + i);
      EXPECT_NEAR(y.data[k], x.data[k] - std::log(total), 1e-6);
    }
  }
}

// ---- token inputs, Embedding, Linear on [N, T, D] ---------------------------------------------------------

TEST(GraphOpsImport, GatherOnATableByTokenIdsIsAnEmbedding) {
  OnnxBuilder b({3}, 13, onnx::TensorProto_DataType_INT64);
  std::string e =
      b.node("Gather", {b.constant("table", {4, 2}, {0, 1, 10, 11, 20, 21, 30, 31}), "x"}, "embed");
  Graph g = b.import(e);
  ASSERT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kEmbedding}));
  EXPECT_TRUE(g.tensor("x").token_ids);
  EXPECT_EQ(g.tensor(e).shape, (std::vector<int64_t>{kBatch, 3, 2}));
  EXPECT_NE(g.summary().find("int64 token ids"), std::string::npos);
  ReferenceTensor ids{{2, 3}, {3, 0, -1, 2, 2, 1}};
  ReferenceTensor y = ReferenceExecutor(g).run(ids).output();
  const int rows[] = {3, 0, 3, 2, 2, 1};  // -1 counts from the end, as ONNX Gather does
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(y.data[2 * i], 10.0f * rows[i]);
    EXPECT_EQ(y.data[2 * i + 1], 10.0f * rows[i] + 1.0f);
  }
  EXPECT_THROW(ReferenceExecutor(g).run(ReferenceTensor{{1, 3}, {0, 4, 1}}), UserError);
  EXPECT_THROW(ReferenceExecutor(g).run(ReferenceTensor{{1, 3}, {0, 0.5f, 1}}), UserError);
}

TEST(GraphOpsImport, TokenIdsReadByAnythingButAnEmbeddingAreRefusedInWords) {
  OnnxBuilder b({3}, 13, onnx::TensorProto_DataType_INT64);
  std::string r = b.node("Relu", {"x"}, "relu");
  expectRefusal(b, r, "relu", {"Relu", "int64 token ids", "Gather"});

  OnnxBuilder c({3}, 13, onnx::TensorProto_DataType_BOOL);
  std::string s = c.node("Relu", {"x"}, "relu");
  expectRefusal(c, s, "x", {"bool", "float32 inputs and int64 token ids"});

  OnnxBuilder d({4});
  std::string g = d.node("Gather", {"x", d.constant("idx", {1}, {0})}, "gather");
  expectRefusal(d, g, "gather", {"Gather", "embedding lookup"});
}

TEST(GraphOpsImport, MatMulOnASequenceAppliesToEveryPosition) {
  OnnxBuilder b({2, 3});
  std::string m = b.node("MatMul", {"x", b.constant("w", {3, 2}, {1, 0, 0, 1, 1, 1})}, "mm");
  std::string y = b.node("Add", {m, b.constant("bias", {2}, {0.5f, -0.5f})}, "add");
  Graph g = b.import(y);
  ASSERT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kGemm}));
  EXPECT_EQ(g.tensor(y).shape, (std::vector<int64_t>{kBatch, 2, 2}));
  ReferenceTensor x = ramp({2, 2, 3});
  ReferenceTensor out = ReferenceExecutor(g).run(x).output();
  for (size_t p = 0; p < 4; ++p) {  // every (batch item, position)
    const float* v = x.data.data() + 3 * p;
    EXPECT_NEAR(out.data[2 * p], v[0] + v[2] + 0.5, 1e-6);
    EXPECT_NEAR(out.data[2 * p + 1], v[1] + v[2] - 0.5, 1e-6);
  }
}

TEST(GraphOpsImport, BatchNormOnASequenceIsNotFoldedIntoTheLinear) {
  // BatchNorm1d on [N, T, O] normalises axis 1 (the T positions), not the Linear's outputs.
  OnnxBuilder b({2, 3});
  std::string m = b.node("MatMul", {"x", b.constant("w", {3, 3}, {1, 0, 0, 0, 1, 0, 0, 0, 1})}, "mm");
  std::string y = b.node("BatchNormalization",
                         {m, b.constant("g", {2}, {2, 3}), b.constant("beta", {2}, {0, 0}),
                          b.constant("mean", {2}, {0, 0}), b.constant("var", {2}, {1, 1})},
                         "bn");
  Graph g = b.import(y);
  EXPECT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kGemm, OpKind::kBatchNormalization}));
}

}  // namespace
}  // namespace aimc

namespace aimc {
namespace {

// inferNodeShape and validate on IR nodes built directly.
TEST(GraphOpsShapes, NewKindsCheckTheirOperands) {
  GraphNode cat;
  cat.name = "cat";
  cat.op = OpKind::kConcat;
  EXPECT_EQ(inferNodeShape(cat, {{kBatch, 2, 4, 4}, {kBatch, 3, 4, 4}}, "f"),
            (std::vector<int64_t>{kBatch, 5, 4, 4}));
  EXPECT_THROW(inferNodeShape(cat, {{kBatch, 2, 4, 4}, {kBatch, 3, 4, 5}}, "f"), UserError);
  EXPECT_THROW(inferNodeShape(cat, {{kBatch, 2}}, "f"), UserError);

  GraphNode prelu;
  prelu.op = OpKind::kActivation;
  prelu.activation.kind = ActivationKind::kPRelu;
  prelu.slope = Eigen::VectorXf::Ones(3);
  EXPECT_EQ(inferNodeShape(prelu, {{kBatch, 3, 2, 2}}, "f"), (std::vector<int64_t>{kBatch, 3, 2, 2}));
  EXPECT_THROW(inferNodeShape(prelu, {{kBatch, 4, 2, 2}}, "f"), UserError);

  GraphNode gemm;
  gemm.op = OpKind::kGemm;
  gemm.weight = Eigen::MatrixXf::Zero(5, 3);
  gemm.bias = Eigen::VectorXf::Zero(5);
  EXPECT_EQ(inferNodeShape(gemm, {{kBatch, 7, 3}}, "f"), (std::vector<int64_t>{kBatch, 7, 5}));
  EXPECT_THROW(inferNodeShape(gemm, {{kBatch, 3, 7}}, "f"), UserError);
  EXPECT_THROW(inferNodeShape(gemm, {{kBatch, 2, 2, 3}}, "f"), UserError);

  GraphNode mul;
  mul.op = OpKind::kMul;
  EXPECT_THROW(inferNodeShape(mul, {{kBatch, 3}}, "f"), UserError);  // one operand
}

TEST(GraphOpsShapes, ValidateKeepsTokenIdsForEmbeddings) {
  Graph g;
  g.source = "f";
  g.inputs = {"ids"};
  g.setTensor(GraphTensor{"ids", {kBatch, 4}, true});
  GraphNode relu;
  relu.name = "relu";
  relu.op = OpKind::kRelu;
  relu.inputs = {"ids"};
  relu.output = "y";
  g.nodes = {relu};
  g.outputs = {"y"};
  EXPECT_THROW(g.validate(), UserError);
  g.nodes[0].op = OpKind::kEmbedding;
  g.nodes[0].weight = Eigen::MatrixXf::Ones(10, 2);
  EXPECT_NO_THROW(g.validate());
  g.inferShapes();
  EXPECT_EQ(g.tensor("y").shape, (std::vector<int64_t>{kBatch, 4, 2}));
}

}  // namespace
}  // namespace aimc
