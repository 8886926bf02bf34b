// The lowering of Concat along channels (torch.cat of maps, DenseNet blocks, [cos, sin] features): no
// arithmetic and no layer. The concatenated map is its inputs' maps side by side: each part stays where its
// producer holds it, and a reader of the concatenated map reads each part from its producer at the part's
// channel offset (TransferPlan). The parts share one INT8 step (LayerPlan's shared steps), so their codes
// are already the concatenated map's codes.
#include <cmath>

#include <fmt/format.h>

#include "aimc/compiler/LayerLowering.h"

namespace aimc {

namespace {

// A part must be a map of the same pixels and step, read channel by channel.
void check_part(const LoweringContext& context, const GraphNode& node, const MapInfo& part,
                const MapInfo& first) {
  const std::string& source = context.graph.source;
  if (node.axis != 1)
    throw UserError(
        source, 0, node.name,
        fmt::format("Concat along axis {} is not mapped (only along channels or features, axis 1)",
                    node.axis));
  if (part.flattened && part.pixels() > 1)
    throw UserError(source, 0, node.name,
                    "Concat of flattened maps is not mapped (their features are in the chip's HWC order); "
                    "concatenate the maps before the Flatten");
  if (part.h != first.h || part.w != first.w)
    throw UserError(source, 0, node.name, "Concat inputs have different spatial sizes");
  // Equal but for the rounding of an average pool's rescale register (16 fraction bits, < 1e-4 relative).
  if (std::abs(part.step - first.step) > 1e-4 * first.step)
    throw UserError(
        source, 0, node.name,
        fmt::format("Concat inputs hold INT8 steps {:g} and {:g}: a Clip(0, m) before a Concat fixes "
                    "its input's step at m / 127; clip every input of the Concat alike",
                    first.step, part.step));
}

}  // namespace

void lower_concat(LoweringContext& context, size_t node_index) {
  const GraphNode& node = context.graph.nodes[node_index];
  const MapInfo first = context.map_of(node, node.inputs[0]);
  MapInfo out = first;
  out.layer = kConcatenatedMap;
  out.channels = 0;
  out.parts.clear();
  for (const std::string& input : node.inputs) {
    const MapInfo& in = context.map_of(node, input);
    check_part(context, node, in, first);
    for (MapPart part : in.producers()) {
      part.offset += out.channels;
      out.parts.push_back(part);
    }
    out.channels += in.channels;
  }
  context.plan.maps[node.output] = out;
}

}  // namespace aimc
