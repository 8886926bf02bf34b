#include "aimc/riscv/ElfImage.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "aimc/base/Error.h"
#include "aimc/base/InputFile.h"
#include "aimc/isa/RegisterMap.h"

namespace aimc::riscv {

namespace {

constexpr uint16_t kEmRiscv = 243;
constexpr uint16_t kEtExec = 2;
constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kShtSymtab = 2;
constexpr uint32_t kEfRiscvRvc = 0x1;
constexpr uint32_t kEfRiscvFloatAbi = 0x6;

// The controller's register windows (isa/RegisterMap.h): RAM linked there would hide them from the program.
struct RegisterWindow {
  const char* name;
  uint64_t base, size;
};
constexpr uint64_t kAllSlots = regmap::kMaxCoreSlots * regmap::kCoreStride;
constexpr RegisterWindow kRegisterWindows[] = {
    {"machine timer", regmap::kTimerBase, regmap::kTimerSpan},
    {"crossbar tile", regmap::kTileBase, kAllSlots},
    {"digital unit", regmap::kDigitalBase, kAllSlots},
    {"network interface", regmap::kNetworkBase, kAllSlots},
    {"control page", regmap::kControlBase, regmap::kBlockSpan},
    {"mailbox", regmap::kMailboxBase, regmap::kBlockSpan},
    {"DMA", regmap::kDmaBase, kAllSlots},
};

class Reader {
 public:
  Reader(const std::string& path, const std::vector<uint8_t>& b) : path_(path), b_(b) {}
  template <typename T>
  T get(uint64_t off, const char* field) const {
    if (off + sizeof(T) > b_.size()) fail(field, "lies beyond the end of the file (truncated ELF)");
    T v;
    std::memcpy(&v, b_.data() + off, sizeof(T));
    return v;
  }
  void need(uint64_t off, uint64_t n, const char* field) const {
    if (off > b_.size() || n > b_.size() - off)
      fail(field, "range [" + std::to_string(off) + ", +" + std::to_string(n) + ") is outside the file (" +
                      std::to_string(b_.size()) + " bytes)");
  }
  [[noreturn]] void fail(const char* field, const std::string& reason) const {
    throw UserError(path_, 0, field, reason);
  }
  const uint8_t* at(uint64_t off) const { return b_.data() + off; }
  size_t size() const { return b_.size(); }

 private:
  const std::string& path_;
  const std::vector<uint8_t>& b_;
};

std::string hex(uint64_t v) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%08llx", static_cast<unsigned long long>(v));
  return text;
}

std::string segmentText(uint64_t vaddr, uint64_t size) {
  return "[" + hex(vaddr) + ", " + hex(vaddr + size) + ")";
}

// A segment must leave the controller's register windows to the blocks behind them.
void checkRegisterWindows(const Reader& r, uint32_t index, uint32_t vaddr, uint32_t memsz) {
  for (const RegisterWindow& w : kRegisterWindows)
    if (vaddr < w.base + w.size && w.base < static_cast<uint64_t>(vaddr) + memsz)
      r.fail("p_vaddr", "segment " + std::to_string(index) + " " + segmentText(vaddr, memsz) +
                            " overlaps the controller's " + w.name + " registers " +
                            segmentText(w.base, w.size));
}

// Segments against each other, the entry point and the load limit (the headers are untrusted).
void checkSegmentLayout(const Reader& r, const ElfImage& img) {
  uint64_t total = 0;
  std::vector<const ElfSegment*> order;
  for (const ElfSegment& s : img.segments) {
    total += s.memsz;
    order.push_back(&s);
  }
  if (total > ElfImage::kMaxLoadBytes)
    r.fail("p_memsz", "the loadable segments need " + std::to_string(total) +
                          " bytes of memory; the limit is " + std::to_string(ElfImage::kMaxLoadBytes));
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->vaddr < b->vaddr; });
  for (size_t i = 1; i < order.size(); ++i)
    if (static_cast<uint64_t>(order[i - 1]->vaddr) + order[i - 1]->memsz > order[i]->vaddr)
      r.fail("p_vaddr", "segments " + segmentText(order[i - 1]->vaddr, order[i - 1]->memsz) + " and " +
                            segmentText(order[i]->vaddr, order[i]->memsz) + " overlap");
  const bool entry_loaded = std::any_of(img.segments.begin(), img.segments.end(),
                                        [&](const ElfSegment& s) { return img.entry - s.vaddr < s.memsz; });
  if (!entry_loaded) r.fail("e_entry", "the entry point " + hex(img.entry) + " is in no loadable segment");
}

}  // namespace

ElfImage ElfImage::load(const std::string& path) {
  const std::string text = read_regular_file(path, "");
  return parse(path, std::vector<uint8_t>(text.begin(), text.end()));
}

