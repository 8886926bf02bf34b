#include "aimc/numerics/LdpuFp16Model.h"

#include <cmath>
#include <sstream>

#include "aimc/base/Error.h"

namespace aimc {

LdpuFp16Model::LdpuFp16Model(const LdpuFp16Params& params) : params_(params) {
  params_.validate();
}

Fp16 LdpuFp16Model::quantize(double value, const std::string& name) const {
  const Fp16 h = Fp16::from_double(value);
  if (!std::isfinite(value) || h.is_inf()) {
    std::ostringstream msg;
    msg << "coefficient " << value << " is not representable in FP16: range [-65504, 65504]";
    throw UserError("", 0, "ldpu." + name, msg.str());
  }
  return h;
}

LdpuFp16Channel LdpuFp16Model::quantize_channel(double g, double o, double a, double b, double c, bool relu1,
                                                bool relu2) const {
  LdpuFp16Channel ch;
  ch.gain = quantize(g, "gain");
  ch.offset = quantize(o, "offset");
  ch.scale = quantize(a, "scale");
  ch.bias = quantize(b, "bias");
  ch.side_scale = quantize(c, "side_scale");
  ch.relu1 = relu1;
  ch.relu2 = relu2;
  return ch;
}

int8_t LdpuFp16Model::process(uint32_t pos, uint32_t neg, const LdpuFp16Channel& ch, int8_t side,
                              bool side_valid) const {
  const uint32_t limit = uint32_t{1} << params_.adc_count_bits;
  AIMC_ASSERT_MSG(pos < limit && neg < limit, "ADC count wider than adc_count_bits");
  const Fp16 x = Fp16::from_int(static_cast<int64_t>(pos) - static_cast<int64_t>(neg));
  const Fp16 y = Fp16::fma(x, ch.gain, ch.offset);
  Fp16 t = Fp16::fma(y, ch.scale, ch.bias);
  if (ch.relu1) t = Fp16::relu(t);
  if (side_valid) t = Fp16::fma(ch.side_scale, Fp16::from_int(side), t);
  if (ch.relu2) t = Fp16::relu(t);
  return static_cast<int8_t>(t.to_int_saturated(-128, 127));
}

void LdpuFp16Model::process_range(const uint32_t* pos, const uint32_t* neg,
                                  const std::vector<LdpuFp16Channel>& channels, size_t first_channel,
                                  size_t n, const int8_t* side, const bool* side_valid, int8_t* out) const {
  AIMC_ASSERT(first_channel + n <= channels.size());
  for (size_t i = 0; i < n; ++i) {
    const bool valid = side != nullptr && (side_valid == nullptr || side_valid[i]);
    out[i] = process(pos[i], neg[i], channels[first_channel + i], valid ? side[i] : int8_t{0}, valid);
  }
}

uint64_t LdpuFp16Model::latency_cycles(size_t n_values) const {
  if (n_values == 0) return 0;
  const uint64_t lanes = static_cast<uint64_t>(params_.lanes);
  return (n_values + lanes - 1) / lanes - 1 + static_cast<uint64_t>(params_.pipeline_depth);
}

}  // namespace aimc
