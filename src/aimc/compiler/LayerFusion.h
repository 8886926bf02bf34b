#pragma once
// The fusion step of the layer plan: which nodes after a Conv/Gemm its digital units run, so that they never
// need a map of their own: [ReLU/Clip(0, m)] [Add(skip)] [ReLU/Clip(0, m)] [pool], where an activation
// (kActivation, the digital unit's activation stage) may take the place of the last ReLU (not after a ReLU;
// nothing but a pooling after it). A node is fused only while
// the tensor before it has the layer as its only reader (and is not the network output); the Add only when
// its other input is already an INT8 map of the same shape; a depthwise layer fuses its ReLU/Clip only (its
// digital unit has no side input or pooling pass left); pooling only after a Conv.
#include <map>
#include <string>
#include <vector>

#include "aimc/compiler/LayerPlan.h"

namespace aimc {

// Fuses what follows node `node` (a Conv when `conv`, depthwise when `depthwise`); `maps` are the INT8 maps
// planned so far. Marks the fused nodes in `absorbed`.
LayerFusion fuse_following(const Graph& graph, size_t node, bool conv, bool depthwise,
                           const std::map<std::string, MapInfo>& maps, std::vector<bool>& absorbed);

// Records activation node `node`, reading `input`, as the fusion's activation.
void fuse_activation(const Graph& graph, int node, const std::string& input, LayerFusion& fusion);

// "sigmoid (activation stage)", for the mapping report's list of what a layer fuses.
std::string describe_activation(const Graph& graph, const LayerFusion& fusion);

}  // namespace aimc