ElfImage ElfImage::parse(const std::string& path, const std::vector<uint8_t>& bytes) {
  const Reader r(path, bytes);
  if (bytes.size() < 52)
    r.fail("e_ident", "file is too short for an ELF32 header (" + std::to_string(bytes.size()) + " bytes)");
  if (std::memcmp(bytes.data(),
                  "\x7F"
                  "ELF",
                  4) != 0)
    r.fail("e_ident", "not an ELF file (bad magic)");
  if (bytes[4] != 1)
    r.fail("e_ident[EI_CLASS]",
           "not a 32-bit ELF (class " + std::to_string(bytes[4]) + "); build with -march=rv32im -mabi=ilp32");
  if (bytes[5] != 1) r.fail("e_ident[EI_DATA]", "not little-endian");
  const uint16_t type = r.get<uint16_t>(16, "e_type");
  const uint16_t machine = r.get<uint16_t>(18, "e_machine");
  if (machine != kEmRiscv)
    r.fail("e_machine", "not a RISC-V ELF (machine " + std::to_string(machine) + ", expected 243)");
  if (type != kEtExec)
    r.fail("e_type", "not an executable (type " + std::to_string(type) + ", expected ET_EXEC)");
  const uint32_t flags = r.get<uint32_t>(36, "e_flags");
  if (flags & kEfRiscvRvc)
    r.fail("e_flags", "uses compressed instructions (RVC), which this RV32IM core lacks");
  if (flags & kEfRiscvFloatAbi) r.fail("e_flags", "uses a floating-point ABI; build with -mabi=ilp32");

  ElfImage img;
  img.path = path;
  img.entry = r.get<uint32_t>(24, "e_entry");
  const uint32_t phoff = r.get<uint32_t>(28, "e_phoff");
  const uint32_t shoff = r.get<uint32_t>(32, "e_shoff");
  const uint16_t phentsize = r.get<uint16_t>(42, "e_phentsize");
  const uint16_t phnum = r.get<uint16_t>(44, "e_phnum");
  const uint16_t shentsize = r.get<uint16_t>(46, "e_shentsize");
  const uint16_t shnum = r.get<uint16_t>(48, "e_shnum");
  if (phnum == 0) r.fail("e_phnum", "no program headers: nothing to load");
  if (phentsize < 32)
    r.fail("e_phentsize", "program header entries of " + std::to_string(phentsize) + " bytes (need 32)");
  r.need(phoff, static_cast<uint64_t>(phentsize) * phnum, "e_phoff");
  for (uint32_t i = 0; i < phnum; ++i) {
    const uint64_t ph = phoff + static_cast<uint64_t>(i) * phentsize;
    if (r.get<uint32_t>(ph, "p_type") != kPtLoad) continue;
    const uint32_t off = r.get<uint32_t>(ph + 4, "p_offset");
    const uint32_t vaddr = r.get<uint32_t>(ph + 8, "p_vaddr");
    const uint32_t filesz = r.get<uint32_t>(ph + 16, "p_filesz");
    const uint32_t memsz = r.get<uint32_t>(ph + 20, "p_memsz");
    if (memsz == 0) continue;
    if (filesz > memsz) r.fail("p_filesz", "segment " + std::to_string(i) + " has p_filesz > p_memsz");
    if (static_cast<uint64_t>(vaddr) + memsz > (1ull << 32))
      r.fail("p_vaddr", "segment " + std::to_string(i) + " wraps past 4 GiB");
    r.need(off, filesz, "p_offset");
    checkRegisterWindows(r, i, vaddr, memsz);
    ElfSegment s;
    s.vaddr = vaddr;
    s.memsz = memsz;
    s.bytes.assign(r.at(off), r.at(off) + filesz);
    img.segments.push_back(std::move(s));
  }
  if (img.segments.empty()) r.fail("e_phnum", "no loadable (PT_LOAD) segment");
  checkSegmentLayout(r, img);

  // Symbols, if the section headers are present (they are optional in an executable).
  if (shoff != 0 && shnum != 0) {
    if (shentsize < 40)
      r.fail("e_shentsize", "section header entries of " + std::to_string(shentsize) + " bytes (need 40)");
    r.need(shoff, static_cast<uint64_t>(shentsize) * shnum, "e_shoff");
    for (uint32_t i = 0; i < shnum; ++i) {
      const uint64_t sh = shoff + static_cast<uint64_t>(i) * shentsize;
      if (r.get<uint32_t>(sh + 4, "sh_type") != kShtSymtab) continue;
      const uint32_t off = r.get<uint32_t>(sh + 16, "sh_offset");
      const uint32_t size = r.get<uint32_t>(sh + 20, "sh_size");
      const uint32_t link = r.get<uint32_t>(sh + 24, "sh_link");
      if (link >= shnum)
        r.fail("sh_link",
               "symbol table links to string table " + std::to_string(link) + " of " + std::to_string(shnum));
      const uint64_t strsh = shoff + static_cast<uint64_t>(link) * shentsize;
      const uint32_t stroff = r.get<uint32_t>(strsh + 16, "sh_offset");
      const uint32_t strsize = r.get<uint32_t>(strsh + 20, "sh_size");
      r.need(off, size, "sh_offset");
      r.need(stroff, strsize, "sh_offset");
      for (uint64_t e = off; e + 16 <= static_cast<uint64_t>(off) + size; e += 16) {
        const uint32_t name = r.get<uint32_t>(e, "st_name");
        if (name == 0 || name >= strsize) continue;
        const char* s = reinterpret_cast<const char*>(r.at(stroff + name));
        const size_t max = strsize - name;
        const size_t len = strnlen(s, max);
        if (len == max) r.fail("st_name", "symbol name runs past the end of its string table");
        img.symbols[std::string(s, len)] = r.get<uint32_t>(e + 4, "st_value");
      }
    }
  }
  return img;
}

}  // namespace aimc::riscv
