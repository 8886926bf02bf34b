#include "aimc/sim/Workload.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "aimc/base/Error.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/numerics/ActivationLayout.h"
#include "aimc/sim/BatchMemory.h"

namespace aimc {

namespace {

int64_t values_per_row(const NpyArray& x) {
  return x.shape.empty() ? 0 : x.elementCount() / std::max<int64_t>(1, x.shape[0]);
}

std::vector<int64_t> without_unit_dims(std::vector<int64_t> dims) {
  dims.erase(std::remove(dims.begin(), dims.end(), 1), dims.end());
  return dims;
}

// A sample's layout must be the model input's: the same dimensions, or all of them flattened into one
// ([rows, values]), or the same dimensions with axes of size 1 added or dropped (an [N, C, L] input of a 1-D
// Conv is held as [N, C, 1, L]). Equal element counts alone are not enough: NHWC data for an NCHW input has
// the count but not the layout.
bool sample_layout_matches(const std::vector<int64_t>& data, const std::vector<int64_t>& model) {
  const std::vector<int64_t> d(data.begin() + 1, data.end()), m(model.begin() + 1, model.end());
  if (d.size() == 1 || d == m) return true;
  return d.size() != m.size() && without_unit_dims(d) == without_unit_dims(m);
}

std::string npy_shape_text(const std::vector<int64_t>& shape) {
  return fmt::format("({})", fmt::join(shape, ", "));
}

void check_input_shape(const Graph& graph, const NpyArray& x) {
  const GraphTensor& input = graph.tensor(graph.inputs.at(0));
  if (x.shape.empty() || values_per_row(x) != input.sampleSize())
    throw UserError(x.source, 0, "shape",
                    fmt::format("samples have {} values but the model's input {} takes {}", values_per_row(x),
                                input.shapeText(), input.sampleSize()));
  if (!sample_layout_matches(x.shape, input.shape)) {
    std::vector<int64_t> expected = input.shape;
    expected[0] = x.shape[0];
    throw UserError(x.source, 0, "shape",
                    fmt::format("the array has shape {} but the model's input '{}' {} expects {} (or {} "
                                "flattened); reorder the axes (e.g. NHWC to NCHW) before the run",
                                npy_shape_text(x.shape), input.name, input.shapeText(),
                                npy_shape_text(expected), npy_shape_text({x.shape[0], input.sampleSize()})));
  }
}

// Rows [begin, end) of the inputs in the model input's shape, converted to float from the file's bytes
// (only these rows: a long batch is never held as floats whole).
ReferenceTensor input_rows(const NpyArray& inputs, int64_t begin, int64_t end, const GraphTensor& input) {
  const auto row_bytes = static_cast<size_t>(input.sampleSize() * npyItemSize(inputs.dtype));
  NpyArray part;
  part.shape = {end - begin, input.sampleSize()};
  part.dtype = inputs.dtype;
  part.source = inputs.source;
  part.bytes.assign(
      inputs.bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(begin) * row_bytes),
      inputs.bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(end) * row_bytes));
  ReferenceTensor t;
  t.shape = input.shape;
  t.shape[0] = end - begin;
  t.data = part.toFloatVector();
  return t;
}

// The first `rows` rows of a tensor (a C-order [batch, ...] tensor: a prefix of its data).
ReferenceTensor first_rows(const ReferenceTensor& t, int64_t rows) {
  ReferenceTensor r;
  r.shape = t.shape;
  r.shape[0] = rows;
  r.data.assign(t.data.begin(), t.data.begin() + rows * t.sampleSize());
  return r;
}

void append_rows(ReferenceTensor& to, const ReferenceTensor& from) {
  if (to.shape.empty()) {
    to.shape = from.shape;
    to.shape[0] = 0;
  }
  to.shape[0] += from.batch();
  to.data.insert(to.data.end(), from.data.begin(), from.data.end());
}

// Top-1 over every output value of a sample (a map output is flattened in its NCHW order).
std::vector<int32_t> top1_of(const ReferenceTensor& logits) {
  ReferenceTensor flat = logits;
  flat.shape = {logits.batch(), logits.sampleSize()};
  return ReferenceExecutor::argmax(flat);
}

// The codes of `rows` samples' chip input values, appended to w.codes.
void append_hwc_input_codes(const std::vector<float>& values, int64_t rows, Workload& w) {
  const Mapping& m = w.mapping;
  std::vector<int8_t> codes(static_cast<size_t>(rows * m.input_features));
  for (size_t i = 0; i < codes.size(); ++i)
    codes[i] = quantise_input(values[i], m.input_step, w.input_code_max);
  // The chip holds maps in HWC order: the host permutes the NCHW input before injecting it.
  if (!m.input_sequence) codes = chw_to_hwc(codes, rows, m.input_channels, m.input_pixels);
  w.codes.insert(w.codes.end(), codes.begin(), codes.end());
}

// The rows of `x` a run of `batch` samples (0 = all) takes; `run_file` set the batch.
int64_t batch_rows(const RunConfig::Workload& files, const NpyArray& x, const std::string& run_file) {
  const int64_t rows = x.shape[0];
  if (files.batch > rows)
    throw UserError(run_file, 0, "workload.batch",
                    fmt::format("asks for {} samples but {} has {}", files.batch, files.inputs, rows));
  return files.batch > 0 ? files.batch : rows;
}

