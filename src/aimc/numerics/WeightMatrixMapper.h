#pragma once
// Splits a weight matrix W[out, in] of any size over ceil(out / rows) x ceil(in / cols) CrossbarArray tiles,
// programs them, and computes y = x W^T over the whole matrix by adding the tiles' partial sums in float
// (what `aimcsim mvm` runs). Tile (a, b) holds W[a*rows .., b*cols ..] and has id first_tile_id + a * nb + b.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "aimc/numerics/CrossbarArray.h"

namespace aimc {

class WeightMatrixMapper {
 public:
  WeightMatrixMapper(const TileParams& params, uint64_t seed, uint32_t first_tile_id = 0);

  // Programs every tile; the result sums pulses / draws, and its weight errors are over the whole matrix.
  ProgramResult program(const Eigen::Ref<const Eigen::MatrixXf>& w);
  void set_inference_time(double t_s);
  // x [batch, in] -> y [batch, out]; every tile uses read indices read_index + b.
  Eigen::MatrixXf mvm(const Eigen::Ref<const Eigen::MatrixXf>& x, uint64_t read_index,
                      MvmActivity* activity = nullptr) const;

  int out_blocks() const { return out_blocks_; }
  int in_blocks() const { return in_blocks_; }
  const CrossbarArray& tile(int out_block, int in_block) const {
    return tiles_[out_block * in_blocks_ + in_block];
  }
  // Mean of the tiles' global drift-compensation factors (what `aimcsim mvm` prints).
  double mean_drift_compensation() const;
  Eigen::MatrixXf programmed_weights() const;

 private:
  TileParams params_;
  uint64_t seed_;
  uint32_t first_tile_id_;
  int out_ = 0, in_ = 0, out_blocks_ = 0, in_blocks_ = 0;
  std::vector<CrossbarArray> tiles_;
};

}  // namespace aimc
