#include "aimc/sweep/ResultStoreLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "aimc/base/Error.h"
#include "aimc/sweep/SweepRunner.h"

namespace aimc {

namespace {

std::string holder_of(int fd) {
  std::string text(512, '\0');
  const ssize_t n = ::pread(fd, text.data(), text.size(), 0);
  text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
  return text.empty() ? "a process that has not written its name yet" : text;
}

}  // namespace

ResultStoreLock::ResultStoreLock(const std::string& db_path, const std::string& purpose) {
  const std::string path = lock_path(db_path);
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0)
    throw UserError(path, 0, "", std::string("cannot create the results lock file: ") + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int e = errno;
    const std::string who = e == EWOULDBLOCK ? holder_of(fd_) : "";
    ::close(fd_);
    fd_ = -1;
    if (e != EWOULDBLOCK)
      throw UserError(path, 0, "", std::string("cannot lock the results file: ") + std::strerror(e));
    throw UserError(
        db_path, 0, "",
        "the results file is in use by " + who + "; wait for it to end (or give this sweep another --db)");
  }
  const std::string me =
      fmt::format("pid {} on host {} since {} ({})\n", ::getpid(), host_name(), utc_now(), purpose);
  // Informative only (the flock is the lock): a failed write leaves an older holder's text, no more.
  const bool named = ::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, me.data(), me.size(), 0) > 0;
  (void)named;
}

ResultStoreLock::~ResultStoreLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace aimc
