// Every assembly test of tests/riscv (one per instruction and per trap) passes on the ISS: each checks its
// results (registers and memory) itself and reports the failing case number through HTIF.
#include <gtest/gtest.h>

#include "RiscvTestSupport.h"

namespace aimc::riscv {
namespace {

class IsaTest : public ::testing::TestWithParam<std::string> {};

TEST_P(IsaTest, PassesOnTheIss) {
  const ElfImage image = ElfImage::load(test::elf_path(GetParam()));
  RvUnmappedBus bus;
  RvHart hart(RvTiming{}, bus);
  hart.load_program(image);
  const test::ProgramResult r = test::run_program(hart, image);
  ASSERT_EQ(r.stop, RvHart::Stop::kHalted) << "did not end (pc " << std::hex << hart.pc() << ")";
  EXPECT_EQ(r.exit_code, 0u) << GetParam() << ": case " << r.exit_code
                             << " failed (1000 = unexpected trap, mcause " << hart.mcause() << ", mepc 0x"
                             << std::hex << hart.mepc() << ")";
}

INSTANTIATE_TEST_SUITE_P(Riscv, IsaTest, ::testing::ValuesIn(test::isa_test_names()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

TEST(IsaTestList, CoversEveryInstructionAndTrap) {
  const std::vector<std::string> names = test::isa_test_names();
  for (const char* n : {"lui",
                        "auipc",
                        "jal",
                        "jalr",
                        "beq",
                        "bne",
                        "blt",
                        "bge",
                        "bltu",
                        "bgeu",
                        "lb",
                        "lh",
                        "lw",
                        "lbu",
                        "lhu",
                        "sb",
                        "sh",
                        "sw",
                        "addi",
                        "slti",
                        "sltiu",
                        "xori",
                        "ori",
                        "andi",
                        "slli",
                        "srli",
                        "srai",
                        "add",
                        "sub",
                        "sll",
                        "slt",
                        "sltu",
                        "xor",
                        "srl",
                        "sra",
                        "or",
                        "and",
                        "mul",
                        "mulh",
                        "mulhsu",
                        "mulhu",
                        "div",
                        "divu",
                        "rem",
                        "remu",
                        "fence",
                        "csr",
                        "ecall",
                        "ebreak",
                        "illegal",
                        "misaligned_load",
                        "misaligned_store",
                        "misaligned_jump",
                        "access_fault",
                        "mret",
                        "timer_interrupt",
                        "wfi_masked"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

}  // namespace
}  // namespace aimc::riscv
