#pragma once
// Import normalisation of sequence layouts (issue 16): the Transpose / Squeeze / Shape / Gather / Slice /
// Expand boilerplate that torch.onnx.export wraps around ONNX LSTM and GRU nodes.
//
// ONNX recurrent nodes read time-major X [T, N, I] and write Y [T, 1, N, H] and Y_h, Y_c [1, N, H]; torch's
// batch_first adds a Transpose [N, T, I] -> [T, N, I] before and after, and a stacked network Slices its
// initial states [layers, N, H] per layer. The graph keeps the batch first (Graph.h): the importer records,
// per ONNX tensor, the ONNX axis that holds the batch, and holds the data with that axis moved first and the
// other axes in ONNX order (the "held" shape). A Transpose that only moves the batch, or a Squeeze/Unsqueeze,
// then changes the recorded axis and at most the held shape (a Reshape view), never the data; a Gather of one
// position or a Slice of a range becomes a kSlice on the held axis.
//
// Pure functions on shapes, with kBatch marking the batch in an ONNX shape; they throw Refusal(reason).
#include <cstdint>
#include <vector>

#include "aimc/compiler/Graph.h"
#include "aimc/compiler/ImportNormalise.h"

namespace aimc {

// The ONNX axis holding the batch (the one kBatch entry).
int64_t batchAxisOf(const std::vector<int64_t>& onnx_shape);
// The held shape: the batch first, the other ONNX axes in order.
std::vector<int64_t> heldShape(const std::vector<int64_t>& onnx_shape);
// The ONNX shape of a held shape whose batch sits at ONNX axis `batch_axis`.
std::vector<int64_t> onnxShapeOf(const std::vector<int64_t>& held, int64_t batch_axis);
// The held axis of the non-batch ONNX axis `onnx_axis`.
int64_t heldAxis(int64_t onnx_axis, int64_t batch_axis);

// Transpose of a tensor whose batch may be anywhere: the batch may move, the axes larger than 1 must keep
// their order (anything else moves data). Returns the ONNX output shape.
std::vector<int64_t> sequenceTransposeShape(const std::vector<int64_t>& onnx_shape,
                                            const std::vector<int64_t>& perm);
// Unsqueeze that may insert before the batch. Returns the ONNX output shape.
std::vector<int64_t> sequenceUnsqueezeShape(const std::vector<int64_t>& onnx_shape,
                                            const std::vector<int64_t>& axes);

// Positions [start, end) of one ONNX axis that a Gather or Slice reads; `keeps_axis` is false for a Gather
// with a scalar index (the axis disappears).
struct AxisRange {
  int64_t axis = 0;  // ONNX axis, never the batch
  int64_t start = 0;
  int64_t end = 0;
  bool keeps_axis = true;
};
// Gather(x, indices, axis) with one constant index (a scalar, or a 1-element list).
AxisRange gatherPosition(const std::vector<int64_t>& onnx_shape, const ConstTensor& indices, int64_t axis);
// Slice(x, starts, ends, axes, steps) of one axis with step 1 (ranges covering a whole axis, the batch's
// included, are ignored); empty axes means 0, 1, ...
AxisRange slicePositions(const std::vector<int64_t>& onnx_shape, const std::vector<int64_t>& starts,
                         const std::vector<int64_t>& ends, std::vector<int64_t> axes,
                         const std::vector<int64_t>& steps);

// Expand(c, shape) of a constant to a shape that holds the symbolic batch size (kSymbolicBatch): torch's
// zero initial state of an RNN, `zeros(layers, x.size(1), hidden)`. True when every value of c is zero
// (the result is a zero state); Refusal for a non-zero value, which would be a batch-sized constant.
bool expandsToZeroState(const ConstTensor& c, const ConstTensor& shape);
// Expand of a constant to a concrete shape (ONNX bidirectional broadcast).
ConstTensor foldExpand(const ConstTensor& c, const ConstTensor& shape);

// Graph pass after mergeViewChains: a Reshape that does not change the shape of what an LSTM, GRU or Slice
// made (torch's Squeeze of Y [T, 1, N, H] undoing the view that stands for Y) goes; its readers read its
// input. A graph output keeps its name (the producer is renamed when the view was its only reader). Returns
// the number dropped.
int dropIdentityViews(Graph& graph);

}  // namespace aimc
