#include "aimc/hw/DigitalUnit.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>

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
  for (uint64_t i = 0; i < words; ++i) {
    uint32_t word = 0;
    std::memcpy(&word, trans.get_data_ptr() + 4 * i, 4);
    const uint64_t index = address / 4 + i;
    if (index < bank) {
      impl_->write_register(static_cast<uint32_t>(index), word);
    } else {
      // The second bank (residual pass) exists in every unit; the model creates it on its first write.
      if (!residual_impl_) residual_impl_ = make_digital_unit_impl(arch_, core_);
      residual_impl_->write_register(static_cast<uint32_t>(index - bank), word);
    }
  }
  config_words_ += static_cast<double>(words);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void DigitalUnit::configure_residual(const std::vector<DigitalChannelCoefficients>& channels) {
  if (!residual_impl_) residual_impl_ = make_digital_unit_impl(arch_, core_);
  residual_impl_->configure(channels);
}

void DigitalUnit::set_pool(const PoolGeometry& pool) {
  pool_ = pool;
  if (pooled_ == nullptr) pooled_ = &stats().add("pool_values_read", "1", "Values read by pooling windows");
}

uint64_t DigitalUnit::lanes() const {
  return static_cast<uint64_t>(arch_.core.digital_unit.kind == "ldpu_fp16"
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
  AIMC_ASSERT(depthwise_.enabled);
  wait_for_edge();
  const auto n = static_cast<size_t>(depthwise_.channels);
  const auto pixels = static_cast<uint64_t>(std::max<uint32_t>(cmd.c, 1u));
  AIMC_ASSERT(static_cast<int64_t>(pixels) == depthwise_.geometry.pixels());
  const int8_t* in =
      memory_.buffer(cmd.a, sample, static_cast<size_t>(depthwise_.geometry.slot_bytes())).data();
  auto& out = memory_.buffer(cmd.b, sample, pixels * n);
  pos_.resize(n);
  neg_.resize(n);
  uint64_t read = 0;
  const auto host_start = std::chrono::steady_clock::now();
  for (uint64_t p = 0; p < pixels; ++p) {
    read += static_cast<uint64_t>(
        depthwise_.run_pixel(static_cast<int64_t>(p), in, dw_codes_.data(), pos_.data(), neg_.data()));
    const uint64_t unit_cycles = impl_->process(pos_.data(), neg_.data(), n, nullptr, out.data() + p * n);
    AIMC_ASSERT_MSG(unit_cycles == impl_->latency_cycles(n),
                    "digital unit cycles differ from latency_cycles");
  }
  host_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  if (capture_) capture_->written(core_, cmd.b, sample, 0, out.data(), pixels * n);
  memory_.release(cmd.a, sample);
  memory_.count_access(read + pixels * n);
  values_ += static_cast<double>(pixels * n);
  *dw_macs_ += static_cast<double>(pixels * n * static_cast<uint64_t>(depthwise_.taps));
  const uint64_t c = depthwise_cycles(pixels, n, static_cast<uint64_t>(depthwise_.taps), read);
  busy_ns_ += static_cast<double>(c) * period_ns();
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  wait(cycles(c));
  trace_span("depthwise " + std::to_string(pixels * n), begin, sc_core::sc_time_stamp());
}

void DigitalUnit::execute_pool(const Command& cmd, uint64_t sample) {
  AIMC_ASSERT(pool_.enabled);
  wait_for_edge();
  const auto in_bytes = static_cast<size_t>(pool_.in_h * pool_.in_w * pool_.channels);
  const auto out_bytes = static_cast<size_t>(pool_.out_bytes());
  const int8_t* in = memory_.buffer(cmd.a, sample, in_bytes).data();
  auto& out = memory_.buffer(cmd.b, sample, out_bytes);
  const auto read = static_cast<uint64_t>(pool_.apply(in, out.data()));
  if (capture_) capture_->written(core_, cmd.b, sample, 0, out.data(), out_bytes);
  memory_.count_access(read + out_bytes);
  *pooled_ += static_cast<double>(read);
  const uint64_t width = arch_.core.sram.width_bits;
  const uint64_t c = pool_cycles(read) + (8 * (read + out_bytes) + width - 1) / width +
                     static_cast<uint64_t>(arch_.core.sram.latency_cycles);
  busy_ns_ += static_cast<double>(c) * period_ns();
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  wait(cycles(c));
  trace_span(std::string(pool_.is_max ? "maxpool " : "avgpool ") + std::to_string(out_bytes), begin,
             sc_core::sc_time_stamp());
}

void DigitalUnit::execute(const Command& cmd, uint64_t sample) {
  if (cmd.op == CommandOp::kPool) return execute_pool(cmd, sample);
  if (cmd.op == CommandOp::kDepthwise) return execute_depthwise(cmd, sample);
  if (cmd.op != CommandOp::kDigital) return;
  wait_for_edge();
  const auto n = static_cast<size_t>(adc_.pos.cols());
  const uint32_t pixels = std::max<uint32_t>(cmd.c, 1u), p = pixel();
  AIMC_ASSERT(p < pixels);
  const size_t at = static_cast<size_t>(p) * n;  // this pixel's place in the HWC maps
  pos_.resize(n);
  neg_.resize(n);
  const bool residual = cmd.e == 1;
  if (residual) {
    // The residual pass: the INT8 values of the source map through the second register bank.
    AIMC_ASSERT(residual_impl_ != nullptr);
    const int8_t* src = memory_.buffer(cmd.d, sample, at + n).data() + at;
    for (size_t i = 0; i < n; ++i) {
      pos_[i] = static_cast<uint32_t>(std::max<int>(src[i], 0));
      neg_[i] = static_cast<uint32_t>(std::max<int>(-src[i], 0));
    }
  } else {
    // The counters are unsigned; the numerics never return negative counts.
    for (size_t i = 0; i < n; ++i) {
      pos_[i] = static_cast<uint32_t>(adc_.pos(0, static_cast<Eigen::Index>(i)));
      neg_[i] = static_cast<uint32_t>(adc_.neg(0, static_cast<Eigen::Index>(i)));
    }
  }
  DigitalUnitImpl& impl = residual ? *residual_impl_ : *impl_;
  const bool has_side = cmd.b != kNoSlot;
  const int8_t* side = has_side ? memory_.buffer(cmd.b, sample, at + n).data() + at : nullptr;
  auto& out = memory_.buffer(cmd.a, sample, at + n);
  const auto host_start = std::chrono::steady_clock::now();
  const uint64_t unit_cycles = impl.process(pos_.data(), neg_.data(), n, side, out.data() + at);
  host_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  if (capture_) capture_->written(core_, cmd.a, sample, at, out.data() + at, n);
  // The chip's timing is the closed form; an implementation that takes other cycles (the RTL) is a bug.
  AIMC_ASSERT_MSG(unit_cycles == impl.latency_cycles(n), "digital unit cycles differ from latency_cycles");
  memory_.count_access(n * ((has_side ? 2 : 1) + (residual ? 1 : 0)));
  if (has_side) {
    if (p + 1 == pixels) memory_.release(cmd.b, sample);
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
