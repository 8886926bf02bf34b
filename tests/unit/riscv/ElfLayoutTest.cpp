// The ELF loader's checks of the segment layout (issue 21): segments against the controller's register
// windows, against each other and the load limit; the entry point; and the ISS's RAM for a large .bss,
// mapped on first touch instead of allocated and cleared at load.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <cstring>

#include "../SanitizerBuild.h"
#include "aimc/base/Error.h"
#include "aimc/isa/RegisterMap.h"
#include "aimc/riscv/ElfImage.h"
#include "aimc/riscv/RvBus.h"
#include "aimc/riscv/RvHart.h"
#include "aimc_test_paths.h"

namespace aimc::riscv {
namespace {

struct Segment {
  uint32_t vaddr, memsz;
  std::vector<uint32_t> words;  // file contents
};

template <typename T>
void put(std::vector<uint8_t>& b, size_t off, T v) {
  std::memcpy(b.data() + off, &v, sizeof v);
}

// A minimal RV32 ET_EXEC image: ELF header, one PT_LOAD program header per segment, the segments' words.
std::vector<uint8_t> build_elf(uint32_t entry, const std::vector<Segment>& segments) {
  const size_t phoff = 52, data = phoff + 32 * segments.size();
  size_t size = data;
  for (const Segment& s : segments) size += 4 * s.words.size();
  std::vector<uint8_t> b(size, 0);
  const uint8_t ident[] = {0x7F, 'E', 'L', 'F', 1, 1, 1};
  std::memcpy(b.data(), ident, sizeof ident);
  put<uint16_t>(b, 16, 2);    // ET_EXEC
  put<uint16_t>(b, 18, 243);  // EM_RISCV
  put<uint32_t>(b, 20, 1);
  put<uint32_t>(b, 24, entry);
  put<uint32_t>(b, 28, static_cast<uint32_t>(phoff));
  put<uint16_t>(b, 40, 52);
  put<uint16_t>(b, 42, 32);
  put<uint16_t>(b, 44, static_cast<uint16_t>(segments.size()));
  size_t off = data;
  for (size_t i = 0; i < segments.size(); ++i) {
    const size_t ph = phoff + 32 * i;
    const Segment& s = segments[i];
    put<uint32_t>(b, ph, 1);  // PT_LOAD
    put<uint32_t>(b, ph + 4, static_cast<uint32_t>(off));
    put<uint32_t>(b, ph + 8, s.vaddr);
    put<uint32_t>(b, ph + 12, s.vaddr);
    put<uint32_t>(b, ph + 16, static_cast<uint32_t>(4 * s.words.size()));
    put<uint32_t>(b, ph + 20, s.memsz);
    put<uint32_t>(b, ph + 24, 7);
    for (uint32_t w : s.words) {
      put<uint32_t>(b, off, w);
      off += 4;
    }
  }
  return b;
}

// addi x1, x0, 1; addi x2, x0, 2; add x3, x1, x2; sw x3, 0(x4) with x4 = 0 -> a store fault is not reached.
const std::vector<uint32_t> kCode = {0x00100093, 0x00200113, 0x002081b3, 0x00000013};

void expect_error(const std::vector<uint8_t>& bytes, const std::string& field, const std::string& words) {
  try {
    ElfImage::parse("layout.elf", bytes);
    FAIL() << "no error for " << field << " (" << words << ")";
  } catch (const UserError& e) {
    EXPECT_EQ(e.file(), "layout.elf");
    EXPECT_EQ(e.key(), field) << e.what();
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(ElfLayout, AGoodImageLoads) {
  const ElfImage img = ElfImage::parse("layout.elf", build_elf(0x8000'0000, {{0x8000'0000, 4096, kCode}}));
  ASSERT_EQ(img.segments.size(), 1u);
  EXPECT_EQ(img.segments[0].memsz, 4096u);
}

TEST(ElfLayout, SegmentsOnTheControllersRegistersAreRefused) {
  const auto timer = static_cast<uint32_t>(regmap::kTimerBase);
  expect_error(build_elf(timer, {{timer, 4096, kCode}}), "p_vaddr", "machine timer");
  const auto tile = static_cast<uint32_t>(regmap::kTileBase + 3 * regmap::kCoreStride);
  expect_error(build_elf(tile, {{tile, 64, kCode}}), "p_vaddr", "crossbar tile");
  // A segment just below a window ends where it begins: allowed.
  const auto below = static_cast<uint32_t>(regmap::kMailboxBase - 4096);
  EXPECT_NO_THROW(ElfImage::parse("layout.elf", build_elf(below, {{below, 4096, kCode}})));
  expect_error(build_elf(below, {{below, 4097, kCode}}), "p_vaddr", "mailbox");
}

TEST(ElfLayout, OverlappingSegmentsEntryOutsideAndTheLoadLimitAreRefused) {
  expect_error(build_elf(0x8000'0000, {{0x8000'0000, 8192, kCode}, {0x8000'1000, 4096, kCode}}), "p_vaddr",
               "overlap");
  expect_error(build_elf(0x9000'0000, {{0x8000'0000, 4096, kCode}}), "e_entry", "0x90000000");
  // Two segments of 1 GiB + 1 MiB each: more than kMaxLoadBytes together.
  const uint32_t big = (1u << 30) + (1u << 20);
  expect_error(build_elf(0x6040'0000, {{0x6040'0000, big, kCode}, {0xA060'0000, big, {}}}), "p_memsz",
               "limit");
}

long max_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Issue 21: a 1 GiB .bss took 5.25 GB and 16 s for 4 instructions. RAM is now mapped on first touch.
TEST(ElfLayout, AGibibyteBssCostsOnlyWhatIsTouched) {
  if (aimc_test::kAddressSanitizer)
    GTEST_SKIP() << "resident memory under AddressSanitizer (SanitizerBuild.h)";
  const ElfImage img =
      ElfImage::parse("layout.elf", build_elf(0x8000'0000, {{0x8000'0000, 1u << 30, kCode}}));
  const long before = max_rss_kib();
  const auto start = std::chrono::steady_clock::now();
  RvUnmappedBus bus;
  RvHart hart(RvTiming{}, bus);
  hart.load_program(img);
  hart.reset(img.entry);
  hart.run(UINT64_MAX, 4);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(hart.instret(), 4u);
  EXPECT_EQ(hart.reg(3), 3u);
  // Generous bounds (the old loader needed 5 GiB and 16 s): 64 MiB of resident growth and 2 s.
  EXPECT_LT(max_rss_kib() - before, 64 * 1024);
  EXPECT_LT(seconds, 2.0);
}

