#pragma once
// The compiler's output, which the chip (hw/) and the numerics-only executor (sim/MappedExecutor) load:
// weight matrices split into crossbar pieces, pieces placed on cores, INT8 activation steps per layer, and a
// static per-core command table (the schedule the controllers execute).
//
// A Gemm W [out, in] becomes ceil(out / rows) x ceil(in / cols) pieces, one crossbar (one core) each unless
// packed (below). Pieces
// that share an output slice form a partial-sum chain, as on the published chip (REFERENCE A: the digital
// unit adds an INT8 vector arriving from the links): piece k of K adds the INT8 partial sum of piece k-1 and
// passes its own on; only the last applies the bias and the ReLU and sends the slice to the next layer.
//
// A Conv is the same matrix in im2col form, [out, in * kh * kw], applied once per output pixel: its pieces
// loop over the pixels (kLoop), gathering each patch from the input map held in HWC order (ConvGeometry);
// partial sums flow pixel by pixel along the chain. Activation maps between layers are INT8 in HWC order,
// each consumer holding the channels it reads. A residual Add, a ReLU/Clip(0, m) and one pooling after a
// layer are fused into it (the digital unit's side input, its ReLUs, and a pooling pass of the last partial-
// sum cores over their own channels); see map_network.
//
// A depthwise Conv (group = channels) has no crossbar piece: its channels, up to `rows` per piece, run on the
// digital unit of a core of their own (DepthwiseKernel, command kDepthwise), the crossbar of that core
// unused. Placement choice: a core of its own rather than the core of the following pointwise layer, so that
// every core still holds one piece (one slot-tag space, one register set, pipelined with its neighbours).
//
// Packing (run key mapping.packing, compiler/Placement.h): several small crossbar pieces may share one core's
// crossbar in disjoint row blocks (out_offset), their column blocks (in_offset) side by side or, when the
// columns are full, shared. An MVM of a piece drives only its own input lines with its own input (the others
// get code 0: no current, no read noise) and its digital-unit pass reads only its own output lines, through
// the channel registers at its offset. The core runs its pieces' commands in the
// global piece order, one MVM at a time. Depthwise, affine and residual-pass pieces keep a core of their own
// (their digital-unit state is a whole unit's, not a channel block's), and two pieces of one partial-sum
// chain never share a crossbar (their MVMs would serialise in the chain's pipeline for nothing).
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "aimc/isa/Command.h"
#include "aimc/isa/Instructions.h"
#include "aimc/numerics/ActivationFunction.h"
#include "aimc/numerics/ConvGeometry.h"
#include "aimc/numerics/DepthwiseKernel.h"
#include "aimc/numerics/GdpuCell.h"
#include "aimc/numerics/PoolGeometry.h"

