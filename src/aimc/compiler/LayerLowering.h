#pragma once
// The lowerings of the layer plan, one function per operator kind: each takes one graph node into the plan
// (a layer, a view of a map) or refuses it with a UserError that says why. Supporting a new operator means
// writing its lowering and naming it in lowering_for (LayerPlan.cpp), not editing the other lowerings.
#include <map>
#include <string>
#include <vector>

#include "aimc/compiler/LayerPlan.h"

namespace aimc {

// What a lowering reads and the plan it extends.
struct LoweringContext {
  const Graph& graph;
  const ArchConfig& arch;
  const std::map<std::string, double>& absmax;
  LayerPlan& plan;
  std::vector<bool>& absorbed;  // per node: fused into an earlier layer (no lowering of its own)

  int code_max() const { return (1 << (arch.core.tile.dac.bits - 1)) - 1; }
  // The INT8 step of a calibrated tensor.
  double step_for(const std::string& tensor) const;
  // The map `node` reads as `tensor`; a UserError when the chip does not hold it as an INT8 map.
  const MapInfo& map_of(const GraphNode& node, const std::string& tensor) const;
  // A UserError naming the arch file and key when `fusion` has an activation and the digital units have no
  // activation stage (core.digital_unit.activation.enabled).
  void require_activation_stage(const LayerFusion& fusion) const;
};

using NodeLowering = void (*)(LoweringContext& context, size_t node);

// The lowering of an operator kind.
NodeLowering lowering_for(OpKind op);

// Conv and Gemm: a layer of crossbar (or depthwise) pieces with what follows it fused in.
void lower_crossbar_layer(LoweringContext& context, size_t node);
// BatchNormalization on its own: a per-channel affine on the digital units (LowerChannelAffine.cpp).
void lower_channel_affine(LoweringContext& context, size_t node);
// An activation no Conv/Gemm fuses: the identity affine with the activation stage (LowerChannelAffine.cpp).
void lower_activation(LoweringContext& context, size_t node);
// An Add of two maps no Conv/Gemm fuses: the identity affine of one with the other as the digital unit's side
// input (LowerChannelAffine.cpp).
void lower_add_of_maps(LoweringContext& context, size_t node);
// Flatten and Reshape of a whole map to [N, features]: the same map, read by a Gemm as one HWC vector.
void lower_flatten(LoweringContext& context, size_t node);
// Concat along channels: a map made of its inputs' maps, each where its producer holds it (LowerConcat.cpp).
void lower_concat(LoweringContext& context, size_t node);
// A final Softmax (and, named for its OpKind in lowering_for, a final LogSoftmax): a host output step
// (HostOutputStep); the chip's output stays the logits it reads.
void lower_final_softmax(LoweringContext& context, size_t node);
// Operators the chip runs only fused into a Conv/Gemm; met on their own they are refused.
void refuse_unfused_pool(LoweringContext& context, size_t node);
void refuse_unfused_relu(LoweringContext& context, size_t node);
void refuse_unsupported(LoweringContext& context, size_t node);
// Operators the importer and the float reference know but no lowering maps yet (activations, Concat, Mul,
// LogSoftmax, Embedding): refused with what they are and what would run them.
void refuse_not_yet_mapped(LoweringContext& context, size_t node);

}  // namespace aimc
