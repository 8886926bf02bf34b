#include "aimc/hw/Controller.h"

#include <cstring>
#include <iostream>

#include "aimc/base/Error.h"
#include "aimc/hw/RegisterMap.h"
#include "aimc/riscv/ElfImage.h"

namespace aimc {

static_assert(regmap::kOpWaitInput == static_cast<uint64_t>(CommandOp::kWaitInput) &&
                  regmap::kOpMvm == static_cast<uint64_t>(CommandOp::kMvm) &&
                  regmap::kOpDigital == static_cast<uint64_t>(CommandOp::kDigital) &&
                  regmap::kOpSend == static_cast<uint64_t>(CommandOp::kSend),
              "the firmware's opcodes (RegisterMap.h) follow CommandOp");

namespace {
// Built by src/firmware/CMakeLists.txt, which defines the path for this file only.
#ifdef AIMCSIM_FIRMWARE_ELF
constexpr const char* kFirmwareElf = AIMCSIM_FIRMWARE_ELF;
#else
constexpr const char* kFirmwareElf = "";
#endif
}  // namespace

Controller::Controller(const sc_core::sc_module_name& name, const ArchConfig& arch,
                       std::vector<Command> table)
    : HwModule(name, arch.controller_period_ns()),
      tile_socket("tile_socket"),
      digital_socket("digital_socket"),
      network_socket("network_socket"),
      table_(std::move(table)),
      cycles_per_command_(static_cast<uint64_t>(arch.core.controller.cycles_per_command)),
      commands_(stats().add("commands", "1", "Commands fetched and issued")),
      busy_ns_(stats().add("issue_time", "ns", "Time spent fetching and issuing commands")) {
  if (table_.empty()) return;
  if (arch.core.controller.kind == "riscv")
    load_firmware(arch);
  else
    SC_THREAD(run);
}

void Controller::start(uint64_t first, uint64_t count) {
  first_ = first;
  count_ = count;
  if (hart_) {
    first_begin_ns_ = first_end_ns_ = -1;
    ctl_first_ = static_cast<uint32_t>(first);
    ctl_count_ = static_cast<uint32_t>(count);
    hart_->set_external_interrupt(true);  // the doorbell; the firmware acknowledges it
    return;
  }
  pending_ = true;  // start() may come before the kernel runs this thread for the first time
  start_event_.notify(sc_core::SC_ZERO_TIME);
}

void Controller::load_firmware(const ArchConfig& arch) {
  if (kFirmwareElf[0] == '\0')
    throw UserError("", 0, "core.controller.kind",
                    "riscv needs the controller firmware, which this build lacks");
  const riscv::ElfImage image = riscv::ElfImage::load(kFirmwareElf);
  const ControllerConfig& c = arch.core.controller;
  hart_ = std::make_unique<riscv::RvHartModule>("hart", period_ns(), c.riscv_timing(), c.quantum_ns);
  hart_bus_ = std::make_unique<tlm_utils::simple_target_socket<Controller>>("hart_bus");
  hart_bus_->register_b_transport(this, &Controller::hart_transport);
  hart_->socket.bind(*hart_bus_);
  riscv::RvHart& h = hart_->hart();
  const auto sram_base = static_cast<uint32_t>(regmap::kSramBase);
  h.add_ram(sram_base, static_cast<uint32_t>(c.sram_bytes));
  for (const riscv::ElfSegment& s : image.segments)
    if (!h.write_ram(s.vaddr, s.bytes.data(), s.bytes.size()) || s.vaddr - sram_base > c.sram_bytes - s.memsz)
      throw UserError(image.path, 0, "p_vaddr", "a firmware segment lies outside the controller SRAM");
  auto symbol = [&](const char* name) {
    auto it = image.symbols.find(name);
    if (it == image.symbols.end()) throw UserError(image.path, 0, name, "symbol missing from the firmware");
    return it->second;
  };
  // The command table, placed where the firmware expects it (7 words a command: op, a..f).
  if (table_.size() > regmap::kCommandCapacity)
    throw UserError("", 0, "core.controller.kind",
                    "riscv: a core's command table has " + std::to_string(table_.size()) +
                        " commands, more than the firmware holds (" +
                        std::to_string(regmap::kCommandCapacity) + ")");
  std::vector<uint32_t> words;
  for (const Command& cmd : table_)
    words.insert(words.end(), {static_cast<uint32_t>(cmd.op), cmd.a, cmd.b, cmd.c, cmd.d, cmd.e, cmd.f});
  AIMC_ASSERT(h.write_ram(symbol("aimc_command_table"), reinterpret_cast<const uint8_t*>(words.data()),
                          words.size() * 4));
  const auto count = static_cast<uint32_t>(table_.size());
  AIMC_ASSERT(h.write_ram(symbol("aimc_command_count"), reinterpret_cast<const uint8_t*>(&count), 4));
  // A trap in the firmware ends it through HTIF: a firmware bug, reported with its cause.
  htif_ = std::make_unique<riscv::Htif>(std::cerr);
  const uint32_t tohost = symbol("tohost");
  h.watch_stores(tohost, 8, [this, tohost](uint32_t addr, uint32_t value) {
    return htif_->store(addr - tohost, value);
  });
  hart_->finished = [this](riscv::RvHart::Stop) {
    std::fprintf(stderr, "%s: firmware stopped (HTIF code %u: mcause of an unexpected trap, mepc 0x%08x)\n",
                 name(), htif_->exit_code(), hart_->hart().mepc());
    AIMC_ASSERT(false);
  };
  hart_->start(image.entry, UINT64_MAX);
  for (const char* n : {"instructions", "cycles", "stall_time", "sleep_time"})
    hart_stats_.push_back(
        {n, &stats().add(n, std::string(n).find("time") != std::string::npos ? "ns" : "1",
                         std::string("RISC-V controller: ") + n + " (see the hart's group)")});
  for (int k = 0; k < static_cast<int>(riscv::RvClass::kCount); ++k) {
    const std::string n = std::string("instructions_") + riscv::rv_class_name(static_cast<riscv::RvClass>(k));
    hart_stats_.push_back({n, &stats().add(n, "1", "RISC-V controller: instructions retired of this class")});
  }
}

void Controller::publish_hart_stats() {
  hart_->publish_stats();
  for (auto& [n, stat] : hart_stats_) stat->set(hart_->stats().value(n));
  busy_ns_.set((hart_->stats().value("cycles") * period_ns()) - hart_->stats().value("sleep_time"));
}

void Controller::hart_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t addr = trans.get_address();
  const uint64_t block = addr & ~(regmap::kBlockSpan - 1);
  tlm_utils::simple_initiator_socket<Controller>* target = block == regmap::kTileBase      ? &tile_socket
                                                           : block == regmap::kDigitalBase ? &digital_socket
                                                           : block == regmap::kNetworkBase ? &network_socket
                                                                                           : nullptr;
  if (target) {
    const uint64_t offset = addr - block;
    if (offset == regmap::kGo && trans.is_write()) {
      uint32_t op = 0;
      std::memcpy(&op, trans.get_data_ptr(), 4);
      commands_ += 1;
      if (first_begin_ns_ < 0 && op != regmap::kOpWaitInput)
        first_begin_ns_ = (sc_core::sc_time_stamp() + delay).to_seconds() * 1e9;
    }
    (*target)->b_transport(trans, delay);
    return;
  }
  const uint64_t offset = addr - regmap::kControlBase;
  if (block != regmap::kControlBase || trans.get_data_length() != 4 || offset % 4 != 0 ||
      offset > regmap::kCtlSampleDone) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  uint32_t value = 0;
  if (trans.is_read()) {
    value = offset == regmap::kCtlFirst ? ctl_first_ : offset == regmap::kCtlCount ? ctl_count_ : 0;
    std::memcpy(trans.get_data_ptr(), &value, 4);
  } else {
    std::memcpy(&value, trans.get_data_ptr(), 4);
    if (offset == regmap::kCtlAck) {
      ctl_count_ = 0;
      hart_->set_external_interrupt(false);
    } else if (offset == regmap::kCtlSampleDone) {
      wait(delay);  // the sample ends at the hart's local time
      delay = sc_core::SC_ZERO_TIME;
      if (value == first_) first_end_ns_ = sc_core::sc_time_stamp().to_seconds() * 1e9;
      publish_hart_stats();
      if (sample_done) sample_done(value);
    }
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Controller::write(tlm_utils::simple_initiator_socket<Controller>& socket, uint64_t base, uint64_t offset,
                       uint32_t value) {
  tlm::tlm_generic_payload trans;
  trans.set_command(tlm::TLM_WRITE_COMMAND);
  trans.set_address(base + offset);
  trans.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
  trans.set_data_length(4);
  trans.set_streaming_width(4);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  socket->b_transport(trans, delay);
  AIMC_ASSERT(trans.get_response_status() == tlm::TLM_OK_RESPONSE);
}

void Controller::run() {
  while (true) {
    if (!pending_) wait(start_event_);
    pending_ = false;
    first_begin_ns_ = -1;
    for (uint64_t s = first_; s < first_ + count_; ++s) {
      for (const Command& cmd : table_) {
        if (s == first_ && first_begin_ns_ < 0 && cmd.op != CommandOp::kWaitInput)
          first_begin_ns_ = sc_core::sc_time_stamp().to_seconds() * 1e9;
        wait(cycles(cycles_per_command_));
        commands_ += 1;
        busy_ns_ += static_cast<double>(cycles_per_command_) * period_ns();
        auto& socket = cmd.op == CommandOp::kMvm       ? tile_socket
                       : cmd.op == CommandOp::kDigital ? digital_socket
                                                       : network_socket;
        const uint64_t base = cmd.op == CommandOp::kMvm       ? regmap::kTileBase
                              : cmd.op == CommandOp::kDigital ? regmap::kDigitalBase
                                                              : regmap::kNetworkBase;
        const uint32_t args[6] = {cmd.a, cmd.b, cmd.c, cmd.d, cmd.e, cmd.f};
        for (int i = 0; i < 6; ++i)
          write(socket, base, regmap::kArg0 + 4 * static_cast<uint64_t>(i), args[i]);
        write(socket, base, regmap::kSample, static_cast<uint32_t>(s));
        write(socket, base, regmap::kGo, static_cast<uint32_t>(cmd.op));
      }
      if (s == first_) first_end_ns_ = sc_core::sc_time_stamp().to_seconds() * 1e9;
      if (sample_done) sample_done(s);
    }
  }
}

}  // namespace aimc
