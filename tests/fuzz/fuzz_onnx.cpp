// Fuzz target: the ONNX importer (protobuf bytes -> graph, normalisation passes, shape inference) and the
// compiler behind it (lowering, tiling, placement, schedule) on the declared default arch.
#include <map>

#include "FuzzCommon.h"
#include "aimc/compiler/Mapping.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/ConfigSource.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const aimc::ArchConfig arch = aimc::resolve_arch(aimc::ConfigSource());
  const std::string model(reinterpret_cast<const char*>(data), size);
  return aimc_fuzz::refuse_or_accept([&] {
    const aimc::Graph graph = aimc::OnnxImporter::parse("fuzz.onnx", model);
    // Calibration ranges as the float reference would give them (1.0 everywhere keeps every step valid).
    std::map<std::string, double> absmax;
    for (const aimc::GraphTensor& t : graph.tensors()) absmax[t.name] = 1.0;
    (void)aimc::map_network(graph, arch, absmax);
  });
}
