// Real exports of the idioms PyTorch users write (models/pytorch/export_import_idioms.py: small networks
// trained on sklearn's 8x8 digits, exported with torch.onnx.export defaults). Each must import through the
// normalisation passes (compiler/ImportNormalise.h), follow torch in the float reference, and run on the chip
// (arch/ideal.yaml) with torch's argmax on >= 99 % of the inputs.
//
// Table-driven: a new network is one line in kNetworks (the script writes <name>.onnx, <name>_x.npy and
// <name>_logits.npy).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../CliRunner.h"
#include "aimc/base/Npy.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/compiler/ReferenceExecutor.h"

namespace aimc {
namespace {

const std::string kDir = "models/pytorch/";

struct Network {
  const char* name;
  const char* idiom;  // what the export contains that needed normalising
};

const Network kNetworks[] = {
    {"avgpool_default", "all-zero Pad before nn.AvgPool2d; x.view(x.size(0), -1) folded to [1, -1]"},
    {"scale_after_layer", "x * 0.5 after a Conv, x / 2 after a Linear (folded into the weights)"},
    {"conv1d", "Conv1d, BatchNorm1d (torch folds it), MaxPool1d, AvgPool1d (zero Pad) on [N, 4, 16]"},
    {"mean_pool", "x.mean((2, 3)): ReduceMean as a global average pool + Flatten"},
    {"lenet_relu_after_pool", "F.relu(F.max_pool2d(conv(x), 2)): ReLU commuted before the pool"},
    {"squeeze_adaptive", "x.squeeze(-1).squeeze(-1) after nn.AdaptiveAvgPool2d(1)"},
    {"zero_pad_conv", "nn.ZeroPad2d before a Conv, AvgPool2d(padding=1): Pads folded (count_include_pad)"},
    {"reshape_dynamic_batch", "x.reshape(n, -1), dynamic batch: Shape/Gather/Unsqueeze/Concat folded"},
    // The graph operators (models/pytorch/export_graph_ops.py): activations in the digital units' activation
    // stage, Concat as a map layout, sequences, the host's Embedding and LogSoftmax steps.
    {"act_sigmoid", "nn.Sigmoid (table)"},
    {"act_tanh", "nn.Tanh (table)"},
    {"act_gelu", "nn.GELU(), the erf form matched at import (table)"},
    {"act_gelu_tanh", "nn.GELU(approximate='tanh') (table)"},
    {"act_silu", "nn.SiLU: Mul(x, Sigmoid(x)) matched at import (table)"},
    {"act_elu", "nn.ELU (table)"},
    {"act_hardswish", "nn.Hardswish, opset 14 (table)"},
    {"act_hardswish_opset13", "nn.Hardswish at opset 13: HardSigmoid + Mul (table)"},
    {"act_leaky_relu", "nn.LeakyReLU(0.1) (slope and clamp)"},
    {"act_prelu", "nn.PReLU(4) after a Conv, one slope per channel (slope and clamp)"},
    {"act_hardsigmoid", "nn.Hardsigmoid (slope and clamp)"},
    {"act_hardtanh", "nn.Hardtanh(-1, 1): Clip with min != 0 (slope and clamp)"},
    {"cat_dense_conv", "torch.cat of two conv branches along channels (a map of two parts)"},
    {"cat_cos_sin", "torch.cat([cos(x), sin(x)]) features: standalone activations, then a Concat"},
    {"add_pooled_branches", "x + y of two pooled conv branches (an Add on a digital unit alone)"},
    {"add_of_concats", "x + y of two torch.cat maps (an Add of maps made of parts)"},
    {"add_shared_inputs", "u + v where u and v are also read by a torch.cat (no Linear can take the Add)"},
    {"log_softmax_head", "F.log_softmax at the end (a host output step)"},
    {"seq_linear", "nn.Linear on [N, T, D] (a loop over the T positions)"},
    {"token_embedding", "nn.Embedding on int64 token ids (a host input step), then nn.Linear"},
};

class TorchIdiom : public testing::TestWithParam<Network> {};

std::vector<int64_t> argmaxRows(const std::vector<float>& values, int64_t rows) {
  const int64_t cols = static_cast<int64_t>(values.size()) / rows;
  std::vector<int64_t> out;
  for (int64_t r = 0; r < rows; ++r) {
    auto row = values.begin() + r * cols;
    out.push_back(std::max_element(row, row + cols) - row);
  }
  return out;
}

// Float reference vs torch: both float32 networks on the same inputs; they differ only in summation order
// (the reference accumulates in double), so 1e-4 of the largest logit bounds the difference.
TEST_P(TorchIdiom, FloatReferenceFollowsTorch) {
  const std::string name = GetParam().name;
  const Graph graph = OnnxImporter::load(kDir + name + ".onnx");
  const NpyArray x = Npy::read(kDir + name + "_x.npy");
  const NpyArray torch_logits = Npy::read(kDir + name + "_logits.npy");
  ReferenceTensor input = ReferenceTensor::fromNpy(x);
  input.shape = graph.tensor(graph.inputs[0]).shape;  // [N, C, L] is held as [N, C, 1, L]: same C order
  input.shape[0] = x.shape[0];
  const ReferenceTensor y = ReferenceExecutor(graph).run(input).output();
  const std::vector<float> expected = torch_logits.toFloatVector();
  ASSERT_EQ(y.data.size(), expected.size()) << name;
  double largest = 0.0, worst = 0.0;
  for (size_t i = 0; i < expected.size(); ++i) {
    largest = std::max(largest, std::fabs(static_cast<double>(expected[i])));
    worst = std::max(worst, std::fabs(static_cast<double>(y.data[i]) - expected[i]));
  }
  EXPECT_LE(worst, 1e-4 * largest) << name << ": " << GetParam().idiom;
  EXPECT_EQ(argmaxRows(y.data, x.shape[0]), argmaxRows(expected, x.shape[0])) << name;
}

// Largest minus second largest logit of each row.
std::vector<double> marginRows(const std::vector<float>& values, int64_t rows) {
  const int64_t cols = static_cast<int64_t>(values.size()) / rows;
  std::vector<double> out;
  for (int64_t r = 0; r < rows; ++r) {
    std::vector<float> row(values.begin() + r * cols, values.begin() + (r + 1) * cols);
    std::partial_sort(row.begin(), row.begin() + 2, row.end(), std::greater<float>());
    out.push_back(static_cast<double>(row[0]) - row[1]);
  }
  return out;
}

// The chip without device noise (arch/ideal.yaml): INT8 maps between layers, so the chip's logits are INT8
// codes of one output step. Stated error: an input whose two best torch logits are closer than two output
// steps is a tie at that resolution and is not counted; at least 99 % of the others must agree, and at least
// 90 % of the inputs must be counted (the test cannot pass on ties alone).
TEST_P(TorchIdiom, ChipAgreesWithTorchArgmax) {
  const std::string name = GetParam().name;
  const std::string out = testing::TempDir() + "/torch_idiom_" + name;
  int status = -1;
  const std::string log = aimc_test::run_cli_all("run --arch arch/ideal.yaml --model " + kDir + name +
                                                     ".onnx --inputs " + kDir + name + "_x.npy --out " + out,
                                                 &status);
  ASSERT_EQ(status, 0) << name << ": " << log;
  const NpyArray chip = Npy::read(out + "/logits.npy");  // [times, samples, classes]
  const NpyArray torch_logits = Npy::read(kDir + name + "_logits.npy");
  const int64_t samples = torch_logits.shape[0];
  ASSERT_EQ(chip.shape.size(), 3u);
  ASSERT_EQ(chip.shape[1], samples);
  std::vector<float> first_time = chip.toFloatVector();
  first_time.resize(static_cast<size_t>(chip.shape[1] * chip.shape[2]));
  const std::vector<int64_t> a = argmaxRows(first_time, samples);
  const std::vector<int64_t> b = argmaxRows(torch_logits.toFloatVector(), samples);
  std::ifstream report_file(out + "/report.json");
  const double step = nlohmann::json::parse(report_file)["outputs"]["logits"]["step"].get<double>();
  const std::vector<double> margin = marginRows(torch_logits.toFloatVector(), samples);
  int64_t agree = 0, counted = 0;
  for (int64_t i = 0; i < samples; ++i) {
    const auto k = static_cast<size_t>(i);
    if (margin[k] < 2 * step) continue;
    ++counted;
    agree += a[k] == b[k];
  }
  EXPECT_GE(static_cast<double>(counted), 0.9 * static_cast<double>(samples)) << name;
  EXPECT_GE(static_cast<double>(agree), 0.99 * static_cast<double>(counted))
      << name << ": " << agree << " of " << counted << " agree (" << GetParam().idiom << ")";
}

INSTANTIATE_TEST_SUITE_P(Exports, TorchIdiom, testing::ValuesIn(kNetworks),
                         [](const testing::TestParamInfo<Network>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace aimc
