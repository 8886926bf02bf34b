#include "aimc/hw/DigitalUnit.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>

#include "aimc/isa/FunctionalSteps.h"
#include "aimc/isa/Mapping.h"

namespace aimc {

DigitalUnit::DigitalUnit(const sc_core::sc_module_name& name, const ArchConfig& arch, int core,
                         CoreMemory& memory, const AdcBank& adc)
    : CommandTarget(name, 1e3 / arch.core.digital_unit.active_clock_mhz()),
      arch_(arch),
      memory_(memory),
      adc_(adc),
      impl_(make_digital_unit_impl(arch, core)),
      core_(core),
      values_(stats().add("values", "1", "INT8 output values produced")),
      side_adds_(stats().add("side_adds", "1", "Values that added an INT8 side input (partial sum)")),
      busy_ns_(stats().add("busy_time", "ns", "Time the pipeline is busy")),
      config_words_(stats().add("config_words", "1", "Configuration registers written (by the DMA)")) {
  config_socket.register_b_transport(this, &DigitalUnit::write_config);
}

void DigitalUnit::write_config(tlm::tlm_generic_payload& trans, sc_core::sc_time& /*delay*/) {
  const uint64_t address = trans.get_address() - regmap::kDigitalConfigBase;
  const uint64_t length = trans.get_data_length();
  const uint64_t words = length / 4;  // exact: a length that is not whole words is refused below
  const uint64_t bank = bank_registers();
  if (trans.get_command() != tlm::TLM_WRITE_COMMAND || address % 4 != 0 || length % 4 != 0 ||
      address / 4 + words > 2 * bank) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  // A burst configures one register set: a packed piece's channel block is addressed at its first channel,
  // and its words (shared activation words first, then its channels) go to that block's set in order.
  DigitalUnitImpl* target = impl_.get();
  uint64_t first_index = address / 4;
  if (first_index < bank) {
    auto it = block_impls_.find(static_cast<int64_t>(first_index / impl_->words_per_channel()));
    if (first_index % impl_->words_per_channel() == 0 && it != block_impls_.end()) {
      target = it->second.get();
      first_index = 0;
    }
  }
  for (uint64_t i = 0; i < words; ++i) {
    uint32_t word = 0;
    std::memcpy(&word, trans.get_data_ptr() + 4 * i, 4);
    const uint64_t index = first_index + i;
    if (address / 4 + i < bank) {
      target->write_register(static_cast<uint32_t>(index), word);
    } else {
      // The second bank (residual pass) exists in every unit; the model creates it on its first write.
      if (!residual_impl_) residual_impl_ = make_digital_unit_impl(arch_, core_);
      residual_impl_->write_register(static_cast<uint32_t>(address / 4 + i - bank), word);
    }
  }
  config_words_ += static_cast<double>(words);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void DigitalUnit::configure_residual(const std::vector<DigitalChannelCoefficients>& channels) {
  if (!residual_impl_) residual_impl_ = make_digital_unit_impl(arch_, core_);
  residual_impl_->configure(channels);
}

void DigitalUnit::set_channel_block(int piece, int64_t first, int64_t count) {
  blocks_[piece] = {first, count};
  if (first > 0 && block_impls_.count(first) == 0) block_impls_[first] = make_digital_unit_impl(arch_, core_);
}

void DigitalUnit::set_pool(const PoolGeometry& pool, int piece) {
  pools_[piece] = pool;
  if (pooled_ == nullptr) pooled_ = &stats().add("pool_values_read", "1", "Values read by pooling windows");
}

uint64_t DigitalUnit::lanes() const {
  return static_cast<uint64_t>(arch_.core.digital_unit.kind == DigitalUnitKind::kLdpuFp16
                                   ? arch_.core.digital_unit.ldpu_lanes
                                   : arch_.core.digital_unit.lanes);
}

uint64_t DigitalUnit::pool_cycles(uint64_t values) const {
  return (values + lanes() - 1) / lanes();
}

void DigitalUnit::set_depthwise(const DepthwiseKernel& kernel) {
  AIMC_ASSERT(kernel.enabled);
  depthwise_ = kernel;
  dw_codes_.resize(static_cast<size_t>(kernel.geometry.col_count));
  if (dw_macs_ == nullptr)
    dw_macs_ = &stats().add("depthwise_macs", "1", "INT8 multiply-accumulates of depthwise convolutions");
}

uint64_t DigitalUnit::depthwise_cycles(uint64_t pixels, uint64_t channels, uint64_t taps,
                                       uint64_t bytes_read) const {
  const uint64_t width = arch_.core.sram.width_bits;
  return (pixels * channels * taps + lanes() - 1) / lanes() + impl_->latency_cycles(pixels * channels) +
         (8 * (bytes_read + pixels * channels) + width - 1) / width +
         static_cast<uint64_t>(arch_.core.sram.latency_cycles);
}

void DigitalUnit::execute_depthwise(const Command& cmd, uint64_t sample) {
  const isa::Depthwise dw = isa::Depthwise::decode(cmd);
  wait_for_edge();
  const auto n = static_cast<size_t>(depthwise_.channels);
  const auto pixels = static_cast<uint64_t>(std::max<uint32_t>(dw.pixels, 1u));
  const int8_t* in =
      memory_.buffer(dw.input_tag, sample, static_cast<size_t>(depthwise_.geometry.slot_bytes())).data();
  auto& out = memory_.buffer(dw.output_tag, sample, pixels * n);
  const auto host_start = std::chrono::steady_clock::now();
  const uint64_t read =
      step::depthwise_map(depthwise_, *impl_, pixels, in, out.data(), counters_, dw_codes_).bytes_read;
  host_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  if (capture_) capture_->written(core_, dw.output_tag, sample, 0, out.data(), pixels * n);
  memory_.release(dw.input_tag, sample);
  memory_.count_access(read + pixels * n);
  values_ += static_cast<double>(pixels * n);
  *dw_macs_ += static_cast<double>(pixels * n * static_cast<uint64_t>(depthwise_.taps));
  const uint64_t c = depthwise_cycles(pixels, n, static_cast<uint64_t>(depthwise_.taps), read);
  busy_ns_ += static_cast<double>(c) * period_ns();
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  wait(cycles(c));
  trace_span("depthwise " + std::to_string(pixels * n), begin, sc_core::sc_time_stamp());
}

uint64_t DigitalUnit::affine_cycles(uint64_t pixels, uint64_t channels, bool side) const {
  return depthwise_cycles(pixels, channels, 0, (side ? 2 : 1) * pixels * channels);
}

void DigitalUnit::execute_affine(const Command& cmd, uint64_t sample) {
  const isa::Affine a = isa::Affine::decode(cmd);
  wait_for_edge();
  const uint64_t pixels = std::max<uint32_t>(a.pixels, 1u), n = a.channels;
  const int8_t* in = memory_.buffer(a.input_tag, sample, pixels * n).data();
  const bool has_side = a.side_tag != kNoSlot;
  const int8_t* side = has_side ? memory_.buffer(a.side_tag, sample, pixels * n).data() : nullptr;
  auto& out = memory_.buffer(a.output_tag, sample, pixels * n);
  const auto host_start = std::chrono::steady_clock::now();
  step::affine_map(*impl_, pixels, n, in, side, out.data(), counters_);
  host_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  if (capture_) capture_->written(core_, a.output_tag, sample, 0, out.data(), pixels * n);
  memory_.release(a.input_tag, sample);
  if (has_side) {
    memory_.release(a.side_tag, sample);
    side_adds_ += static_cast<double>(pixels * n);
  }
  memory_.count_access((has_side ? 3 : 2) * pixels * n);
  values_ += static_cast<double>(pixels * n);
  const uint64_t c = affine_cycles(pixels, n, has_side);
  busy_ns_ += static_cast<double>(c) * period_ns();
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  wait(cycles(c));
  trace_span("affine " + std::to_string(pixels * n), begin, sc_core::sc_time_stamp());
}

void DigitalUnit::execute_pool(const Command& cmd, uint64_t sample) {
  const isa::Pool pool = isa::Pool::decode(cmd);
  auto found = pools_.find(tag_piece(pool.src_tag));
  if (found == pools_.end()) found = pools_.find(-1);
  AIMC_ASSERT_MSG(found != pools_.end(), "a pooling pass for a piece without pooling");
  const PoolGeometry& geometry = found->second;
  wait_for_edge();
  const auto in_bytes = static_cast<size_t>(geometry.in_h * geometry.in_w * geometry.channels);
  const auto out_bytes = static_cast<size_t>(geometry.out_bytes());
  const int8_t* in = memory_.buffer(pool.src_tag, sample, in_bytes).data();
  auto& out = memory_.buffer(pool.dst_tag, sample, out_bytes);
  const auto read = static_cast<uint64_t>(step::pool_map(geometry, in, out.data()));
  if (capture_) capture_->written(core_, pool.dst_tag, sample, 0, out.data(), out_bytes);
  memory_.count_access(read + out_bytes);
  *pooled_ += static_cast<double>(read);
  const uint64_t width = arch_.core.sram.width_bits;
  const uint64_t c = pool_cycles(read) + (8 * (read + out_bytes) + width - 1) / width +
                     static_cast<uint64_t>(arch_.core.sram.latency_cycles);
  busy_ns_ += static_cast<double>(c) * period_ns();
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  wait(cycles(c));
  trace_span(std::string(geometry.is_max ? "maxpool " : "avgpool ") + std::to_string(out_bytes), begin,
             sc_core::sc_time_stamp());
}

void DigitalUnit::execute(const Command& cmd, uint64_t sample) {
  if (cmd.op == CommandOp::kPool) return execute_pool(cmd, sample);
  if (cmd.op == CommandOp::kDepthwise) return execute_depthwise(cmd, sample);
  if (cmd.op == CommandOp::kAffine) return execute_affine(cmd, sample);
  if (cmd.op != CommandOp::kDigital) return;
  const isa::Digital d = isa::Digital::decode(cmd);
  wait_for_edge();
  AIMC_ASSERT_MSG(!adc_.counts_pending, "the digital unit reads ADC counters an MVM is still integrating");
  // The piece's channel block (its ADC lines and channel registers); the only piece: every line.
  const auto block = blocks_.find(tag_piece(d.output_tag));
  const int64_t first = block == blocks_.end() ? 0 : block->second.first;
  const auto n = static_cast<size_t>(block == blocks_.end() ? adc_.pos.cols() : block->second.count);
  AIMC_ASSERT(first + static_cast<int64_t>(n) <= adc_.pos.cols() || d.residual);
  const uint64_t at = step::digital_offset(d, pixel(), n);
  const bool has_side = d.side_tag != kNoSlot;
  const int8_t* side = has_side ? memory_.buffer(d.side_tag, sample, at + n).data() + at : nullptr;
  auto& out = memory_.buffer(d.output_tag, sample, at + n);
  // The residual pass: the INT8 values of the source map through the second register bank.
  AIMC_ASSERT(!d.residual || residual_impl_ != nullptr);
  DigitalUnitImpl& impl = d.residual ? *residual_impl_ : impl_at(first);
  const auto host_start = std::chrono::steady_clock::now();
  const uint64_t unit_cycles =
      d.residual ? step::digital_from_int8(impl, memory_.buffer(d.source_tag, sample, at + n).data() + at, n,
                                           side, out.data() + at, counters_)
                 : step::digital_from_counters(impl, adc_.pos.data() + first, adc_.neg.data() + first, n,
                                               side, out.data() + at, counters_);
  host_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  if (capture_) capture_->written(core_, d.output_tag, sample, at, out.data() + at, n);
  memory_.count_access(n * ((has_side ? 2 : 1) + (d.residual ? 1 : 0)));
  if (has_side) {
    if (step::digital_releases_side(d, pixel())) memory_.release(d.side_tag, sample);
    side_adds_ += static_cast<double>(n);
  }
  const uint64_t sram_cycles = (8 * n + arch_.core.sram.width_bits - 1) / arch_.core.sram.width_bits +
                               static_cast<uint64_t>(arch_.core.sram.latency_cycles);
  const uint64_t c = unit_cycles + sram_cycles;
  values_ += static_cast<double>(n);
  busy_ns_ += static_cast<double>(c) * period_ns();
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  wait(cycles(c));
  trace_span(impl_->name() + " " + std::to_string(n), begin, sc_core::sc_time_stamp());
}

}  // namespace aimc
