#pragma once
// Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11, as in Random123 and cuRAND).
// A draw is a pure function of (seed, stream, index): stream encodes (block id, purpose, sub-id), index the
// device / row / draw number. The same seed gives the same bits whatever the order of evaluation or the
// number of host threads, because no state is carried from one draw to the next.
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "aimc/base/PortableMath.h"

namespace aimc {

// What a random draw is for; part of the stream key so that purposes never share numbers.
enum class RngPurpose : uint32_t {
  kProgramming = 1,
  kDriftNu = 2,
  kReadNoise = 3,
  kAdcNoise = 4,
  kOutputNoise = 5,
  kStuckDevices = 6,
  kAdcMismatch = 7,
  kProgramVerify = 8,
  kWorkload = 9,
  kSweep = 10,
  kStimulus = 11,
  kRepeat = 12,        // the seeds of a run's repeats (aimcsim run --repeats)
  kDeviceWindow = 13,  // a device's own LRS/HRS (device-to-device variability, DeviceModelRram)
};

class CounterRng {
 public:
  // stream_hi/stream_lo: e.g. block id and (purpose << 16 | sub-id); see stream().
  CounterRng(uint64_t seed, uint32_t block, RngPurpose purpose, uint32_t sub = 0)
      : key_{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)},
        stream_hi_(block),
        stream_lo_((static_cast<uint32_t>(purpose) << 24) ^ sub) {}

  // Four independent 32-bit words for counter `index`.
  std::array<uint32_t, 4> block(uint64_t index) const {
    std::array<uint32_t, 4> ctr{static_cast<uint32_t>(index), static_cast<uint32_t>(index >> 32), stream_lo_,
                                stream_hi_};
    std::array<uint32_t, 2> key = key_;
    for (int round = 0; round < 10; ++round) {
      ctr = philox_round(ctr, key);
      key[0] += kWeyl0;
      key[1] += kWeyl1;
    }
    return ctr;
  }

  // Uniform in the open interval (0, 1), 53 random bits is more than float consumers need; 32 is enough here.
  static double to_unit(uint32_t w) { return (static_cast<double>(w) + 0.5) * (1.0 / 4294967296.0); }

  double uniform(uint64_t index) const { return to_unit(block(index)[0]); }

  // Standard normal draws 2 index and 2 index + 1: Box-Muller on one half of a Philox block (pairs 2b and
  // 2b + 1 share block b: words 0, 1 and words 2, 3). log and sin/cos are the fixed kernels of
  // PortableMath.h, not libm: the same bits on every host, and fill_normal's vectorised loop evaluates
  // exactly this.
  std::array<double, 2> normal_pair(uint64_t index) const {
    const auto w = block(index >> 1);
    const int k = static_cast<int>(index & 1) * 2;
    return box_muller(to_unit(w[k]), to_unit(w[k + 1]));
  }
  static std::array<double, 2> box_muller(double u1, double u2) {
    const double r = std::sqrt(-2.0 * pm::log(u1));
    const pm::SinCos a = pm::sincos_2pi(u2);
    return {r * a.cos, r * a.sin};
  }

  // Standard normal draw number `index` (four share one Philox block).
  double normal(uint64_t index) const {
    auto p = normal_pair(index >> 1);
    return p[index & 1];
  }

  // out[i] = normal(first_index + i), i < n: Philox on 8 counters at once (AVX2 when the host has it, chosen
  // at run time; the same integers either way) and the Box-Muller transform in a loop that vectorises;
  // bit-identical to normal() whatever n, the alignment of first_index or the host (RngTest).
  void fill_normal(uint64_t first_index, size_t n, double* out) const;
  // words[4 * b + k] = block(first_block + b)[k], b < blocks.
  void fill_blocks(uint64_t first_block, size_t blocks, uint32_t* words) const;

  // Key and stream words, so that a vectorised generator (numerics/NormalSampler) can reproduce block().
  std::array<uint32_t, 2> key() const { return key_; }
  uint32_t stream_hi() const { return stream_hi_; }
  uint32_t stream_lo() const { return stream_lo_; }
  static constexpr uint32_t kPhiloxMul0 = 0xD2511F53u, kPhiloxMul1 = 0xCD9E8D57u;
  static constexpr uint32_t kPhiloxWeyl0 = 0x9E3779B9u, kPhiloxWeyl1 = 0xBB67AE85u;

 private:
  static constexpr uint32_t kMul0 = 0xD2511F53u;
  static constexpr uint32_t kMul1 = 0xCD9E8D57u;
  static constexpr uint32_t kWeyl0 = 0x9E3779B9u;
  static constexpr uint32_t kWeyl1 = 0xBB67AE85u;

  static std::array<uint32_t, 4> philox_round(const std::array<uint32_t, 4>& c,
                                              const std::array<uint32_t, 2>& k) {
    const uint64_t p0 = static_cast<uint64_t>(kMul0) * c[0];
    const uint64_t p1 = static_cast<uint64_t>(kMul1) * c[2];
    return {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<uint32_t>(p1),
            static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<uint32_t>(p0)};
  }

  std::array<uint32_t, 2> key_;
  uint32_t stream_hi_;
  uint32_t stream_lo_;
};

}  // namespace aimc
