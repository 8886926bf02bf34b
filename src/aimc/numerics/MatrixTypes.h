#pragma once
// Matrix types shared by the numerics and the chip: batches are row-major ([batch, lines]) so that one input
// vector or one output vector is contiguous.
#include <Eigen/Core>
#include <cstdint>

namespace aimc {

using MatrixXi32RowMajor = Eigen::Matrix<int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixXfRowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace aimc
