#include "aimc/base/InputFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

// Closes the descriptor on every path out of read_regular_file.
struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

// Into a std::string or a std::vector<uint8_t>: the caller's container, so that a large file is read once.
template <typename Bytes>
Bytes read_regular_file_as(const std::string& path, const std::string& what, uint64_t max_bytes) {
  if (path.empty()) throw UserError("", 0, what, "empty file name");
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer before we can refuse it.
  FileDescriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0 && errno == ENOENT) throw UserError(path, 0, what, "no such file");
  if (file.fd < 0)
    throw UserError(path, 0, what, std::string("cannot open the file for reading: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(file.fd, &st) != 0)
    throw UserError(path, 0, what, std::string("cannot read the file: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    throw UserError(path, 0, what, std::string("not a regular file (") + file_kind(st.st_mode) + ")");
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes)
    throw UserError(path, 0, what,
                    "the file has " + std::to_string(size) + " bytes, more than the limit of " +
                        std::to_string(max_bytes));
  Bytes bytes(static_cast<size_t>(size), 0);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(file.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw UserError(path, 0, what, std::string("cannot read the file: ") + std::strerror(errno));
    if (n == 0) break;  // shrank since fstat
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

}  // namespace

std::string read_regular_file(const std::string& path, const std::string& what, uint64_t max_bytes) {
  return read_regular_file_as<std::string>(path, what, max_bytes);
}

std::vector<uint8_t> read_regular_file_bytes(const std::string& path, const std::string& what,
                                             uint64_t max_bytes) {
  return read_regular_file_as<std::vector<uint8_t>>(path, what, max_bytes);
}

}  // namespace aimc
