// base/AtomicFile: an output is complete under its final name or absent, and an earlier file there survives a
// failed write. The "disk fills mid-write" case is a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored: writes
// past it fail with EFBIG) in a forked child, which needs neither root nor a mount; a real 64 KiB tmpfs runs
// too when the test may mount (root with CAP_SYS_ADMIN) and skips otherwise.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "aimc/base/AtomicFile.h"
#include "aimc/base/Error.h"

#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../FreshDir.h"

namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  return aimc_test::fresh_dir("atomic", name);
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Names in `dir` other than `keep`: a left-over temporary shows up here.
std::vector<std::string> others_in(const fs::path& dir, const std::string& keep) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != keep) out.push_back(e.path().filename().string());
  return out;
}

std::string error_of(const std::string& path, const std::string& bytes) {
  try {
    aimc::write_file_atomically(path, bytes, "out");
  } catch (const aimc::UserError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.key(), "out");
    return e.what();
  }
  ADD_FAILURE() << "no error writing " << path;
  return "";
}

TEST(AtomicFile, WritesAndReplacesWhole) {
  const fs::path d = fresh_dir("replace");
  const std::string f = (d / "r.json").string();
  aimc::write_file_atomically(f, "first");
  EXPECT_EQ(read_all(f), "first");
  aimc::write_file_atomically(f, "second, longer");
  EXPECT_EQ(read_all(f), "second, longer");
  EXPECT_TRUE(others_in(d, "r.json").empty());
  // Like open(2): the umask's permissions, not mkstemp's 0600.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(static_cast<mode_t>(fs::status(f).permissions()) & 0777, 0666 & ~mask);
}

TEST(AtomicFile, WritesThroughASymbolicLink) {
  const fs::path d = fresh_dir("symlink");
  fs::create_directories(d / "real");
  aimc::write_file_atomically((d / "real" / "r.csv").string(), "old");
  fs::create_symlink(d / "real" / "r.csv", d / "link.csv");
  aimc::write_file_atomically((d / "link.csv").string(), "new");
  EXPECT_TRUE(fs::is_symlink(d / "link.csv"));
  EXPECT_EQ(read_all(d / "real" / "r.csv"), "new");
  EXPECT_TRUE(others_in(d / "real", "r.csv").empty());
}

TEST(AtomicFile, UncommittedLeavesNothing) {
  const fs::path d = fresh_dir("uncommitted");
  {
    aimc::AtomicFile f((d / "x.npy").string());
    f.write("partial");
  }
  EXPECT_TRUE(fs::is_empty(d));
}

TEST(AtomicFile, DevFullIsNoSpaceLeft) {
  const std::string msg = error_of("/dev/full", std::string(100000, 'x'));
  EXPECT_NE(msg.find("/dev/full"), std::string::npos) << msg;
  EXPECT_NE(msg.find("No space left on device"), std::string::npos) << msg;
}

TEST(AtomicFile, MissingDirectoryNamesTheFile) {
  const std::string f = (fresh_dir("nodir") / "absent" / "x.csv").string();
  const std::string msg = error_of(f, "a,b\n");
  EXPECT_NE(msg.find("No such file or directory"), std::string::npos) << msg;
}

// In a forked child with a file-size limit of 4 KiB, writes a 64 KiB file over an earlier good one. Exit 0:
// UserError naming the file and "File too large"; 1: no error; 2: a wrong message.
int write_over_limit_in_child(const std::string& path) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    try {
      aimc::write_file_atomically(path, std::string(65536, 'n'));
    } catch (const aimc::UserError& e) {
      const std::string m = e.what();
      ::_exit(m.find(path) != std::string::npos && m.find("File too large") != std::string::npos ? 0 : 2);
    }
    ::_exit(1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(AtomicFile, DiskFullMidWriteKeepsTheEarlierFile) {
  const fs::path d = fresh_dir("fsize");
  const std::string f = (d / "report.json").string();
  aimc::write_file_atomically(f, "{\"good\": true}\n");
  EXPECT_EQ(write_over_limit_in_child(f), 0);
  EXPECT_EQ(read_all(f), "{\"good\": true}\n");
  EXPECT_TRUE(others_in(d, "report.json").empty()) << "a temporary was left behind";
}

TEST(AtomicFile, FullTmpfsKeepsTheEarlierFile) {
  const fs::path d = fresh_dir("tmpfs");
  if (::mount("aimc_test", d.c_str(), "tmpfs", 0, "size=64k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (not root or no CAP_SYS_ADMIN)";
  struct Unmount {
    const fs::path& dir;
    ~Unmount() { ::umount(dir.c_str()); }
  } unmount{d};
  const std::string f = (d / "logits.npy").string();
  aimc::write_file_atomically(f, std::string(1000, 'g'));
  const std::string msg = error_of(f, std::string(200000, 'x'));
  EXPECT_NE(msg.find("No space left on device"), std::string::npos) << msg;
  EXPECT_EQ(read_all(f), std::string(1000, 'g'));
  EXPECT_TRUE(others_in(d, "logits.npy").empty());
}

}  // namespace
