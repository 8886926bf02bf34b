#pragma once
// The compiler's mapping of a network of Conv and Gemm layers onto the chip's crossbars and cores, and the
// static per-core command tables; its product, Mapping, is declared in isa/Mapping.h. map_network runs the
// passes in order, each in its own file with its own product: LayerPlan (layers, fusion, INT8 steps; one
// lowering per operator, LayerLowering.h), PieceTiling (crossbar pieces), Placement (cores), TransferPlan
// (readers, multicast, input transfers), Schedule (per-core and per-controller tables), MemoryPlan (SRAM).
#include <map>
#include <string>

#include "aimc/compiler/Graph.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/RunConfig.h"
#include "aimc/isa/Mapping.h"

namespace aimc {

// Maps a network of Conv and Gemm layers (each with an optional fused ReLU/Clip(0, m), residual Add and
// pooling; Flatten/Reshape before a Gemm; a final Softmax left to the host) onto the chip. `absmax` holds the
// largest |value| of every tensor on the calibration set (from the float reference). Unsupported operators
// and networks that need more crossbars than the chip has are UserErrors naming the file and the node.
// `packing`: whether small crossbar pieces share a crossbar (Placement.h).
Mapping map_network(const Graph& graph, const ArchConfig& arch, const std::map<std::string, double>& absmax,
                    PackingPolicy packing = PackingPolicy::kAuto);

}  // namespace aimc
