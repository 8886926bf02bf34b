#pragma once
// The numerics-only mode (`aimcsim run --timing off`): runs a Mapping's per-core command tables with the same
// numerics as the cycle-level chip (hw/Chip) but without SystemC and without time, for fast accuracy studies.
// Outputs are bit-identical to the chip's:
//   - one CrossbarArray per used core, built with the same (arch tile, seed, tile id = core id) as
//     hw/CrossbarTile and programmed with the same pieces (crossbar_matrix: a packed core's pieces at their
//     offsets), so programming, drift and drift compensation match; an MVM drives its piece's input lines
//     and its digital pass reads its piece's output lines, the piece found from the command's tag;
//   - the digital unit of each core is the implementation hw/DigitalUnit uses (make_digital_unit_impl) with
//     the same registers (piece_channel_coefficients, piece_residual_coefficients), both in
//     hw/DigitalUnitImplFactory; patches are gathered by the piece's ConvGeometry and pools applied by its
//     PoolGeometry, the same plain-C++ code the chip's blocks call;
//   - MVM read indices are the chip's: sample * pixels + PIXEL, where sample numbers keep counting across
//     run() calls as in Chip::run;
//   - INT8 maps, partial sums and activations move between cores exactly as the kSend/kSendRows commands say.
// The tables are interpreted for a chunk of samples at once (all samples of a chunk advance through a command
// together). An MVM is one mvm_codes call over the chunk, row b reading with its own index (sample b of the
// chunk, times pixels, plus PIXEL), which CrossbarArray guarantees equals b separate reads (its exact-grid
// GEMM; tested in tests/unit/numerics/CrossbarMvmTest and in tests/unit/sim/MappedExecutorTest against the
// chip).
// Data dependencies between cores are resolved by running each core's table until it waits for input that
// has not arrived, then moving to the next core, like a dataflow machine; a set of tables that can never
// finish is an internal error (the mapper produced a deadlocking schedule).
//
// Adding a command: give it a case in execute() calling its functional step (isa/FunctionalSteps.h) and, if
// it touches slots, in size_command().
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "aimc/base/WorkerPool.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/isa/ActivationCapture.h"
#include "aimc/isa/Mapping.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/numerics/DigitalUnitImpl.h"
#include "aimc/numerics/MatrixTypes.h"

namespace aimc {

class MappedExecutor {
 public:
  // max_chunk: samples interpreted together (0 = the whole batch of a run); bounds the memory of large runs.
  MappedExecutor(const ArchConfig& arch, const Mapping& mapping, uint64_t seed, uint64_t max_chunk = 0);

  // Host threads for the crossbars' programming and drift (as Chip::set_threads; default 1). The reads run
  // on the calling thread: each core's next command consumes its read at once.
  void set_threads(int threads) { pool_ = std::make_unique<WorkerPool>(threads); }
  // Programs every used crossbar with its piece (as Chip::program); returns the results per piece.
  std::vector<ProgramResult> program();
  // Drifts every crossbar to `t_s` and loads the digital units' registers for that time (as Chip).
  void set_inference_time(double t_s);
  // Runs `samples` input rows ([samples, input_features] INT8 codes in the chip's HWC order); returns
  // [samples, output_features] (HWC), as Chip::run.
  std::vector<int8_t> run(const std::vector<int8_t>& inputs, uint64_t samples);
  // Numbers the next run's samples from `first`, as Chip::number_samples_from.
  void number_samples_from(uint64_t first) {
    AIMC_ASSERT_MSG(first >= next_sample_, "sample numbers only grow");
    next_sample_ = first;
  }

  // Reports every digital-unit output slot write to `capture` as hw/DigitalUnit does (output.activations);
  // each run() starts a new capture. nullptr = none.
  void set_activation_capture(ActivationCapture* capture) { capture_ = capture; }

  // The crossbar of core `core` (nullptr if the core holds no piece).
  const CrossbarArray* array(int core) const { return cores_[static_cast<size_t>(core)].array.get(); }

