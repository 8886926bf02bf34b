#include "aimc/hw/CrossbarTile.h"

#include <algorithm>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/isa/FunctionalSteps.h"
#include "aimc/numerics/MvmTiming.h"

namespace aimc {

CrossbarTile::CrossbarTile(const sc_core::sc_module_name& name, const ArchConfig& arch, CoreMemory& memory,
                           AdcBank& adc, uint64_t seed, uint32_t tile_id)
    : CommandTarget(name, arch.core_period_ns()),
      arch_(arch),
      memory_(memory),
      adc_(adc),
      array_(std::make_unique<CrossbarArray>(arch.core.tile, seed, tile_id)),
      mvms_(stats().add("mvms", "1", "Matrix-vector multiplications")),
      busy_ns_(stats().add("busy_time", "ns", "Time the array integrates (PWM windows and phase set-up)")),
      pwm_lsbs_(stats().add("pwm_pulse_lsbs", "LSB", "Sum of PWM pulse widths over all drivers")),
      device_reads_(stats().add("device_reads", "1", "PCM devices read (non-zero input x used output)")),
      array_g_lsbs_(stats().add("array_conductance_lsbs", "nS.LSB",
                                "Sum over reads of sum_i |code_i| x conductance on input line i")),
      wire_g_lsbs_(stats().add("wire_conductance_lsbs", "nS.LSB",
                               "The same for the wires' loss conductance (0 without wire resistance)")),
      adc_counts_(stats().add("adc_counts", "1", "ADC counter values (pos + neg) of every conversion")) {}

CrossbarTile::~CrossbarTile() {
  // A read still running (the simulation stopped during an integration) must not outlive the tile.
  try {
    read_.join();
  } catch (...) {  // nothing left to report it to
  }
}

void CrossbarTile::set_worker_pool(WorkerPool* pool) {
  read_.join();
  pool_ = pool ? pool : &inline_pool_;
}

ProgramResult CrossbarTile::program(const CrossbarPiece& piece) {
  const std::vector<std::pair<int, const CrossbarPiece*>> only{{-1, &piece}};
  return program(only);
}

ProgramResult CrossbarTile::program(const std::vector<std::pair<int, const CrossbarPiece*>>& pieces) {
  AIMC_ASSERT(!pieces.empty());
  blocks_.clear();
  width_ = 0;
  for (const auto& [index, p] : pieces) {
    AIMC_ASSERT(p->geometry.col_count == p->in_count);
    blocks_.push_back({index, p->out_offset, p->out_count, p->in_offset, p->in_count, p->geometry});
    width_ = std::max(width_, p->in_offset + p->in_count);
  }
  codes_.resize(1, width_);
  block_ = nullptr;
  drop_read_ahead();
  std::vector<const CrossbarPiece*> held;
  held.reserve(pieces.size());
  for (const auto& entry : pieces) held.push_back(entry.second);
  return array_->program(crossbar_matrix(held));
}

const CrossbarTile::Block& CrossbarTile::block_for(uint32_t tag) const {
  AIMC_ASSERT_MSG(!blocks_.empty(), "an MVM on a crossbar that holds no piece");
  if (blocks_.size() == 1) return blocks_.front();
  const int piece = tag_piece(tag);
  for (const Block& b : blocks_)
    if (b.piece == piece) return b;
  AIMC_ASSERT_MSG(false, "an MVM for a piece this crossbar does not hold");
  return blocks_.front();
}

int64_t CrossbarTile::gather(const Block& b, uint64_t p, const int8_t* in, int32_t* row) const {
  if (blocks_.size() > 1) std::fill(row, row + width_, 0);
  return step::mvm_gather(b.geometry, static_cast<uint32_t>(p), in, row + b.in_offset,
                          array_->input_code_max());
}

void CrossbarTile::set_inference_time(double t_s) {
  drop_read_ahead();
  array_->set_inference_time(t_s);
}

void CrossbarTile::set_read_ahead(int pixels) {
  if (pixels < 1)
    throw UserError("", 0, "read_ahead", "must be at least 1 pixel, got " + std::to_string(pixels));
  read_ahead_ = pixels;
  drop_read_ahead();
}

uint64_t CrossbarTile::integration_cycles() const {
  return cycles_for_ns(MvmTiming::integration_ns(arch_.core.tile));
}

uint64_t CrossbarTile::load_cycles(int64_t n) const {
  const auto width = static_cast<uint64_t>(arch_.core.sram.width_bits);
  return (8 * static_cast<uint64_t>(n) + width - 1) / width +
         static_cast<uint64_t>(arch_.core.sram.latency_cycles);
}

void CrossbarTile::gather_ahead(const std::vector<int8_t>& in, uint64_t p, uint64_t n, uint64_t first_index) {
  ahead_rows_ = static_cast<Eigen::Index>(n);
  ahead_first_ = first_index;
  ahead_read_ = false;
  ahead_block_ = block_;
  ahead_codes_.resize(ahead_rows_, width_);
  ahead_codes_.row(0) = codes_.row(0);  // pixel p, gathered already
  for (Eigen::Index k = 1; k < ahead_rows_; ++k)
    gather(*block_, p + static_cast<uint64_t>(k), in.data(), ahead_codes_.row(k).data());
  ahead_indices_.resize(n);
  for (uint64_t k = 0; k < n; ++k) ahead_indices_[k] = first_index + k;
}

bool CrossbarTile::counts_from_ahead(uint64_t read_index, MvmActivity& act) {
  if (!ahead_holds(read_index)) return false;
  const auto k = static_cast<Eigen::Index>(read_index - ahead_first_);
  // The read depends on the patch and the read index only (the array's state drops the batch when it
  // changes): a patch that differs from the one gathered ahead reads alone.
  if (ahead_codes_.row(k) != codes_.row(0)) return false;
  if (!ahead_read_) {
    array_->mvm_codes(ahead_codes_, ahead_pos_, ahead_neg_, ahead_indices_, &ahead_activity_);
    ahead_read_ = true;
  }
  adc_.pos = ahead_pos_.row(k);
  adc_.neg = ahead_neg_.row(k);
  act = ahead_activity_[static_cast<size_t>(k)];
  ++read_ahead_hits_;
  return true;
}

void CrossbarTile::execute(const Command& cmd, uint64_t sample) {
  if (cmd.op != CommandOp::kMvm) return;
  const isa::Mvm mvm = isa::Mvm::decode(cmd);
  // Gather the input vector of this pixel (the im2col patch; a Gemm's whole vector) from the SRAM into the
  // PWM drivers (digital clock domain): only the bytes inside the map are read, padding is zero.
  const uint64_t pixels = std::max<uint32_t>(mvm.pixels, 1u), p = pixel();
  const uint64_t read_index = step::mvm_read_index(mvm, sample + noise_offset_, pixel());
  block_ = &block_for(mvm.input_tag);
  const auto& in = memory_.buffer(mvm.input_tag, sample, static_cast<size_t>(block_->geometry.slot_bytes()));
  const int64_t read = gather(*block_, pixel(), in.data(), codes_.data());
  // Read-ahead (host work only, see the header): once every byte of the slot is there, the patches of the
  // following pixels are final too; gather them now, before the last pixel releases the slot.
  if (!ahead_holds(read_index) && read_ahead_ > 1 && p + 1 < pixels &&
      memory_.arrived_bytes(mvm.input_tag, sample) >= static_cast<uint64_t>(block_->geometry.slot_bytes()))
    gather_ahead(in, p, std::min<uint64_t>(static_cast<uint64_t>(read_ahead_), pixels - p), read_index);
  const uint64_t sram_cycles = load_cycles(read);
  memory_.count_access(static_cast<uint64_t>(read));
  if (step::mvm_releases_input(mvm, pixel())) memory_.release(mvm.input_tag, sample);
  wait(sc_core::sc_time(static_cast<double>(sram_cycles) * arch_.du_period_ns(), sc_core::SC_NS));
  wait_for_edge();

  // The read's values do not change its time: it runs on a host worker while the array integrates and is
  // joined where the ADC bank takes the counts (nothing else reads this tile's state or the bank's counters
  // before that).
  adc_.counts_pending = true;
  read_ = pool_->start([this, read_index] {
    read_activity_ = MvmActivity{};
    if (!counts_from_ahead(read_index, read_activity_))
      array_->mvm_codes(codes_, adc_.pos, adc_.neg, read_index, &read_activity_);
  });
  const uint64_t c = integration_cycles();
  mvms_ += 1;
  busy_ns_ += static_cast<double>(c) * period_ns();
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  wait(cycles(c));
  trace_span(MvmTiming::phases(arch_.core.tile.dac) == 4 ? "integrate 4-phase" : "integrate 1-phase", begin,
             sc_core::sc_time_stamp());
  read_.join();
  adc_.counts_pending = false;
  const MvmActivity& act = read_activity_;
  pwm_lsbs_ += static_cast<double>(act.pwm_pulse_lsbs);
  device_reads_ += static_cast<double>(act.device_reads);
  array_g_lsbs_ += static_cast<double>(act.array_conductance_lsbs);
  wire_g_lsbs_ += static_cast<double>(act.wire_conductance_lsbs);
  adc_counts_ += static_cast<double>(act.adc_counts);
  // The ADCs of the piece's output lines (a packed core's other lines carry no current).
  adc_.convert(block_->out_count);
  ++completed_;
}

}  // namespace aimc
