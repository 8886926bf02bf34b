#pragma once
// Exclusive use of a results file for as long as a sweep (or a merge) writes to it: an flock(2) on the
// sidecar `<db>.lock`, which also holds who took it (pid, host, start time, what for). A second sweep on the
// same file refuses at once with a UserError naming the holder, instead of running every point twice and
// deleting the other's work directories.
//
// Why flock on a sidecar and not SQLite's own locking: SQLite locks only for a transaction, and every point's
// result is its own short transaction (a SIGKILL loses nothing stored); holding one write transaction for the
// whole sweep would undo that and block readers (`results export` of a running sweep). The kernel drops an
// flock when its holder dies, even by SIGKILL, so a stale lock never blocks; the file itself stays (removing
// it would race with a sweep that has just opened it).
#include <string>

namespace aimc {

class ResultStoreLock {
 public:
  // purpose: says what holds the lock in the message a second user gets (e.g. "sweep configs/sweeps/x.yaml").
  ResultStoreLock(const std::string& db_path, const std::string& purpose);
  ~ResultStoreLock();
  ResultStoreLock(const ResultStoreLock&) = delete;
  ResultStoreLock& operator=(const ResultStoreLock&) = delete;

  static std::string lock_path(const std::string& db_path) { return db_path + ".lock"; }

 private:
  int fd_ = -1;
};

}  // namespace aimc