namespace aimc {

// The commands of the tables below are the controllers' instructions (isa/Instructions.h).

// The activation a piece's digital unit applies after the side add (its activation stage; it replaces relu2),
// set on the last piece of a chain: output code = round(f(t2 * out_step) / activation.out_step), where
// t2 is the running value in steps of the piece's out_step (then the pre-activation step).
struct PieceActivation {
  bool enabled = false;
  ActivationSpec spec;
  std::vector<double> alpha;  // PReLU: the slope below 0 of each of the piece's out_count channels
  double out_step = 0;        // real value of one output step after the activation
};

struct CrossbarPiece {
  int layer = 0;
  int core = 0;
  // Where the piece sits in its core's crossbar (Placement; 0, 0 unless packed): output lines (tile rows,
  // their ADCs and the digital unit's channel registers) [out_offset, out_offset + out_count) and input lines
  // (tile columns, their PWM drivers) [in_offset, in_offset + in_count). The pieces of one core occupy
  // disjoint row blocks; their column blocks are disjoint (block diagonal) or start at 0 (stacked, sharing
  // input lines); the other cells stay unprogrammed.
  int64_t out_offset = 0, in_offset = 0;
  int64_t out_begin = 0, out_count = 0;
  int64_t in_begin = 0, in_count = 0;
  int chain_index = 0;  // position in the partial-sum chain of its output slice
  int chain_length = 1;
  Eigen::MatrixXf weight;  // [out_count, in_count]
  ConvGeometry geometry;   // where each pixel's input vector comes from (a Gemm: one pixel, 1x1)
  // INT8 register values of the digital unit are computed at load time from these real coefficients,
  // once the programmed crossbar's counts_per_unit is known (DigitalChannelCoefficients).
  double out_step = 0;       // real value of one step of this piece's output (partial sums included)
  double side_scale = 1.0;   // output steps per side-input step (partial sum or residual skip)
  bool relu1 = false;        // ReLU before the side add (a residual added after the layer's ReLU)
  bool relu2 = false;        // ReLU after the side add; only on the last piece of a chain
  Eigen::VectorXf bias_lsb;  // bias in output steps, only on the last piece (else zeros)
  // The residual pass (Add after the ReLU of a layer whose chain is longer than one): the last piece's
  // digital unit runs its output again through a second register bank, out = v * scale + side_scale * skip.
  bool skip_input = false;  // receives the residual map (slot skip_tag): chain start, or the residual pass
  bool residual_pass = false;
  double residual_scale = 1.0, residual_side_scale = 1.0;
  bool residual_relu = false;
  PoolGeometry pool;  // pooling of the last pieces' output map (pool.enabled)
  // A depthwise conv on the digital unit (depthwise.enabled): no crossbar weights (weight is empty, the
  // core's crossbar stays unprogrammed); out_count channels, in_count = out_count * kh * kw taps.
  DepthwiseKernel depthwise;
  // A per-channel affine on the digital unit (affine; a BatchNormalization on its own): no crossbar weights
  // either; out = affine_scale[c] * in + bias_lsb[c] in output steps per input step (+ side_scale * skip for
  // an Add of two maps, skip_input), then the ReLU (relu2).
  bool affine = false;
  Eigen::VectorXd affine_scale;
  PieceActivation activation;
  // Whether the piece's core programs and reads its crossbar (depthwise and affine pieces run on the
  // digital unit alone).
  bool uses_crossbar() const { return !depthwise.enabled && !affine; }
};

struct MappedLayer {
  std::string name;  // ONNX node name
  bool conv = false;
  bool depthwise = false;  // on the digital units (one core per piece, crossbar unused)
  bool affine = false;     // a per-channel affine on the digital units (one core per piece, crossbar unused)
  int64_t in_features = 0, out_features = 0;  // weight matrix columns (im2col for a Conv) and rows
  int64_t pixels = 1;                         // output pixels (MVMs per piece per sample)
  std::string geometry;                       // ConvGeometry::describe of a Conv
  double in_step = 0, out_step = 0;  // real value of one INT8 step of the input and output activations
  bool relu = false;
  std::string fused;  // what else runs in the digital units: "Add(skip) after ReLU", "MaxPool 2x2 ...", ...
  std::vector<int> pieces;  // indices into Mapping::pieces
  int out_slices = 0, in_slices = 0;
  // Step of the map the layer sends on: after a fused average pool its own calibrated step (out_step x
  // 2^16 / the pool's scale register), else out_step. Activation captures and the network output use it.
  double map_step = 0;
  // The graph nodes the layer runs: its Conv/Gemm/BatchNormalization first, then the ones fused into its
  // digital units (ReLU/Clip, Add, pooling) in graph order.
  std::vector<std::string> nodes;
};

// Where one graph node runs, for the mapping report and report.json.
struct NodePlacement {
  std::string node;   // graph node name (or an ONNX node folded into one at import)
  std::string op;     // its operator ("" for a folded ONNX node: the graph no longer has it)
  std::string where;  // "crossbar", "digital unit", "host", "layout" (a view of a map: no arithmetic),
                      // "folded" (merged into another node at import)
  int layer = -1;     // index into Mapping::layers of the layer that runs it; -1: none
  std::string note;   // e.g. "fused into /conv0/Conv", "folded into /conv0/Conv at import"
};

// A step the host computes on the chip's output map to give the network's output: a final Softmax or
// LogSoftmax (monotonic per sample, so the chip's top-1 is the output's). The chip returns the logits (the
// step's input tensor): logits.npy and the logit error are the logits, compared with the float logits.
struct HostOutputStep {
  std::string node;    // graph node name
  std::string op;      // "Softmax", "LogSoftmax"
  std::string input;   // the tensor it reads
  std::string output;  // the tensor it makes
};

struct Mapping {
  std::vector<MappedLayer> layers;
  std::vector<CrossbarPiece> pieces;
  std::vector<std::vector<Command>> commands;  // per core, executed once per sample
  // Per controller (core.controller.cores_per_controller = K cores each): the tables of its cores merged in
  // the global schedule order (layer by layer, piece by piece, so a controller never waits on work it has
  // not issued yet: no deadlock), each command carrying its core slot; then the batch-end barrier.
  std::vector<std::vector<Command>> controller_commands;
  int cores_used = 0;      // cores holding a piece (packing puts several crossbar pieces on one core)
  int crossbars_used = 0;  // cores whose crossbar holds a piece (depthwise pieces use none)
  int chip_cores = 0;
  double cell_utilisation = 0;  // crossbar weights / (cells of the crossbars used)
  // Per used crossbar, in core order: its pieces and the cells their weights use (Placement).
  struct CrossbarUse {
    int core = 0;
    int pieces = 0;
    int64_t cells = 0;
    double utilisation = 0;  // cells / (rows x cols)
  };
  std::vector<CrossbarUse> crossbar_use;
  double input_step = 0;  // INT8 step of the network input
  int64_t input_features = 0;
  int64_t output_features = 0;
  // Destinations of the kMulticast commands (loaded into the network interfaces with the command tables).
  struct MulticastDestination {
    int core = 0;
    uint32_t tag = 0;
  };
  std::vector<std::vector<MulticastDestination>> multicast_groups;
  // The GDPU slices' scale registers (loaded with the command tables), per slice its banks: what a
  // kGdpuStep's `bank` selects (hw/Gdpu, numerics/GdpuCell.h).
  std::vector<std::vector<GdpuBank>> gdpu_banks;
  std::vector<int> input_cores;  // cores that receive the network input
  // The host's transfers of one sample's input (INT8 codes in HWC order) to those cores, in order.
  struct InputTransfer {
    int core = 0;
    uint32_t tag = 0;
    int64_t dst_offset = 0, src_offset = 0, rows = 1, row_bytes = 0, src_stride = 0, dst_stride = 0;
    isa::RowTransfer transfer() const {
      return {static_cast<uint32_t>(dst_offset), static_cast<uint32_t>(src_offset),
              static_cast<uint32_t>(rows),       static_cast<uint32_t>(row_bytes),
              static_cast<uint32_t>(src_stride), static_cast<uint32_t>(dst_stride)};
    }
  };
  std::vector<InputTransfer> input_transfers;
  // Layout of the network input and output maps (HWC on the chip; the host converts from and to NCHW, except
  // for a sequence [N, T, D], whose positions are the pixels and which is already in that order).
  int64_t input_channels = 0, input_pixels = 1;
  int64_t output_channels = 0, output_pixels = 1;
  bool input_sequence = false, output_sequence = false;
  // The tensor the host streams in: the graph input, or the output of the Embedding the host runs on the
  // network's int64 token ids (then input_host_step names that node).
  std::string input_tensor, input_host_step;
  double output_step = 0;     // INT8 step of the network output (the chip's output map, after its pooling)
  std::string output_tensor;  // the graph tensor the chip's output map holds (before the host steps)
  std::vector<HostOutputStep>
      host_steps;  // after the chip, in order (empty: the chip's output is the output)
  std::vector<NodePlacement> node_placements;  // every graph node (and folded ONNX node), in graph order
  // SRAM the schedule needs on its fullest core: the slots of one piece (arriving maps double-buffered, its
  // own output maps once) against core.sram.size. The chip model does not enforce the size: a schedule that
  // streams rows of a map instead of whole maps would need less (not modelled).
  int64_t sram_need_bytes = 0, sram_size_bytes = 0;
  int sram_need_core = -1;
  std::string source;  // model file

