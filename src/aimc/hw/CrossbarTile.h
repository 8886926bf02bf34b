#pragma once
// The crossbar tile with its PWM drivers: loads one input vector from the SRAM (for a Conv, the im2col patch
// of the pixel in the PIXEL register, gathered from the input map: ConvGeometry), applies it as pulse widths
// for one (1-phase) or four (4-phase) read phases and hands the integrated result to the ADC bank. Timing
// (whole core-clock cycles), per MVM:
//   load     = SRAM read of the vector: ceil(8 n / sram width) + latency, digital-unit clock (n = bytes read:
//              a patch's padding is not read)
//   integrate = MvmTiming::integration_ns: phases x windows x (2^(dac_bits-1) t_lsb + phase overhead)
//   then the ADC bank's conversion (AdcBank.h); the closed forms live in numerics/MvmTiming.h.
// HERMES: 1-phase 128 + 1 + 4 = 133 ns, 4-phase 4 (128 + 1) + 4 = 520 ns (REFERENCE A).
//
// Read-ahead (host speed only; simulated results, timing and stats are unchanged): when the input slot of a
// Conv has fully arrived, the MVM of pixel p also gathers the patches of the next pixels (up to
// set_read_ahead() in all) and reads them with one CrossbarArray::mvm_codes call over the batch, which gives
// each row bit for bit what its own read would (read index sample * pixels + pixel, per-row activity).
// Later pixels still gather their patch (SRAM count and load time) and wait their cycles; they take their
// counts from the batch when their read index and patch match a row of it, and read alone otherwise.
//
// Host threads (issue 20 item 3; results, timing and stats unchanged): the read itself (mvm_codes, or the
// read-ahead batch) is started on the chip's WorkerPool when the integration begins and joined when it ends,
// before the ADC bank converts; the tiles of cores integrating at the same simulated time read in parallel.
#include <memory>
#include <vector>

#include "aimc/base/WorkerPool.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/hw/AdcBank.h"
#include "aimc/hw/CommandTarget.h"
#include "aimc/hw/CoreMemory.h"
#include "aimc/isa/Mapping.h"
#include "aimc/numerics/CrossbarArray.h"

namespace aimc {

class CrossbarTile : public CommandTarget {
 public:
  CrossbarTile(const sc_core::sc_module_name& name, const ArchConfig& arch, CoreMemory& memory, AdcBank& adc,
               uint64_t seed, uint32_t tile_id);
  ~CrossbarTile() override;

  // Programs the piece's weights (at load time, before the run).
  ProgramResult program(const CrossbarPiece& piece);
  // Programs the pieces packed on this core (index in Mapping::pieces, piece) as one block-diagonal matrix,
  // each at its out_offset and in_offset (isa/Mapping.h); one piece at offset 0 programs exactly its weights.
  // An MVM finds its piece from its input tag (tag_piece) and drives that piece's input lines only.
  ProgramResult program(const std::vector<std::pair<int, const CrossbarPiece*>>& pieces);
  void set_inference_time(double t_s);
  // Where the reads run (nullptr: on the simulation thread, at the end of each integration).
  void set_worker_pool(WorkerPool* pool);
  const CrossbarArray& array() const { return *array_; }

  uint64_t integration_cycles() const;
  // The whole MVM in core cycles once the vector is loaded: integration + conversion.
  uint64_t mvm_cycles() const { return integration_cycles() + adc_.conversion_cycles(); }
  // Cycles of the digital-unit clock to load an input vector of `n` INT8 values from the SRAM.
  uint64_t load_cycles(int64_t n) const;
  // MVMs whose conversion has finished (the timing gate the tests probe).
  uint64_t completed() const { return completed_; }
  // The samples of the next run, numbered from `first_sample` on the chip, read their noise as samples
  // `first_noise_sample` on (Chip::number_samples_from): a sample's noise key does not follow the hardware's
  // sample register, which counts on across runs.
  void number_noise_from(uint64_t first_sample, uint64_t first_noise_sample) {
    noise_offset_ = first_noise_sample - first_sample;
  }
  // Pixels of one Conv sample read together by the read-ahead (1 = off: every pixel reads alone).
  void set_read_ahead(int pixels);
  int read_ahead() const { return read_ahead_; }
  // MVMs that took their counts from a read-ahead batch (host bookkeeping, not a stat: the simulated
  // activity is the same either way).
  uint64_t read_ahead_hits() const { return read_ahead_hits_; }

 protected:
  void execute(const Command& cmd, uint64_t sample) override;

 private:
  // Pixels [p, p + n) of the slot `in` into the read-ahead batch, row k with read index first_index + k
  // (row 0 is codes_, pixel p's patch).
  void gather_ahead(const std::vector<int8_t>& in, uint64_t p, uint64_t n, uint64_t first_index);
  // A piece's block of the crossbar.
  struct Block {
    int piece = -1;
    int64_t out_offset = 0, out_count = 0, in_offset = 0, in_count = 0;
    ConvGeometry geometry;
  };
  // The block an MVM with input tag `tag` reads (the only one when the core holds one piece).
  const Block& block_for(uint32_t tag) const;
  // Gathers pixel `p` of `in` into `row` (the array's used inputs): the block's lines, zeros elsewhere.
  int64_t gather(const Block& b, uint64_t p, const int8_t* in, int32_t* row) const;
  // Sets the ADC bank's counters and `act` for the pixel in codes_ with read index `read_index` from the
  // read-ahead batch (reading it first if it is pending); false if the batch holds no such row.
  bool counts_from_ahead(uint64_t read_index, MvmActivity& act);
  void drop_read_ahead() { ahead_rows_ = 0; }
  bool ahead_holds(uint64_t read_index) const {
    return ahead_block_ == block_ && read_index >= ahead_first_ &&
           read_index - ahead_first_ < static_cast<uint64_t>(ahead_rows_);
  }

  const ArchConfig& arch_;
  CoreMemory& memory_;
  AdcBank& adc_;
  std::unique_ptr<CrossbarArray> array_;
  std::vector<Block> blocks_;
  int64_t width_ = 0;             // input lines the array uses (the blocks' union)
  const Block* block_ = nullptr;  // of the MVM in progress
  MatrixXi32RowMajor codes_;
  // The read-ahead batch: ahead_rows_ rows (0 = empty), row k the patch of read index ahead_first_ + k;
  // the counts are valid once ahead_read_. At most read_ahead_ rows, so the memory stays bounded.
  int read_ahead_ = 64;
  uint64_t noise_offset_ = 0;  // noise sample number - chip sample number (modulo 2^64)
  Eigen::Index ahead_rows_ = 0;
  uint64_t ahead_first_ = 0;
  const Block* ahead_block_ = nullptr;  // the piece whose patches the batch holds
  bool ahead_read_ = false;
  uint64_t read_ahead_hits_ = 0;
  MatrixXi32RowMajor ahead_codes_, ahead_pos_, ahead_neg_;
  std::vector<uint64_t> ahead_indices_;
  std::vector<MvmActivity> ahead_activity_;
  uint64_t completed_ = 0;
  WorkerPool inline_pool_{1};
  WorkerPool* pool_ = &inline_pool_;
  WorkerJob read_;             // the read of the MVM in progress
  MvmActivity read_activity_;  // its activity, valid after read_.join()
  Stat& mvms_;
  Stat& busy_ns_;
  Stat& pwm_lsbs_;
  Stat& device_reads_;
  Stat& array_g_lsbs_;
  Stat& wire_g_lsbs_;
  Stat& adc_counts_;
};

}  // namespace aimc
