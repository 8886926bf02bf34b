#include "aimc/isa/ActivationCapture.h"

#include <algorithm>

#include <fmt/format.h>

#include "aimc/base/Error.h"

namespace aimc {

ActivationCapture::ActivationCapture(const Mapping& mapping, const std::vector<int>& layer_indices) {
  for (int li : layer_indices) {
    const MappedLayer& ml = mapping.layers.at(static_cast<size_t>(li));
    Layer l;
    l.index = li;
    l.name = ml.name;
    // A map with pixels (NCHW) or a vector: an affine layer keeps the shape of the map it reads.
    l.conv = ml.conv || (ml.affine && ml.pixels > 1);
    l.channels = ml.out_features;
    l.step = ml.map_step;  // the map the layer sends on: after an average pool, the pool's own step
    for (int pi : ml.pieces) {
      const CrossbarPiece& p = mapping.pieces[static_cast<size_t>(pi)];
      if (p.chain_index + 1 != p.chain_length) continue;  // only the last piece of a chain writes the layer
      // The slot the schedule sends on (Mapping's command tables): pooled, else the residual pass's, else
      // the unit's output; a depthwise piece writes its output slot.
      uint32_t tag = output_tag(pi);
      const ConvGeometry& g = p.depthwise.enabled ? p.depthwise.geometry : p.geometry;
      l.height = g.out_h;
      l.width = g.out_w;
      if (!p.depthwise.enabled && p.residual_pass) tag = residual_tag(pi);
      if (!p.depthwise.enabled && p.pool.enabled) {
        tag = pooled_tag(pi);
        l.height = p.pool.out_h;
        l.width = p.pool.out_w;
      }
      watches_[key(p.core, tag)] = {layers_.size(), p.out_begin, p.out_count};
    }
    AIMC_ASSERT(l.conv || l.pixels() == 1);  // a Gemm's vector is one pixel
    layers_.push_back(l);
  }
  maps_.resize(layers_.size());
  bytes_written_.resize(layers_.size());
}

std::vector<int> ActivationCapture::select(const Mapping& mapping, const std::string& spec,
                                           const std::string& file) {
  std::vector<int> out;
  if (spec.empty() || spec == "false" || spec == "none") return out;
  if (spec == "all" || spec == "true") {
    for (size_t i = 0; i < mapping.layers.size(); ++i) out.push_back(static_cast<int>(i));
    return out;
  }
  size_t start = 0;
  while (start <= spec.size()) {
    const size_t comma = std::min(spec.find(',', start), spec.size());
    std::string name = spec.substr(start, comma - start);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    auto it = std::find_if(mapping.layers.begin(), mapping.layers.end(),
                           [&](const MappedLayer& l) { return l.name == name; });
    if (it == mapping.layers.end()) {
      std::string valid;
      for (const MappedLayer& l : mapping.layers) valid += (valid.empty() ? "" : ", ") + l.name;
      throw UserError(
          file, 0, "output.activations",
          fmt::format("no mapped layer named '{}' (valid: all, false, or layer names: {})", name, valid));
    }
    const int li = static_cast<int>(it - mapping.layers.begin());
    if (std::find(out.begin(), out.end(), li) == out.end()) out.push_back(li);
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

void ActivationCapture::begin_run(uint64_t first_sample, uint64_t samples) {
  first_sample_ = first_sample;
  samples_ = samples;
  for (size_t k = 0; k < layers_.size(); ++k) {
    maps_[k].assign(samples * static_cast<uint64_t>(layers_[k].sample_bytes()), 0);
    bytes_written_[k] = 0;
  }
}

void ActivationCapture::written(int core, uint32_t tag, uint64_t sample, uint64_t offset, const int8_t* data,
                                uint64_t bytes) {
  const auto it = watches_.find(key(core, tag));
  if (it == watches_.end()) return;
  const Watch& w = it->second;
  const Layer& l = layers_[w.layer];
  AIMC_ASSERT(sample >= first_sample_ && sample < first_sample_ + samples_);
  // The piece's slot is [pixel][out_count]: byte o is channel o % out_count of pixel o / out_count.
  const auto n = static_cast<uint64_t>(w.channel_count);
  AIMC_ASSERT(offset % n == 0 && bytes % n == 0 && (offset + bytes) / n <= static_cast<uint64_t>(l.pixels()));
  int8_t* map = maps_[w.layer].data() + (sample - first_sample_) * static_cast<uint64_t>(l.sample_bytes());
  for (uint64_t px = offset / n; px < (offset + bytes) / n; ++px)
    std::copy_n(data + (px * n - offset), n,
                map + px * static_cast<uint64_t>(l.channels) + static_cast<uint64_t>(w.channel_begin));
  bytes_written_[w.layer] += bytes;
}

const std::vector<int8_t>& ActivationCapture::hwc(size_t k) const {
  AIMC_ASSERT_MSG(bytes_written_[k] == samples_ * static_cast<uint64_t>(layers_[k].sample_bytes()),
                  "a captured activation map was not written exactly once per byte");
  return maps_[k];
}

}  // namespace aimc
