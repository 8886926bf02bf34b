#include "aimc/base/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

bool exists_as_non_regular(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
}

// New files get the permissions open(2) would give them (0666 less the umask), not mkstemp's 0600.
mode_t default_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

void sync_directory(const std::filesystem::path& dir) noexcept {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // best effort: the rename is already visible; this makes it durable
  ::close(fd);
}

}  // namespace

AtomicFile::AtomicFile(std::string path, std::string key) : path_(std::move(path)), key_(std::move(key)) {
  if (path_.empty()) throw UserError("", 0, key_, "empty output file name");
  if (exists_as_non_regular(path_)) {
    in_place_ = true;
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) fail("cannot open the file for writing", errno);
    return;
  }
  // Through a symbolic link to the file it names (a rename would replace the link itself).
  std::error_code ec;
  const std::filesystem::path final_path = std::filesystem::is_symlink(path_, ec)
                                               ? std::filesystem::canonical(path_, ec)
                                               : std::filesystem::path(path_);
  target_ = ec ? path_ : final_path.string();
  const std::filesystem::path target(target_);
  temp_ = (target.parent_path() / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> name(temp_.begin(), temp_.end());
  name.push_back('\0');
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) {
    const int e = errno;
    temp_.clear();
    fail("cannot create the file", e);
  }
  temp_ = name.data();
  ::fchmod(fd_, default_file_mode());
}

AtomicFile::~AtomicFile() {
  discard();
}

void AtomicFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
}

void AtomicFile::fail(const std::string& what, int error_number) {
  discard();
  throw UserError(path_, 0, key_, what + ": " + std::strerror(error_number));
}

void AtomicFile::write(std::string_view bytes) {
  AIMC_ASSERT_MSG(fd_ >= 0, "write after commit or failure");
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write the file", errno);
    if (n == 0) fail("cannot write the file", EIO);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void AtomicFile::commit() {
  AIMC_ASSERT_MSG(fd_ >= 0, "commit twice or after a failure");
  // A device or FIFO cannot be fsync'd (EINVAL); a regular temporary must be.
  if (!in_place_ && ::fsync(fd_) != 0) fail("cannot write the file (fsync)", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("cannot write the file (close)", errno);
  if (in_place_) return;
  if (::rename(temp_.c_str(), target_.c_str()) != 0)
    fail("cannot rename the finished file into place", errno);
  temp_.clear();
  sync_directory(std::filesystem::path(target_).parent_path());
}

void write_file_atomically(const std::string& path, std::string_view bytes, const std::string& key) {
  AtomicFile f(path, key);
  f.write(bytes);
  f.commit();
}

}  // namespace aimc
