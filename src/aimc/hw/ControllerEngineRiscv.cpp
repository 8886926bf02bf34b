#include "aimc/hw/ControllerEngineRiscv.h"

#include <cstdio>
#include <cstring>
#include <iostream>

#include "aimc/base/Error.h"
#include "aimc/isa/RegisterMap.h"
#include "aimc/riscv/ElfImage.h"

namespace aimc {

namespace {
// Built by src/firmware/CMakeLists.txt, which defines the path for this file only.
#ifdef AIMCSIM_FIRMWARE_ELF
constexpr const char* kFirmwareElf = AIMCSIM_FIRMWARE_ELF;
#else
constexpr const char* kFirmwareElf = "";
#endif
}  // namespace

ControllerEngineRiscv::ControllerEngineRiscv(const sc_core::sc_module_name& name, Controller& controller,
                                             const ArchConfig& arch)
    : sc_core::sc_module(name),
      c_(controller),
      hart_("hart", controller.period_ns(), arch.core.controller.riscv_timing(),
            arch.core.controller.quantum_ns),
      bus_("bus") {
  bus_.register_b_transport(this, &ControllerEngineRiscv::transport);
  hart_.socket.bind(bus_);
  load_firmware(arch);
}

void ControllerEngineRiscv::start(uint64_t first, uint64_t count) {
  ctl_first_ = static_cast<uint32_t>(first);
  ctl_count_ = static_cast<uint32_t>(count);
  current_sample_ = first;
  hart_.set_external_interrupt(true);  // the doorbell; the firmware acknowledges it
}

void ControllerEngineRiscv::configure() {
  ctl_setup_ = 1;
  hart_.set_external_interrupt(true);
}

void ControllerEngineRiscv::load_firmware(const ArchConfig& arch) {
  if (kFirmwareElf[0] == '\0')
    throw UserError("", 0, "core.controller.kind",
                    "riscv needs the controller firmware, which this build lacks");
  const riscv::ElfImage image = riscv::ElfImage::load(kFirmwareElf);
  const ControllerConfig& c = arch.core.controller;
  riscv::RvHart& h = hart_.hart();
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
  // The command table, placed where the firmware expects it (7 words a command: op | slot << 8, a..f): the
  // per-sample commands, then the batch-end ones, then the set-up ones.
  const size_t commands = c_.table().size() + c_.batch_end_table().size() + c_.setup_table().size();
  if (commands > regmap::kCommandCapacity)
    throw UserError("", 0, "core.controller.kind",
                    "riscv: a controller's command table has " + std::to_string(commands) +
                        " commands, more than the firmware holds (" +
                        std::to_string(regmap::kCommandCapacity) + ")");
  std::vector<uint32_t> words;
  for (const auto* table : {&c_.table(), &c_.batch_end_table(), &c_.setup_table()})
    for (const Command& cmd : *table)
      words.insert(words.end(), {static_cast<uint32_t>(cmd.op) | cmd.slot << regmap::kOpSlotShift, cmd.a,
                                 cmd.b, cmd.c, cmd.d, cmd.e, cmd.f});
  AIMC_ASSERT(h.write_ram(symbol("aimc_command_table"), reinterpret_cast<const uint8_t*>(words.data()),
                          words.size() * 4));
  const auto count = static_cast<uint32_t>(c_.table().size());
  AIMC_ASSERT(h.write_ram(symbol("aimc_command_count"), reinterpret_cast<const uint8_t*>(&count), 4));
  const auto batch_end = static_cast<uint32_t>(c_.batch_end_table().size());
  AIMC_ASSERT(h.write_ram(symbol("aimc_batch_end_count"), reinterpret_cast<const uint8_t*>(&batch_end), 4));
  const auto setup = static_cast<uint32_t>(c_.setup_table().size());
  AIMC_ASSERT(h.write_ram(symbol("aimc_setup_count"), reinterpret_cast<const uint8_t*>(&setup), 4));
  // A trap in the firmware ends it through HTIF: a firmware bug, reported with its cause.
  htif_ = std::make_unique<riscv::Htif>(std::cerr);
  const uint32_t tohost = symbol("tohost");
  h.watch_stores(tohost, 8, [this, tohost](uint32_t addr, uint32_t value) {
    return htif_->store(addr - tohost, value);
  });
  hart_.finished = [this](riscv::RvHart::Stop) {
    std::fprintf(stderr, "%s: firmware stopped (HTIF code %u: mcause of an unexpected trap, mepc 0x%08x)\n",
                 c_.name(), htif_->exit_code(), hart_.hart().mepc());
    AIMC_ASSERT(false);
  };
  hart_.start(image.entry, UINT64_MAX);
  for (const char* n : {"instructions", "cycles", "stall_time", "sleep_time"})
    mirrored_.push_back(
        {n, &c_.stats().add(n, std::string(n).find("time") != std::string::npos ? "ns" : "1",
                            std::string("RISC-V controller: ") + n + " (see the hart's group)")});
  for (int k = 0; k < static_cast<int>(riscv::RvClass::kCount); ++k) {
    const std::string n = std::string("instructions_") + riscv::rv_class_name(static_cast<riscv::RvClass>(k));
    mirrored_.push_back(
        {n, &c_.stats().add(n, "1", "RISC-V controller: instructions retired of this class")});
  }
}

void ControllerEngineRiscv::publish_stats() {
  hart_.publish_stats();
  for (auto& [n, stat] : mirrored_) stat->set(hart_.stats().value(n));
  // Busy: from reset to the last instruction, less the time asleep in wfi (stalls on blocks included).
  c_.busy_ns().set(hart_.stats().value("cycles") * c_.period_ns() - hart_.stats().value("sleep_time"));
}

void ControllerEngineRiscv::transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t addr = trans.get_address();
  const uint64_t block = addr & ~(regmap::kBlockSpan - 1);
  if (auto* target = c_.socket_for(addr)) {
    const uint64_t offset = addr - block;
    if (block == regmap::kMailboxBase) {
      if (offset == regmap::kBarrierArrive && trans.is_write())
        c_.commands() += 1;  // as the sequencer counts
    } else if (offset == regmap::kGo && trans.is_write()) {
      uint32_t op = 0;
      std::memcpy(&op, trans.get_data_ptr(), 4);
      c_.commands() += 1;
      c_.note_command(current_sample_, static_cast<CommandOp>(op),
                      (sc_core::sc_time_stamp() + delay).to_seconds() * 1e9);
    }
    (*target)->b_transport(trans, delay);
    return;
  }
  const uint64_t offset = addr - regmap::kControlBase;
  if (block != regmap::kControlBase || trans.get_data_length() != 4 || offset % 4 != 0 ||
      offset > regmap::kCtlSetupDone) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  uint32_t value = 0;
  if (trans.is_read()) {
    value = offset == regmap::kCtlFirst   ? ctl_first_
            : offset == regmap::kCtlCount ? ctl_count_
            : offset == regmap::kCtlSetup ? ctl_setup_
                                          : 0;
    std::memcpy(trans.get_data_ptr(), &value, 4);
  } else {
    std::memcpy(&value, trans.get_data_ptr(), 4);
    if (offset == regmap::kCtlAck) {
      ctl_count_ = 0;
      ctl_setup_ = 0;
      hart_.set_external_interrupt(false);
    } else if (offset == regmap::kCtlSetupDone) {
      wait(delay);  // the configuration ends at the hart's local time
      delay = sc_core::SC_ZERO_TIME;
      publish_stats();
      c_.finish_setup();
    } else if (offset == regmap::kCtlSampleDone) {
      wait(delay);  // the sample ends at the hart's local time
      delay = sc_core::SC_ZERO_TIME;
      publish_stats();
      current_sample_ = value + 1;
      c_.finish_sample(value);
    }
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace aimc
