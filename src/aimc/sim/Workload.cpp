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

// The first `rows` samples in the model input's shape.
ReferenceTensor first_rows(const std::vector<float>& values, int64_t rows, const GraphTensor& input) {
  ReferenceTensor t;
  t.shape = input.shape;
  t.shape[0] = rows;
  t.data.assign(values.begin(), values.begin() + rows * input.sampleSize());
  return t;
}

// Top-1 over every output value of a sample (a map output is flattened in its NCHW order).
std::vector<int32_t> top1_of(const ReferenceTensor& logits) {
  ReferenceTensor flat = logits;
  flat.shape = {logits.batch(), logits.sampleSize()};
  return ReferenceExecutor::argmax(flat);
}

std::vector<int8_t> hwc_input_codes(const std::vector<float>& values, const Workload& w) {
  const Mapping& m = w.mapping;
  std::vector<int8_t> codes(static_cast<size_t>(w.samples * m.input_features));
  for (size_t i = 0; i < codes.size(); ++i)
    codes[i] = quantise_input(values[i], m.input_step, w.input_code_max);
  // The chip holds maps in HWC order: the host permutes the NCHW input before injecting it.
  return m.input_sequence ? codes : chw_to_hwc(codes, w.samples, m.input_channels, m.input_pixels);
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

// The values the host streams in: the input itself, or what the host's input step (an Embedding on token
// ids) makes of it.
std::vector<float> chip_input_values(const ReferenceExecutor::Result& batch, const std::vector<float>& values,
                                     const Workload& w, const GraphTensor& input) {
  if (w.mapping.input_tensor == input.name) return values;
  return batch.tensors.at(w.mapping.input_tensor).data;
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
                          int64_t calibration_samples, PackingPolicy packing) {
  check_input_shape(graph, inputs);
  Npy::require_finite(inputs);
  const int64_t rows = inputs.shape[0];
  if (batch < 0 || batch > rows)
    throw UserError(inputs.source, 0, "shape", fmt::format("has {} samples for a batch of {}", rows, batch));
  Workload w;
  w.graph = std::move(graph);
  w.samples = batch > 0 ? batch : rows;
  const GraphTensor& input = w.graph.tensor(w.graph.inputs.at(0));
  const std::vector<float> values = inputs.toFloatVector();
  // Float reference: calibration of the INT8 steps, and the outputs to compare with.
  const ReferenceExecutor reference(w.graph);
  w.absmax = reference.run(first_rows(values, std::min(calibration_samples, rows), input)).absmax();
  const ReferenceExecutor::Result batch_result = reference.run(first_rows(values, w.samples, input));
  w.mapping = map_network(w.graph, arch, w.absmax, packing);
  w.float_outputs = batch_result.output(0);
  w.float_logits = batch_result.tensors.at(w.mapping.output_tensor);
  w.float_top1 = top1_of(w.float_logits);
  w.input_code_max = input_code_max(arch);
  w.codes = hwc_input_codes(chip_input_values(batch_result, values, w, input), w);
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
  check_batch_memory(graph, samples, x.shape[0], files.max_memory, run_file);
  std::vector<int32_t> labels = read_labels(files.labels, samples, x.shape[0], graph);
  Workload w = prepare_workload(arch, std::move(graph), x, samples, files.calibration_samples, files.packing);
  w.labels = std::move(labels);
  return w;
}

Workload prepare_workload(const ResolvedRun& cfg) {
  return prepare_workload(cfg.arch, cfg.run.workload, cfg.run.source_file);
}

}  // namespace aimc