// One label per row of the inputs file (at least the batch's), each a class of the model's first output.
std::vector<int32_t> read_labels(const std::string& file, int64_t samples, int64_t rows, const Graph& graph) {
  if (file.empty()) return {};
  std::vector<int32_t> labels = Npy::read(file, 1).toInt32Vector();
  if (static_cast<int64_t>(labels.size()) < samples)
    throw UserError(file, 0, "shape", fmt::format("has {} labels for {} samples", labels.size(), samples));
  if (static_cast<int64_t>(labels.size()) > rows)
    throw UserError(file, 0, "shape",
                    fmt::format("has {} labels but the inputs hold only {} samples", labels.size(), rows));
  const GraphTensor& output = graph.tensor(graph.outputs.at(0));
  const int64_t classes = output.sampleSize();
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= classes)
      throw UserError(
          file, 0, "values",
          fmt::format("label {} of sample {} is outside the model's classes 0..{} (output '{}' {})",
                      labels[i], i, classes - 1, output.name, output.shapeText()));
  return labels;
}

// What the batch keeps of the float reference of its rows [begin, begin + rows) (`result` may hold more
// rows, from the calibration): the chip's input codes (from the host's input step, an Embedding on token
// ids, when there is one) and, when the run compares with float, the logits.
void keep_reference_rows(Workload& w, const ReferenceExecutor::Result& result, int64_t rows) {
  if (w.mapping.input_tensor != w.graph.inputs.at(0))
    append_hwc_input_codes(first_rows(result.tensors.at(w.mapping.input_tensor), rows).data, rows, w);
  if (!w.compare_float) return;
  const ReferenceTensor logits = first_rows(result.tensors.at(w.mapping.output_tensor), rows);
  const std::vector<int32_t> top1 = top1_of(logits);
  w.float_top1.insert(w.float_top1.end(), top1.begin(), top1.end());
  append_rows(w.float_logits, logits);
}

// The batch's codes and float figures, rows [0, samples), each row through the float reference once: the
// calibration's result serves its rows, the rest run in chunks. Without a comparison and without a host input
// step the reference does not run at all here.
void quantise_batch(Workload& w, const NpyArray& inputs, const ReferenceExecutor& reference,
                    const ReferenceExecutor::Result& calibration, int64_t calibration_rows) {
  const GraphTensor& input = w.graph.tensor(w.graph.inputs.at(0));
  const bool host_input = w.mapping.input_tensor != input.name;
  const int64_t chunk = reference_chunk_rows(w.graph);
  w.codes.reserve(static_cast<size_t>(w.samples * w.mapping.input_features));
  if (w.compare_float) {
    w.float_logits.data.reserve(
        static_cast<size_t>(w.samples * w.graph.tensor(w.mapping.output_tensor).sampleSize()));
    w.float_top1.reserve(static_cast<size_t>(w.samples));
  }
  for (int64_t begin = 0; begin < w.samples;) {
    const bool reuse = begin == 0 && (w.compare_float || host_input);
    const int64_t end = std::min(w.samples, begin + (reuse ? calibration_rows : chunk));
    const ReferenceTensor x = input_rows(inputs, begin, end, input);
    if (!host_input) append_hwc_input_codes(x.data, end - begin, w);
    if (reuse)
      keep_reference_rows(w, calibration, end);
    else if (w.compare_float || host_input)
      keep_reference_rows(w, reference.run(x), end - begin);
    begin = end;
  }
}

}  // namespace

int input_code_max(const ArchConfig& arch) {
  return (1 << (arch.core.tile.dac.bits - 1)) - 1;
}

int8_t quantise_input(float x, double step, int code_max) {
  const double q = std::nearbyint(static_cast<double>(x) / step);  // half-to-even (default rounding mode)
  return static_cast<int8_t>(std::clamp<double>(q, -code_max, code_max));
}

Workload prepare_workload(const ArchConfig& arch, Graph graph, const NpyArray& inputs, int64_t batch,
                          int64_t calibration_samples, PackingPolicy packing, bool compare_float) {
  check_input_shape(graph, inputs);
  Npy::require_finite(inputs);
  const int64_t rows = inputs.shape[0];
  if (batch < 0 || batch > rows)
    throw UserError(inputs.source, 0, "shape", fmt::format("has {} samples for a batch of {}", rows, batch));
  Workload w;
  w.graph = std::move(graph);
  w.samples = batch > 0 ? batch : rows;
  w.compare_float = compare_float;
  // Float reference: calibration of the INT8 steps on the first rows, then (reusing those rows) the outputs
  // to compare with.
  const ReferenceExecutor reference(w.graph);
  const int64_t calibration_rows = std::min(calibration_samples, rows);
  const ReferenceExecutor::Result calibration =
      reference.run(input_rows(inputs, 0, calibration_rows, w.graph.tensor(w.graph.inputs.at(0))));
  w.absmax = calibration.absmax();
  w.mapping = map_network(w.graph, arch, w.absmax, packing);
  w.input_code_max = input_code_max(arch);
  quantise_batch(w, inputs, reference, calibration, calibration_rows);
  return w;
}

Workload prepare_workload(const ArchConfig& arch, const RunConfig::Workload& files,
                          const std::string& run_file) {
  Graph graph = OnnxImporter::load(files.model);
  const NpyArray x = Npy::read(files.inputs);
  // The input and batch checks before the labels are read, so that errors come in the order a user fixes
  // them.
  check_input_shape(graph, x);
  const int64_t samples = batch_rows(files, x, run_file);
  check_batch_memory(graph, samples, x.shape[0], files.max_memory, run_file, files.calibration_samples);
  std::vector<int32_t> labels = read_labels(files.labels, samples, x.shape[0], graph);
  Workload w = prepare_workload(arch, std::move(graph), x, samples, files.calibration_samples, files.packing,
                                files.compare_float);
  w.labels = std::move(labels);
  return w;
}

Workload prepare_workload(const ResolvedRun& cfg) {
  return prepare_workload(cfg.arch, cfg.run.workload, cfg.run.source_file);
}

}  // namespace aimc
