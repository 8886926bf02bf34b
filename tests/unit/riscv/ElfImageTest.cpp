// The ELF loader on a good file (a built ISA test) and on broken or foreign ones: a UserError naming the
// file and the header field, never a crash.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "RiscvTestSupport.h"
#include "aimc/base/Error.h"

namespace aimc::riscv {
namespace {

std::vector<uint8_t> good_bytes() {
  std::ifstream in(test::elf_path("add"), std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void expect_error(const std::vector<uint8_t>& bytes, const std::string& field, const std::string& words) {
  try {
    ElfImage::parse("broken.elf", bytes);
    FAIL() << "no error for " << field;
  } catch (const UserError& e) {
    EXPECT_EQ(e.file(), "broken.elf");
    EXPECT_EQ(e.key(), field) << e.what();
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(ElfImage, LoadsAGoodExecutable) {
  const ElfImage img = ElfImage::load(test::elf_path("add"));
  EXPECT_EQ(img.entry, 0x8000'0000u);
  ASSERT_FALSE(img.segments.empty());
  EXPECT_EQ(img.segments[0].vaddr, 0x8000'0000u);
  EXPECT_GE(img.segments[0].memsz, img.segments[0].bytes.size());
  ASSERT_EQ(img.symbols.count("tohost"), 1u);
  EXPECT_EQ(img.symbols.at("tohost") % 8, 0u);
  EXPECT_EQ(img.symbols.at("_start"), img.entry);
}

TEST(ElfImage, RejectsBrokenAndForeignFiles) {
  const std::vector<uint8_t> good = good_bytes();
  ASSERT_GT(good.size(), 100u);
  expect_error({}, "e_ident", "too short");
  expect_error(std::vector<uint8_t>(good.begin(), good.begin() + 60), "e_phoff", "outside the file");
  auto b = good;
  b[0] = 'X';
  expect_error(b, "e_ident", "bad magic");
  b = good;
  b[4] = 2;  // ELFCLASS64
  expect_error(b, "e_ident[EI_CLASS]", "not a 32-bit ELF");
  b = good;
  b[5] = 2;
  expect_error(b, "e_ident[EI_DATA]", "little-endian");
  b = good;
  b[18] = 62;  // EM_X86_64
  b[19] = 0;
  expect_error(b, "e_machine", "not a RISC-V ELF");
  b = good;
  b[16] = 1;  // ET_REL
  expect_error(b, "e_type", "not an executable");
  b = good;
  b[36] |= 1;  // EF_RISCV_RVC
  expect_error(b, "e_flags", "compressed");
  b = good;
  b[28] = b[29] = b[30] = 0xF0;  // e_phoff far beyond the end
  expect_error(b, "e_phoff", "outside the file");
  b = good;
  b[44] = b[45] = 0;  // no program headers
  expect_error(b, "e_phnum", "nothing to load");
}

TEST(ElfImage, MissingFileIsAUserError) {
  EXPECT_THROW(ElfImage::load("/nonexistent/prog.elf"), UserError);
}

}  // namespace
}  // namespace aimc::riscv
