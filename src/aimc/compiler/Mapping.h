#pragma once
// The compiler's output: weight matrices split into crossbar pieces, pieces placed on cores, INT8 activation
// steps per layer, and a static per-core command table (the schedule the controllers execute).
//
// A Gemm W [out, in] becomes ceil(out / rows) x ceil(in / cols) pieces, one crossbar (one core) each. Pieces
// that share an output slice form a partial-sum chain, as on the published chip (REFERENCE A: the digital
// unit adds an INT8 vector arriving from the links): piece k of K adds the INT8 partial sum of piece k-1 and
// passes its own on; only the last applies the bias and the ReLU and sends the slice to the next layer.
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "aimc/compiler/Graph.h"
#include "aimc/config/ArchConfig.h"

namespace aimc {

enum class CommandOp : uint8_t {
  kWaitInput,  // a: slot tag, b: bytes expected — block until that many bytes of this sample arrived
  kMvm,        // a: input slot tag — PWM the input vector into the crossbar, ADCs convert
  kDigital,    // a: output slot tag, b: side-input slot tag or kNoSlot — the digital unit makes INT8 values
  kSend,       // a: source slot tag, b: destination core (kOutputPort = chip output), c: destination tag,
               // d: destination byte offset, e: source byte offset, f: bytes
  kBarrier,  // a: barrier id, b: controllers that meet there, c: kBarrierEverySample or kBarrierBatchEnd —
             // the controller stalls until all of them arrived (hw/ControllerMailbox)
  kConfigure,  // a: configuration-table tag (config_tag), b: channels — the core's DMA copies the table from
               // SRAM into the digital unit's configuration registers; run once at the start of a run
  kDmaCopy,  // a: source slot tag, b: destination slot tag, c: bytes, d: source byte offset, e: destination
             // byte offset, f: source stride in bytes (1 = contiguous; > 1 gathers every f-th byte)
};

// When a kBarrier runs: in every sample's table walk, or once after the last sample of a run.
constexpr uint32_t kBarrierEverySample = 0;
constexpr uint32_t kBarrierBatchEnd = 1;

constexpr uint32_t kNoSlot = 0xFFFFu;
constexpr uint32_t kOutputPort = 0xFFFFFFFFu;

struct Command {
  CommandOp op = CommandOp::kWaitInput;
  uint32_t a = 0, b = 0, c = 0, d = 0, e = 0, f = 0;
  // In a controller's table: which of the cores it drives the command is for (core id - first core id).
  uint32_t slot = 0;
};

struct CrossbarPiece {
  int layer = 0;
  int core = 0;
  int64_t out_begin = 0, out_count = 0;
  int64_t in_begin = 0, in_count = 0;
  int chain_index = 0;  // position in the partial-sum chain of its output slice
  int chain_length = 1;
  Eigen::MatrixXf weight;  // [out_count, in_count]
  // INT8 register values of the digital unit are computed at load time from these real coefficients,
  // once the programmed crossbar's counts_per_unit is known.
  bool relu = false;         // only on the last piece of a chain
  Eigen::VectorXf bias_lsb;  // bias in output steps, only on the last piece (else zeros)
};

struct MappedLayer {
  std::string name;  // ONNX node name
  int64_t in_features = 0, out_features = 0;
  double in_step = 0, out_step = 0;  // real value of one INT8 step of the input and output activations
  bool relu = false;
  std::vector<int> pieces;  // indices into Mapping::pieces
  int out_slices = 0, in_slices = 0;
};

struct Mapping {
  std::vector<MappedLayer> layers;
  std::vector<CrossbarPiece> pieces;
  std::vector<std::vector<Command>> commands;  // per core, executed once per sample
  // Per controller (core.controller.cores_per_controller = K cores each): the tables of its cores merged in
  // the global schedule order (layer by layer, piece by piece, so a controller never waits on work it has
  // not issued yet: no deadlock), each command carrying its core slot; then the batch-end barrier.
  std::vector<std::vector<Command>> controller_commands;
  int cores_used = 0;
  int chip_cores = 0;
  double cell_utilisation = 0;  // weights / (cells of the crossbars used)
  double input_step = 0;        // INT8 step of the network input
  int64_t input_features = 0;
  int64_t output_features = 0;
  std::vector<int> input_cores;  // cores that receive the network input (with the tag and range below)
  std::string source;            // model file

  std::string summary() const;  // the mapping report: pieces per layer, utilisation, cores used
};

// Maps a chain of Gemm [+ Relu] layers (optionally after Flatten/Reshape) onto the chip. `absmax` holds the
// largest |value| of every tensor on the calibration set (from the float reference). Unsupported operators
// and networks that need more crossbars than the chip has are UserErrors naming the file and the node.
Mapping map_network(const Graph& graph, const ArchConfig& arch, const std::map<std::string, double>& absmax);

// Slot tags: the input of piece p is tag p; the partial sum arriving at piece p is tag 0x4000 + p; the output
// of piece p is tag 0x8000 + p.
inline uint32_t input_tag(int piece) {
  return static_cast<uint32_t>(piece);
}
inline uint32_t psum_tag(int piece) {
  return 0x4000u + static_cast<uint32_t>(piece);
}
inline uint32_t output_tag(int piece) {
  return 0x8000u + static_cast<uint32_t>(piece);
}
// The digital unit's configuration table of piece p (its encoded coefficients, placed in the core's SRAM by
// the loader for each inference time).
inline uint32_t config_tag(int piece) {
  return 0xC000u + static_cast<uint32_t>(piece);
}

}  // namespace aimc