 private:
  // A slot: (tag) of one core, one row of `width` bytes per sample of the chunk.
  struct Slot {
    uint32_t width = 0;
    uint32_t received = 0;  // bytes that arrived in every row (all rows advance together)
    std::vector<int8_t> data;
    int8_t* row(uint64_t r) { return data.data() + r * width; }
    const int8_t* row(uint64_t r) const { return data.data() + r * width; }
  };
  struct CoreState {
    std::vector<int> pieces;  // the pieces it holds (several crossbar pieces when packed)
    std::unique_ptr<CrossbarArray> array;
    // Per piece: the registers of its channel block (hw/DigitalUnit) and of its residual pass's bank.
    std::map<int, std::unique_ptr<DigitalUnitImpl>> digital, residual;
    int64_t width = 0;                   // input lines of the crossbar (the pieces' union)
    MatrixXi32RowMajor codes, pos, neg;  // PWM codes and ADC counters of the last MVM, [rows, lines]
    std::vector<uint64_t> read_indices;  // of the rows of the last MVM
    std::map<uint32_t, Slot> slots;
    // Program counter and the enclosing kLoop (loop_end == 0: none).
    size_t pc = 0, loop_begin = 0, loop_end = 0;
    uint32_t loop_count = 0, pixel = 0;
  };

  void size_slots();
  void size_command(size_t c, const Command& cmd, uint32_t last_pixel);
  void need(size_t core, uint32_t tag, uint64_t end);
  // The piece of core c that a command with slot tag `tag` is for (the core's only piece, or tag_piece).
  int piece_index(size_t c, uint32_t tag) const;
  const CrossbarPiece& piece_for(size_t c, uint32_t tag) const;
  void need_output(uint32_t core, uint32_t tag, uint64_t end);  // kOutputPort: the executor's output rows
  Slot& slot(size_t core, uint32_t tag);
  bool arrived(size_t c, const isa::WaitInput& w);
  // Moves the rows `t` of every sample row of `from` into slot (core, tag), or the outputs for kOutputPort.
  void deliver(uint32_t core, uint32_t tag, const Slot& from, const isa::RowTransfer& t, uint64_t rows);
  // Runs core `c`'s table from its program counter until it finishes or waits; true if it made progress.
  bool advance(size_t c, uint64_t rows, uint64_t read_index);
  // One command of core c over the chunk's rows: the functional step of isa/FunctionalSteps.h per row.
  void execute(size_t c, const Command& cmd, uint64_t rows, uint64_t read_index);
  void mvm(size_t c, const isa::Mvm& m, uint64_t rows, uint64_t read_index);
  void digital(size_t c, const isa::Digital& d, uint64_t rows, uint64_t read_index);
  void depthwise(size_t c, const isa::Depthwise& dw, uint64_t rows, uint64_t read_index);
  void pool(size_t c, const isa::Pool& p, uint64_t rows, uint64_t read_index);
  void affine(size_t c, const isa::Affine& a, uint64_t rows, uint64_t read_index);
  void gdpu_step(size_t c, const isa::GdpuStep& g, uint64_t rows);
  void run_chunk(const int8_t* inputs, uint64_t rows, uint64_t read_index);

  const ArchConfig& arch_;
  const Mapping& mapping_;
  std::unique_ptr<WorkerPool> pool_ = std::make_unique<WorkerPool>(1);
  uint64_t max_chunk_;
  std::vector<CoreState> cores_;
  std::vector<int8_t> outputs_;  // [rows, output_features] of the current chunk
  ActivationCapture* capture_ = nullptr;
  uint64_t next_sample_ = 0;              // the chip's sample numbering, continued across runs
  std::vector<uint32_t> counters_;        // scratch of the digital steps
  std::vector<int32_t> depthwise_codes_;  // scratch of the depthwise step
  // hw/Gdpu's state registers: per slice, gdpu.state_registers per sample row of the chunk. The chip runs the
  // samples one after another on one register set, so the two agree when every sample's first step on a
  // state block has `first` set (a sequence starts from zero state), as a schedule must.
  std::vector<std::vector<Fp16>> gdpu_state_;
  Slot gdpu_h_;  // one step's h per row, before it is delivered
};

}  // namespace aimc
