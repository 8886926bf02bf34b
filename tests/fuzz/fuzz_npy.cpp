// Fuzz target: the NPY reader (header dictionary, dtype, shape, data length) and its conversions.
#include "FuzzCommon.h"
#include "aimc/base/Npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  return aimc_fuzz::refuse_or_accept([&] {
    const aimc::NpyArray a = aimc::Npy::parse("fuzz.npy", bytes);
    (void)a.toDoubleVector();
    aimc::Npy::require_finite(a);
    if (!a.shape.empty()) (void)a.toMatrix();
    if (a.dtype != aimc::NpyDtype::kFloat32 && a.dtype != aimc::NpyDtype::kFloat64) (void)a.toInt32Vector();
  });
}
