// aimcsim exec PROGRAM.elf: runs a bare-metal RV32IM program on one RISC-V controller (the ISS of
// aimc/riscv), with RAM wherever its segments are linked and the HTIF `tohost` convention for console output
// and the exit code (the status of this command: 0 = pass).
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <memory>

#include "CliChecks.h"
#include "CommandRegistry.h"
#include "aimc/base/Error.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/hw/RvHartModule.h"
#include "aimc/hw/RvUnmappedTarget.h"
#include "aimc/riscv/ElfImage.h"
#include "aimc/riscv/Htif.h"

namespace aimcsim {
namespace {

struct ExecOptions {
  std::string program;
  uint64_t max_instructions = 100'000'000;
  bool trace = false;
  std::string arch;  // empty: the declared defaults of every arch parameter
  std::vector<std::string> sets;
};

const RegisterCommand kExec(60, [](CLI::App& app, CLI::App*& sub) -> CommandAction {
  sub = app.add_subcommand("exec",
                           "Run a bare-metal RV32IM ELF on a RISC-V controller (HTIF tohost exit code)");
  auto o = std::make_shared<ExecOptions>();
  sub->add_option("program", o->program, "RV32IM ELF executable (linked with a `tohost` symbol)")->required();
  sub->add_option(
         "--max-instructions", o->max_instructions,
         "Stop after this many instructions, or as many traps (at least 1: a limit is always in force, so a "
         "program that never writes tohost, even one trapping for ever, ends with status 124)")
      ->check(at_least(1));
  sub->add_flag("--trace", o->trace, "Print every instruction (pc, word) to stderr");
  sub->add_option("--arch", o->arch,
                  "Architecture (file or preset name) giving the controller's clock and timing; default: the "
                  "declared defaults (aimcsim params)");
  sub->add_option("--set", o->sets, "Override an arch key: --set core.controller.clock=200MHz (repeatable)");
  sub->footer(
      "Exit status: 0 = the program passed (HTIF code 0); 1 = the program failed (a non-zero HTIF code, "
      "printed as \"exec: FAIL: program exited with code N\"); 2 = bad input (command line, ELF, arch); 124 "
      "= "
      "stopped at --max-instructions; 125 = the program can never continue (wfi with no interrupt source, "
      "trap handler outside memory).");
  return [o] {
    using aimc::riscv::RvHart;
    const aimc::riscv::ElfImage image = aimc::riscv::ElfImage::load(o->program);
    auto tohost = image.symbols.find("tohost");
    if (tohost == image.symbols.end())
      throw aimc::UserError(o->program, 0, "tohost",
                            "the program has no `tohost` symbol (HTIF): it could never end");
    aimc::ConfigSource overrides;
    // The program runs on a RISC-V controller whatever the arch's controller kind: its riscv.* keys apply.
    overrides.apply_override("core.controller.kind=riscv", "aimcsim exec");
    for (const std::string& s : o->sets) overrides.apply_override(s, "command line");
    const bool preset = o->arch.find('/') == std::string::npos && o->arch.find('.') == std::string::npos;
    const aimc::ArchConfig arch =
        o->arch.empty()
            ? aimc::resolve_arch(overrides)
            : aimc::load_arch(preset ? aimc::arch_preset_dir() + "/" + o->arch + ".yaml" : o->arch,
                              overrides);
    aimc::riscv::Htif htif(std::cout);
    aimc::riscv::RvHartModule hart("controller", arch.controller_period_ns(),
                                   arch.core.controller.riscv_timing(), arch.core.controller.quantum_ns);
    aimc::riscv::RvUnmappedTarget unmapped("unmapped");
    hart.socket.bind(unmapped.socket);
    hart.hart().load_program(image);
    hart.hart().watch_stores(tohost->second, 8,
                             [&htif, base = tohost->second](uint32_t addr, uint32_t value) {
                               return htif.store(addr - base, value);
                             });
    if (o->trace)
      hart.hart().trace = [](uint32_t pc, const aimc::riscv::RvInstruction& d) {
        std::fprintf(stderr, "%08" PRIx32 ": %08" PRIx32 "\n", pc, d.raw);
      };
    RvHart::Stop stop = RvHart::Stop::kRunning;
    hart.finished = [&stop](RvHart::Stop s) { stop = s; };
    hart.start(image.entry, o->max_instructions);
    sc_core::sc_start();
    std::cout.flush();
    const RvHart& h = hart.hart();
    std::fprintf(stderr, "exec: %" PRIu64 " instructions, %" PRIu64 " cycles (%.3f ns at %g MHz)\n",
                 h.instret(), h.cycle(), static_cast<double>(h.cycle()) * arch.controller_period_ns(),
                 arch.core.controller.clock_mhz);
    switch (stop) {
      case RvHart::Stop::kHalted:
        if (htif.exit_code() == 0) return 0;
        // Not the code itself: a program's 2 would read as bad input, 124 as the instruction limit.
        std::fprintf(stderr, "exec: FAIL: program exited with code %" PRIu32 "\n", htif.exit_code());
        return 1;
      case RvHart::Stop::kInstructionLimit:
        std::fprintf(stderr,
                     "exec: stopped at the instruction limit (%" PRIu64
                     ", --max-instructions) at pc 0x%08" PRIx32 " without writing tohost\n",
                     o->max_instructions, h.pc());
        return 124;
      case RvHart::Stop::kFatal:
        std::fprintf(stderr, "exec: stopped: %s\n", h.fatal_reason().c_str());
        return 125;
      default:
        std::fprintf(
            stderr,
            "exec: stopped: the program waits (wfi) for an interrupt nothing can raise, pc 0x%08" PRIx32 "\n",
            h.pc());
        return 125;
    }
  };
});

}  // namespace
}  // namespace aimcsim
