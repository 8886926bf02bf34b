#include "aimc/compiler/LayerFusion.h"

namespace aimc {

namespace {

bool relu_like(const GraphNode& n) {
  return n.op == OpKind::kRelu || (n.op == OpKind::kClip && n.clip_min == 0.0f && n.clip_max > 0.0f);
}

bool is_pool(OpKind op) {
  return op == OpKind::kMaxPool || op == OpKind::kAveragePool || op == OpKind::kGlobalAveragePool;
}

double clip_of(const GraphNode& n) {
  return n.op == OpKind::kClip ? n.clip_max : 0.0;
}

// The Add `next` can take the layer's tensor `t` and a residual map the chip already holds, of the same
// shape.
bool fusable_add(const Graph& graph, const GraphNode& next, const std::string& t,
                 const std::map<std::string, MapInfo>& maps) {
  const std::string& other = next.inputs[0] == t ? next.inputs[1] : next.inputs[0];
  auto o = maps.find(other);
  return other != t && o != maps.end() && !o->second.flattened &&
         graph.tensor(other).shape == graph.tensor(t).shape;
}

// An activation takes the place of the last ReLU: on the full sum, where the last piece of the chain applies
// its ReLU (after an Add only when the skip enters the chain at its start, i.e. no ReLU before the Add).
bool fusable_activation(const LayerFusion& f) {
  return f.activation < 0 && !f.relu_pre && !f.relu_post;
}

}  // namespace

void fuse_activation(const Graph& graph, int node, const std::string& input, LayerFusion& fusion) {
  const GraphNode& n = graph.nodes[static_cast<size_t>(node)];
  fusion.activation = node;
  fusion.activation_input = input;
  fusion.activation_spec = n.activation;
  fusion.activation_slope = n.slope;
}

LayerFusion fuse_following(const Graph& graph, size_t node, bool conv, bool depthwise,
                           const std::map<std::string, MapInfo>& maps, std::vector<bool>& absorbed) {
  const std::string& output_tensor = graph.outputs[0];
  auto sole_reader = [&](const std::string& t) {
    const std::vector<int> readers = graph.consumers(t);
    return t == output_tensor || readers.size() != 1 ? -1 : readers[0];
  };
  LayerFusion f;
  std::string t = graph.nodes[node].output;
  for (int k = sole_reader(t); k >= 0 && f.pool < 0; k = sole_reader(t)) {
    const GraphNode& next = graph.nodes[static_cast<size_t>(k)];
    if (depthwise && !relu_like(next) && next.op != OpKind::kActivation) break;
    if (f.activation >= 0 && !(is_pool(next.op) && conv)) break;  // only a pooling follows an activation
    if (next.op == OpKind::kActivation && fusable_activation(f)) {
      fuse_activation(graph, k, t, f);
    } else if (relu_like(next) && f.add < 0 && !f.relu_pre) {
      f.relu_pre = true;
      f.clip_pre = clip_of(next);
    } else if (next.op == OpKind::kAdd && f.add < 0 && f.clip_pre == 0.0 && next.inputs.size() == 2) {
      if (!fusable_add(graph, next, t, maps)) break;
      f.add = k;
      f.skip = next.inputs[0] == t ? next.inputs[1] : next.inputs[0];
      f.add_input = t;
      f.add_output = next.output;
    } else if (relu_like(next) && f.add >= 0 && !f.relu_post) {
      f.relu_post = true;
      f.clip_post = clip_of(next);
    } else if (is_pool(next.op) && conv) {
      f.pool = k;
      absorbed[static_cast<size_t>(k)] = true;
      break;
    } else {
      break;
    }
    absorbed[static_cast<size_t>(k)] = true;
    t = next.output;
  }
  f.last = t;
  return f;
}

std::string describe_activation(const Graph& graph, const LayerFusion& fusion) {
  const GraphNode& node = graph.nodes[static_cast<size_t>(fusion.activation)];
  return node.activation.describe() + " (activation stage)";
}

}  // namespace aimc