  std::string summary() const;  // the mapping report: pieces per layer, utilisation, cores used
};

// The matrix a core's crossbar is programmed with: its crossbar pieces' weights at their offsets, zero
// elsewhere (the chip's CrossbarTile and the executor program the same). One piece at offset 0: its weights.
Eigen::MatrixXf crossbar_matrix(const std::vector<const CrossbarPiece*>& pieces);

// Slot tags (16 bits; pieces < 0x2000): every tag carries its piece index in its low 13 bits (tag_piece),
// which is how a core holding several packed pieces finds the piece a command is for. The input of piece p
// is tag p; the partial sum arriving at piece p is
// tag 0x4000 + p; the output of piece p is tag 0x8000 + p.
inline int tag_piece(uint32_t tag) {
  return static_cast<int>(tag & 0x1FFFu);
}
inline uint32_t input_tag(int piece) {
  return static_cast<uint32_t>(piece);
}
inline uint32_t psum_tag(int piece) {
  return 0x4000u + static_cast<uint32_t>(piece);
}
inline uint32_t output_tag(int piece) {
  return 0x8000u + static_cast<uint32_t>(piece);
}
// The residual (skip) map arriving at piece p, the output of its residual pass, and its pooled map.
inline uint32_t skip_tag(int piece) {
  return 0x2000u + static_cast<uint32_t>(piece);
}
inline uint32_t residual_tag(int piece) {
  return 0x6000u + static_cast<uint32_t>(piece);
}
inline uint32_t pooled_tag(int piece) {
  return 0xA000u + static_cast<uint32_t>(piece);
}
// The digital unit's configuration table of piece p (its encoded coefficients, placed in the core's SRAM by
// the loader for each inference time).
inline uint32_t config_tag(int piece) {
  return 0xC000u + static_cast<uint32_t>(piece);
}
// The table of its second register bank (the residual pass).
inline uint32_t residual_config_tag(int piece) {
  return 0xE000u + static_cast<uint32_t>(piece);
}

}  // namespace aimc
