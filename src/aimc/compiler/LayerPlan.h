#pragma once
// Pass 1 of map_network, the layer plan: which graph nodes become layers of the chip, what each layer
// absorbs, and the INT8 step of every map. Every Conv/Gemm is a layer; a ReLU/Clip(0, m), a residual Add and
// one pooling after it are fused into it (its digital units run them), so that activations cross the network
// once per layer, as INT8 maps. Each operator kind has its own lowering (LayerLowering.h); a node no lowering
// takes is a UserError naming the file and the node.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "aimc/base/Error.h"
#include "aimc/compiler/Graph.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/isa/Mapping.h"
#include "aimc/numerics/ConvGeometry.h"
#include "aimc/numerics/PoolGeometry.h"

namespace aimc {

// One producer's share of a concatenated map: its channels land at [offset, offset + channels).
struct MapPart {
  int layer = -1;  // producing layer; -1 = the network input
  int64_t offset = 0, channels = 0;
};

// The `layer` of a map made by concatenation (a Concat of maps along channels): it has no producer of its
// own; each of its parts is held where its producer holds it, and a reader reads each part from there.
constexpr int kConcatenatedMap = -2;

// A tensor the chip holds as an INT8 map: the final output of a mapped layer (after its fused ReLU, Add and
// pooling), the network input, or a concatenation of such maps along channels, [h * w][channels] in HWC
// order.
struct MapInfo {
  int layer = -1;  // producing layer; -1 = the network input; kConcatenatedMap: see parts
  int64_t channels = 0, h = 1, w = 1;
  double step = 0;
  bool flattened = false;      // seen through a Flatten/Reshape: a Gemm reads it as one HWC vector
  // A sequence [N, T, D] (T positions of D features, h = T, w = 1): its tensor is already in the chip's HWC
  // order, so the host does not permute it.
  bool sequence = false;
  std::vector<MapPart> parts;  // a concatenated map's producers, by channel offset; empty otherwise
  int64_t pixels() const { return h * w; }
  // Which per-map reader list holds this map's readers: producing layer + 1 (0 = the network input).
  size_t readers_index() const {
    AIMC_ASSERT(layer >= -1);
    return layer < 0 ? 0 : static_cast<size_t>(layer) + 1;
  }
  // The maps a reader reads: the parts of a concatenated map, or the map itself (offset 0).
  std::vector<MapPart> producers() const {
    return parts.empty() ? std::vector<MapPart>{{layer, 0, channels}} : parts;
  }
};

// The nodes after a Conv/Gemm that its digital units run: [ReLU/Clip(0, m)] [Add(skip)] [ReLU/Clip(0, m)]
// [pool], each while the tensor before it has the layer as its only reader.
struct LayerFusion {
  bool relu_pre = false;               // a ReLU/Clip(0, m) before the Add (or without one)
  bool relu_post = false;              // a ReLU/Clip(0, m) after the Add
  double clip_pre = 0, clip_post = 0;  // their m; 0 for a ReLU
  int add = -1, pool = -1;             // node indices of the fused Add and pooling; -1: none
  // A fused activation (kActivation: sigmoid, GELU, LeakyReLU, ...) in the place of the last ReLU: its node
  // index, and the tensor it reads (the pre-activation sum, whose step the chain's last piece works in).
  int activation = -1;
  std::string activation_input;
  ActivationSpec activation_spec;
  Eigen::VectorXf activation_slope;  // PReLU: one slope per channel
  std::string skip;                  // the Add's other input, the residual map
  std::string add_input;             // the Add's input from this layer
  std::string add_output;
  std::string last;  // the last fused tensor before the pooling (the layer's output without one)
};

// Real values of one INT8 step of the maps inside a layer.
struct LayerSteps {
  double out = 0;   // the layer's output (before pooling)
  double mid = 0;   // the map between the ReLU and the residual pass; = out without a residual pass
  double skip = 0;  // the residual map; 0 without an Add
  double psum = 0;  // partial sums along a chain
  double pre = 0;   // the sum before a fused activation (the last piece's working step); = out without one
};

struct PlannedLayer {
  int node = -1;           // the Conv/Gemm node
  MappedLayer mapped;      // the mapping report's row; the piece tiling fills its pieces
  Eigen::MatrixXf weight;  // [out, in]; a Gemm after a Flatten has its columns in the chip's HWC order
  Eigen::VectorXf bias;
  ConvGeometry geometry;  // a Gemm: one 1x1 pixel
  LayerFusion fusion;
  // An Add after the ReLU of a chain longer than one needs the full sum before the ReLU, then the skip: a
  // second (residual) pass of the last piece's digital unit, from an INT8 map at the ReLU's step.
  bool residual_pass = false;
  LayerSteps steps;
  PoolGeometry pool;            // the fused pooling (pool.enabled); channels set per piece
  MapInfo input;                // the map it reads
  MapInfo output;               // the map it makes (after the pooling)
  std::optional<MapInfo> skip;  // the residual map it adds
};

struct LayerPlan {
  std::vector<PlannedLayer> layers;
  std::map<std::string, MapInfo> maps;  // every tensor the chip holds as an INT8 map, by name
  // Tensors whose INT8 step is not their own calibrated one: the inputs and output of a Concat share one step
  // (the largest), so that the concatenated map is one INT8 map without arithmetic.
  std::map<std::string, double> shared_steps;
  MapInfo input;   // the network input
  MapInfo output;  // the network output (a mapped layer's)
  // The tensor the host streams in: the graph input, or the output of the Embedding the host runs on the
  // token ids (the HERMES chip ran embeddings in software); then `host_input_node` is that node's index.
  std::string input_tensor;
  int host_input_node = -1;
};

// Plans the layers of `graph`; `absmax` holds the largest |value| of every tensor on the calibration set.
LayerPlan plan_layers(const Graph& graph, const ArchConfig& arch,
                      const std::map<std::string, double>& absmax);

}  // namespace aimc
