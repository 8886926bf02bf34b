#pragma once
// Outputs that are never partial: the bytes go to a temporary file beside the final one, every write and the
// close are checked, the data is fsync'd and only then renamed over the final name. On any error the
// temporary is removed and a UserError names the final file and the OS reason ("No space left on device",
// "File too large"); an earlier file under the final name stays untouched.
//
// A final path that exists and is not a regular file (/dev/stdout, /dev/full, a FIFO) cannot be replaced by a
// rename: it is written in place, still with every write checked. A symbolic link is followed: the file it
// names is replaced, the link stays.
#include <string>
#include <string_view>

namespace aimc {

class AtomicFile {
 public:
  // key: what names the file in errors (an option or config key, e.g. "--out"; may be empty).
  explicit AtomicFile(std::string path, std::string key = "");
  ~AtomicFile();  // not committed: the temporary is removed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);
  void write(const void* data, size_t size) { write(std::string_view(static_cast<const char*>(data), size)); }
  // fsync, close, rename into place. After it returns the final file holds everything written.
  void commit();

  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(const std::string& what, int error_number);
  void discard() noexcept;
  std::string path_, key_, temp_;
  std::string target_;  // path_, or the file a symbolic link at path_ names
  int fd_ = -1;
  bool in_place_ = false;
};

// The whole content at once: AtomicFile, write, commit.
void write_file_atomically(const std::string& path, std::string_view bytes, const std::string& key = "");

}  // namespace aimc
