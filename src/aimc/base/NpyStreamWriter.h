#pragma once
// An .npy file written in parts as its elements are produced: the header with the whole shape first, then the
// elements in C order, through AtomicFile (so still all or nothing: until commit() the final name is
// untouched, and a writer destroyed without commit leaves no file). commit() checks that exactly the shape's
// elements came. Large outputs (a run's logits, `aimcsim mvm`'s Y) never exist whole in memory.
#include <cstdint>
#include <string>
#include <vector>

#include "aimc/base/AtomicFile.h"
#include "aimc/base/Npy.h"

namespace aimc {

class NpyStreamWriter {
 public:
  // dtype: float32, int8 or int32 (Npy::header). key: names the file in errors, as AtomicFile's.
  NpyStreamWriter(const std::string& path, NpyDtype dtype, const std::vector<int64_t>& shape,
                  std::string key = "");

  // The next `count` elements (of the writer's dtype, little-endian as the host: x86 and ARM Linux).
  void write(const void* elements, int64_t count);
  void commit();

  const std::string& path() const { return file_.path(); }

 private:
  AtomicFile file_;
  int item_size_;
  int64_t expected_ = 1, written_ = 0;
};

}  // namespace aimc
