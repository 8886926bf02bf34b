#include "aimc/base/NpyStreamWriter.h"

#include "aimc/base/Error.h"

namespace aimc {

NpyStreamWriter::NpyStreamWriter(const std::string& path, NpyDtype dtype, const std::vector<int64_t>& shape,
                                 std::string key)
    : file_(path, std::move(key)), item_size_(npyItemSize(dtype)) {
  for (int64_t d : shape) expected_ *= d;
  const std::vector<uint8_t> head = Npy::header(dtype, shape, path);
  file_.write(head.data(), head.size());
}

void NpyStreamWriter::write(const void* elements, int64_t count) {
  AIMC_ASSERT_MSG(count >= 0 && written_ + count <= expected_, "more elements than the shape holds");
  file_.write(elements, static_cast<size_t>(count) * static_cast<size_t>(item_size_));
  written_ += count;
}

void NpyStreamWriter::commit() {
  AIMC_ASSERT_MSG(written_ == expected_, "fewer elements than the shape holds");
  file_.commit();
}

}  // namespace aimc
