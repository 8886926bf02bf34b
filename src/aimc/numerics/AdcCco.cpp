#include "aimc/numerics/AdcCco.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>

#include "aimc/base/Error.h"

namespace aimc {

AdcCco::AdcCco(const AdcParams& params, const DacParams& dac, int lines, uint64_t seed, uint32_t tile_id)
    : AdcModel(full_scale_counts_for(params, dac), (int32_t{1} << params.cco_counter_bits) - 1),
      mismatch_(AdcMismatch::draw(params, lines, seed, tile_id)) {
  if (full_scale_counts() < 1)
    throw UserError("", 0, "adc.cco_t_lsb_ps", "the integration window holds less than one CCO period");
}

// Vectorised over lines in fixed-size chunks (no allocation; const and thread safe). floor(|v|) is taken as
// the truncation of min(|v|, fs + 1), which is exact and vectorises with SSE2; the saturating counter add is
// a min against counter_max (counters and codes are far below int32 overflow).
bool AdcCco::convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const {
  AIMC_ASSERT(lines <= static_cast<int>(mismatch_.gain.size()));
  constexpr int kChunk = 64;
  using Chunk = Eigen::Array<float, kChunk, 1>;
  using ChunkI = Eigen::Array<int32_t, kChunk, 1>;
  const float fs = static_cast<float>(full_scale_counts());
  const float inv_fs = 1.0f / fs;
  const int32_t fs_code = full_scale_counts();
  const int32_t cmax = counter_max();
  bool saturated = false;
  for (int j0 = 0; j0 < lines; j0 += kChunk) {
    const int m = std::min(kChunk, lines - j0);
    Chunk x = Chunk::Zero(), gain = Chunk::Zero(), offset = Chunk::Zero(), inl = Chunk::Zero();
    std::copy_n(ideal_counts + j0, m, x.data());
    std::copy_n(mismatch_.gain.data() + j0, m, gain.data());
    std::copy_n(mismatch_.offset_counts.data() + j0, m, offset.data());
    std::copy_n(mismatch_.inl_peak_counts.data() + j0, m, inl.data());
    // with_inl(): v +- peak 4u(1-u), u = min(|v| / fs, 1).
    const Chunk u = (x.abs() * inv_fs).min(1.0f);
    const Chunk bow = inl * 4.0f * u * (1.0f - u);
    const Chunk v = gain * (x < 0.0f).select(x - bow, x + bow) + offset;
    const ChunkI code = v.abs().min(fs + 1.0f).cast<int32_t>();
    saturated = saturated || (code.head(m) >= fs_code).any();
    const ChunkI c = code.min(fs_code);
    const ChunkI to_pos = (v >= 0.0f).select(c, ChunkI::Zero());
    const ChunkI to_neg = (v >= 0.0f).select(ChunkI::Zero(), c);
    Eigen::Map<Eigen::Array<int32_t, Eigen::Dynamic, 1>> p(pos + j0, m), n(neg + j0, m);
    p = (p + to_pos.head(m)).min(cmax);
    n = (n + to_neg.head(m)).min(cmax);
  }
  return saturated;
}

}  // namespace aimc
