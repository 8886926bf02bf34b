#pragma once
// Per-layer INT8 activations of a run (`output.activations`), captured from the data the run really produces:
// the final output slot of every last partial-sum piece of a selected layer (after the fused ReLU, residual
// Add and pooling: the map the chip sends to the next layer), at the moment the digital unit writes it.
// Plain C++, no SystemC: hw/DigitalUnit (timed chip) and sim/MappedExecutor (timing off) call written() with
// the same (core, slot tag, sample, offset, bytes), so both modes capture the same bytes.
//
// A layer's capture is [samples][pixels][channels] INT8 in the chip's HWC order (pixels after pooling); each
// piece writes its channel range [out_begin, out_begin + out_count) of every pixel.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "aimc/isa/Mapping.h"

namespace aimc {

class ActivationCapture {
 public:
  struct Layer {
    int index = 0;  // into Mapping::layers
    std::string name;
    bool conv = false;
    int64_t channels = 0, height = 1, width = 1;  // the output map after pooling (a Gemm: 1 x 1)
    double step = 0;                              // real value of one INT8 step
    int64_t pixels() const { return height * width; }
    int64_t sample_bytes() const { return pixels() * channels; }
  };

  // Captures the layers of `mapping` at `layer_indices`.
  ActivationCapture(const Mapping& mapping, const std::vector<int>& layer_indices);

  // Layer indices of `mapping` that `spec` selects: "false"/"none"/"" none, "all"/"true" every layer, else a
  // comma-separated list of layer (ONNX node) names; an unknown name is a UserError on key
  // output.activations (in `file`) listing the valid names.
  static std::vector<int> select(const Mapping& mapping, const std::string& spec, const std::string& file);

  // Starts a run of `samples` samples numbered from `first_sample` (the chip's numbering); clears the maps.
  void begin_run(uint64_t first_sample, uint64_t samples);
  // The digital unit of `core` wrote `bytes` INT8 values at byte `offset` of slot (tag, sample).
  void written(int core, uint32_t tag, uint64_t sample, uint64_t offset, const int8_t* data, uint64_t bytes);

  const std::vector<Layer>& layers() const { return layers_; }
  // Layer k's map of the current run, [samples][pixels][channels]; asserts that every byte was written once.
  const std::vector<int8_t>& hwc(size_t k) const;

 private:
  struct Watch {
    size_t layer = 0;
    int64_t channel_begin = 0, channel_count = 0;
  };
  static uint64_t key(int core, uint32_t tag) { return (static_cast<uint64_t>(core) << 32) | tag; }

  std::vector<Layer> layers_;
  std::map<uint64_t, Watch> watches_;  // (core, final slot tag) of every last piece of a selected layer
  std::vector<std::vector<int8_t>> maps_;
  std::vector<uint64_t> bytes_written_;
  uint64_t first_sample_ = 0, samples_ = 0;
};

}  // namespace aimc