// Found by fuzz_elf: a segment of almost 2 GiB made the decode cache ask for 4.7 GB at load (one entry per
// word). The cache is now allocated per 4 KiB page on first fetch, the RAM on first touch.
// And a large segment took over 20 s to load: a std::vector of RAM constructed every byte one by one.
class ElfFuzzFound : public ::testing::TestWithParam<const char*> {};

TEST_P(ElfFuzzFound, LargeSegmentsLoadLazilyAndFast) {
  if (aimc_test::kAddressSanitizer)
    GTEST_SKIP() << "resident memory under AddressSanitizer (SanitizerBuild.h)";
  const auto start = std::chrono::steady_clock::now();
  const ElfImage img = ElfImage::load(std::string(AIMCSIM_TEST_DATA) + "/fuzz/elf/" + GetParam());
  uint64_t total = 0;
  for (const ElfSegment& s : img.segments) total += s.memsz;
  EXPECT_GT(total, uint64_t{256} << 20);
  const long before = max_rss_kib();
  RvUnmappedBus bus;
  RvHart hart(RvTiming{}, bus);
  hart.load_program(img);
  hart.reset(img.entry);
  hart.run(1u << 20, 4096);
  EXPECT_LT(max_rss_kib() - before, 64 * 1024);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
}

INSTANTIATE_TEST_SUITE_P(ElfLayout, ElfFuzzFound,
                         ::testing::Values("two_gib_segment.elf", "huge_segment_slow_load.elf"));

}  // namespace
}  // namespace aimc::riscv
