#include "aimc/hw/Dma.h"

#include <algorithm>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/isa/FunctionalSteps.h"
#include "aimc/isa/RegisterMap.h"

namespace aimc {

namespace {
uint64_t ceil_div(uint64_t a, uint64_t b) {
  return (a + b - 1) / b;
}
}  // namespace

Dma::Dma(const sc_core::sc_module_name& name, const ArchConfig& arch, CoreMemory& memory,
         const DigitalUnit& digital_unit)
    : CommandTarget(name, 1e3 / arch.core.digital_unit.active_clock_mhz()),
      config_port("config_port"),
      sram_(arch.core.sram),
      memory_(memory),
      digital_unit_(digital_unit),
      transfers_(stats().add("transfers", "1", "Descriptors executed (copies and configurations)")),
      bytes_(stats().add("bytes", "B", "Bytes moved (copied, or written into configuration registers)")),
      config_words_(stats().add("config_words", "1", "Digital-unit configuration registers written")),
      busy_ns_(stats().add("busy_time", "ns", "Time the DMA is busy")) {}

uint64_t Dma::copy_cycles(const SramConfig& sram, uint64_t bytes, uint64_t src_offset, uint64_t stride) {
  if (bytes == 0) return 0;
  const auto width = static_cast<uint64_t>(sram.width_bits);
  uint64_t read_beats = 0;
  if (stride <= 1) {
    read_beats = ceil_div(8 * bytes, width);
  } else {
    // One beat per distinct SRAM word the gathered bytes fall in (addresses only grow, so count changes).
    uint64_t last = UINT64_MAX;
    for (uint64_t i = 0; i < bytes; ++i) {
      const uint64_t word = 8 * (src_offset + i * stride) / width;
      read_beats += word != last ? 1 : 0;
      last = word;
    }
  }
  return static_cast<uint64_t>(sram.latency_cycles) + read_beats + ceil_div(8 * bytes, width);
}

uint64_t Dma::configure_cycles(const SramConfig& sram, uint64_t words) {
  if (words == 0) return 0;
  const uint64_t read_beats = ceil_div(32 * words, static_cast<uint64_t>(sram.width_bits));
  return static_cast<uint64_t>(sram.latency_cycles) + std::max(read_beats, words);
}

void Dma::execute(const Command& cmd, uint64_t sample) {
  if (cmd.op == CommandOp::kDmaCopy) copy(cmd, sample);
  if (cmd.op == CommandOp::kConfigure) configure(cmd);
}

void Dma::copy(const Command& cmd, uint64_t sample) {
  const isa::DmaCopy copy = isa::DmaCopy::decode(cmd);
  const uint64_t bytes = copy.bytes;
  wait_for_edge();
  const uint64_t c = copy_cycles(sram_, bytes, copy.src_offset, copy.stride);
  if (bytes > 0) {
    const std::vector<int8_t>& src = memory_.buffer(copy.src_tag, sample, step::dma_source_end(copy));
    std::vector<int8_t>& dst = memory_.buffer(copy.dst_tag, sample, copy.dst_offset + bytes);
    step::dma_copy(copy, src.data(), dst.data());
    memory_.count_access(2 * bytes);
  }
  wait(cycles(c));
  // The destination's consumers (CoreMemory::wait_for) see the bytes once they are written.
  if (bytes > 0) memory_.arrived(copy.dst_tag, sample, static_cast<uint32_t>(bytes));
  transfers_ += 1;
  bytes_ += static_cast<double>(bytes);
  busy_ns_ += static_cast<double>(c) * period_ns();
}

void Dma::configure(const Command& cmd) {
  const isa::Configure configure = isa::Configure::decode(cmd);
  const std::vector<uint32_t>* table = memory_.table(configure.table_tag);
  const uint64_t words = digital_unit_.impl().config_words(configure.channels);
  // The loader places every table the compiler's commands name before a run starts.
  AIMC_ASSERT_MSG(table != nullptr && table->size() >= words, "configuration table missing from the SRAM");
  wait_for_edge();
  const uint64_t c = configure_cycles(sram_, words);
  memory_.count_access(4 * words);
  wait(cycles(c));
  transfers_ += 1;
  if (words == 0) return;
  // One burst into the register window; the registers hold the values from the end of the transfer.
  tlm::tlm_generic_payload trans;
  std::vector<uint32_t> data(table->begin(), table->begin() + static_cast<std::ptrdiff_t>(words));
  trans.set_command(tlm::TLM_WRITE_COMMAND);
  trans.set_address(regmap::kDigitalConfigBase + 4 * (configure.bank * digital_unit_.bank_registers() +
                                                      static_cast<uint64_t>(configure.first_channel) *
                                                          digital_unit_.impl().words_per_channel()));
  trans.set_data_ptr(reinterpret_cast<unsigned char*>(data.data()));
  trans.set_data_length(static_cast<unsigned>(4 * words));
  trans.set_streaming_width(static_cast<unsigned>(4 * words));
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  config_port->b_transport(trans, delay);
  AIMC_ASSERT(trans.get_response_status() == tlm::TLM_OK_RESPONSE);
  bytes_ += static_cast<double>(4 * words);
  config_words_ += static_cast<double>(words);
  busy_ns_ += static_cast<double>(c) * period_ns();
}

}  // namespace aimc
