// Every reader of the tool refuses what is not a regular file (a directory, /dev/zero, /dev/null, a FIFO)
// with a UserError naming the path and "not a regular file", at once: reading /dev/zero used to run for ever
// and a FIFO with no writer blocks in open(2). ctest's timeout turns a hang into a failure; the CLI test
// (OutputSafetyCliTest) runs each under `timeout`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/base/InputFile.h"
#include "aimc/base/Npy.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/config/ConfigSource.h"
#include "aimc/riscv/ElfImage.h"
#include "aimc/sweep/SweepSpec.h"

#include <sys/stat.h>
#include <unistd.h>

#include "../FreshDir.h"

namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  return aimc_test::fresh_dir("input", name);
}

// /dev/zero, /dev/null, a directory, a FIFO.
std::vector<std::string> non_regular_paths() {
  const fs::path d = fresh_dir("special");
  const fs::path fifo = d / "fifo";
  EXPECT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  return {"/dev/zero", "/dev/null", d.string(), fifo.string()};
}

void expect_refused(const std::function<void(const std::string&)>& read, const char* reader) {
  for (const std::string& p : non_regular_paths()) {
    try {
      read(p);
      ADD_FAILURE() << reader << " accepted " << p;
    } catch (const aimc::UserError& e) {
      EXPECT_EQ(e.file(), p) << reader;
      EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos)
          << reader << ": " << e.what();
    }
  }
}

TEST(InputFile, ReadsARegularFileWhole) {
  const fs::path f = fresh_dir("regular") / "a.bin";
  const std::string bytes("a\0b\nc", 5);
  std::ofstream(f, std::ios::binary) << bytes;
  EXPECT_EQ(aimc::read_regular_file(f.string(), "file"), bytes);
}

TEST(InputFile, RefusesNonRegularFilesAndMissingOnes) {
  expect_refused([](const std::string& p) { aimc::read_regular_file(p, "file"); }, "read_regular_file");
  try {
    aimc::read_regular_file("/nonexistent/x.npy", "--inputs");
    ADD_FAILURE() << "missing file accepted";
  } catch (const aimc::UserError& e) {
    EXPECT_EQ(e.key(), "--inputs");
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos) << e.what();
  }
}

TEST(InputFile, SizeLimitIsChecked) {
  const fs::path f = fresh_dir("limit") / "big";
  std::ofstream(f) << std::string(100, 'x');
  EXPECT_EQ(aimc::read_regular_file(f.string(), "file", 100).size(), 100u);
  EXPECT_THROW(aimc::read_regular_file(f.string(), "file", 99), aimc::UserError);
}

TEST(InputFile, EveryReaderRefusesNonRegularFiles) {
  expect_refused([](const std::string& p) { aimc::Npy::read(p); }, "Npy::read");
  expect_refused([](const std::string& p) { aimc::riscv::ElfImage::load(p); }, "ElfImage::load");
  expect_refused([](const std::string& p) { aimc::OnnxImporter::load(p); }, "OnnxImporter::load");
  expect_refused([](const std::string& p) { aimc::ConfigSource::load_file(p, ""); }, "ConfigSource");
}

TEST(InputFile, SweepFileRefusesNonRegularFiles) {
  for (const std::string& p : non_regular_paths()) {
    try {
      aimc::SweepSpec::load(p);
      ADD_FAILURE() << "SweepSpec accepted " << p;
    } catch (const aimc::UserError& e) {
      EXPECT_NE(std::string(e.what()).find(p + ": not a regular file"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
