#!/usr/bin/python3
"""Generate the small ONNX graphs the mapping tests (tests/unit/mapping) run on the chip.

Each map_<case>.onnx is a few Conv/Gemm layers with fused operators (ReLU, residual Add, pooling, Flatten), with
seeded weights scaled 1/sqrt(fan-in) so activations stay O(1), and map_<case>_x.npy holds 8 seeded inputs. The
expected outputs are not stored: the tests compare the chip with aimcsim's float ReferenceExecutor (itself
checked against PyTorch in tests/unit/frontend). bad_map_*.onnx are valid ONNX that the mapper must refuse.
Run from the repository root: /usr/bin/python3 tests/data/onnx/make_mapping_cases.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(4321)
BATCH = 8


def weight(*shape):
    fan_in = int(np.prod(shape[1:]))
    return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)


class Net:
    def __init__(self):
        self.nodes, self.inits, self.count = [], {}, 0

    def conv(self, x, cin, cout, k, name, stride=1, pad=0, dilation=1):
        w, b = weight(cout, cin, k, k), (0.1 * rng.standard_normal(cout)).astype(np.float32)
        self.inits[name + ".w"], self.inits[name + ".b"] = w, b
        self.nodes.append(helper.make_node("Conv", [x, name + ".w", name + ".b"], [name], name=name,
                                           kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4,
                                           dilations=[dilation, dilation]))
        return name

    def dwconv(self, x, channels, k, name, stride=1, pad=0):
        # Depthwise: group = channels, one k x k filter per channel (weights scaled 1/sqrt(k*k)).
        w, b = weight(channels, 1, k, k), (0.1 * rng.standard_normal(channels)).astype(np.float32)
        self.inits[name + ".w"], self.inits[name + ".b"] = w, b
        self.nodes.append(helper.make_node("Conv", [x, name + ".w", name + ".b"], [name], name=name,
                                           kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4,
                                           group=channels))
        return name

    def gemm(self, x, fin, fout, name):
        self.inits[name + ".w"] = weight(fout, fin)
        self.inits[name + ".b"] = (0.1 * rng.standard_normal(fout)).astype(np.float32)
        self.nodes.append(helper.make_node("Gemm", [x, name + ".w", name + ".b"], [name], name=name, transB=1))
        return name

    def op(self, op_type, inputs, name, **attrs):
        self.nodes.append(helper.make_node(op_type, inputs, [name], name=name, **attrs))
        return name

    def save(self, case, x_shape, y_shape, write_x=True):
        self.nodes[-1].output[0] = "y"
        graph = helper.make_graph(self.nodes, case,
                                  [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N"] + list(x_shape))],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N"] + list(y_shape))],
                                  [numpy_helper.from_array(v, k) for k, v in self.inits.items()])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                                  producer_name="make_mapping_cases.py")
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(HERE, case + ".onnx"))
        if write_x:
            x = rng.standard_normal([BATCH] + list(x_shape)).astype(np.float32)
            np.save(os.path.join(HERE, case + "_x.npy"), x)


def main():
    # Conv with stride 2, padding 2, dilation 2: 9x9 -> 5x5.
    n = Net()
    n.op("Relu", [n.conv("x", 3, 6, 3, "conv", stride=2, pad=2, dilation=2)], "relu")
    n.save("map_conv_s2_pad_dil", [3, 9, 9], [6, 5, 5])
    # Two Convs larger than a small crossbar in both dimensions (im2col 180 x 150, then 1350 x 12).
    n = Net()
    r = n.op("Relu", [n.conv("x", 20, 150, 3, "conv_a", pad=1)], "relu_a")
    n.conv(r, 150, 12, 3, "conv_b", pad=1)
    n.save("map_conv_big", [20, 6, 6], [12, 6, 6])
    # Residual Add before the ReLU (as in the digits CNN).
    n = Net()
    r = n.op("Relu", [n.conv("x", 8, 8, 3, "conv_a", pad=1)], "relu_a")
    a = n.op("Add", [r, n.conv(r, 8, 8, 3, "conv_b", pad=1)], "add")
    n.op("Relu", [a], "relu_out")
    n.save("map_res_before", [8, 6, 6], [8, 6, 6])
    # Residual Add after the ReLU (as in ResNet-9).
    n = Net()
    r = n.op("Relu", [n.conv("x", 8, 8, 3, "conv_a", pad=1)], "relu_a")
    q = n.op("Relu", [n.conv(r, 8, 8, 3, "conv_b", pad=1)], "relu_b")
    n.op("Add", [r, q], "add")
    n.save("map_res_after", [8, 6, 6], [8, 6, 6])
    # MaxPool 3x3, stride 2, padding 1 after a ReLU: 7x7 -> 4x4.
    n = Net()
    r = n.op("Relu", [n.conv("x", 4, 8, 3, "conv", pad=1)], "relu")
    n.op("MaxPool", [r], "pool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    n.save("map_maxpool", [4, 7, 7], [8, 4, 4])
    # AveragePool 2x2 of a signed map (no ReLU): 8x8 -> 4x4.
    n = Net()
    n.op("AveragePool", [n.conv("x", 4, 8, 3, "conv", pad=1)], "pool", kernel_shape=[2, 2], strides=[2, 2])
    n.save("map_avgpool", [4, 8, 8], [8, 4, 4])
    # GlobalAveragePool, Flatten, Gemm.
    n = Net()
    r = n.op("Relu", [n.conv("x", 4, 16, 3, "conv", pad=1)], "relu")
    f = n.op("Flatten", [n.op("GlobalAveragePool", [r], "gap")], "flatten", axis=1)
    n.gemm(f, 16, 10, "fc")
    n.save("map_gap_gemm", [4, 6, 6], [10])
    # MaxPool 2, Flatten (CHW order) and a Gemm over 3x3x6 = 54 features.
    n = Net()
    r = n.op("Relu", [n.conv("x", 4, 6, 3, "conv", pad=1)], "relu")
    f = n.op("Flatten", [n.op("MaxPool", [r], "pool", kernel_shape=[2, 2], strides=[2, 2])], "flatten", axis=1)
    n.gemm(f, 54, 10, "fc")
    n.save("map_flatten_gemm", [4, 6, 6], [10])
    # One map read by the three output slices of a Conv on small crossbars: a multicast.
    n = Net()
    r = n.op("Relu", [n.conv("x", 4, 16, 3, "conv_a", pad=1)], "relu_a")
    n.op("Relu", [n.conv(r, 16, 48, 1, "conv_b")], "relu_b")
    n.save("map_multicast", [4, 6, 6], [48, 6, 6])
    # Clip(0, 2) as the layer's activation (ReLU6-style): the output step saturates INT8 at 2 (about 60 % of the
    # largest pre-activation: a much smaller m would leave the ADC's resolution coarser than the output step).
    n = Net()
    n.inits["clip_min"], n.inits["clip_max"] = np.array(0.0, np.float32), np.array(2.0, np.float32)
    n.op("Clip", [n.conv("x", 4, 8, 3, "conv", pad=1), "clip_min", "clip_max"], "clip")
    n.save("map_clip", [4, 6, 6], [8, 6, 6])
    # Refused: an Add of the network input with itself; a pool on the network input.
    n = Net()
    n.conv(n.op("Add", ["x", "x"], "add_twice"), 2, 4, 3, "conv", pad=1)
    n.save("bad_map_add", [2, 5, 5], [4, 5, 5], write_x=False)
    n = Net()
    n.conv(n.op("MaxPool", ["x"], "pool_input", kernel_shape=[2, 2], strides=[2, 2]), 2, 4, 3, "conv", pad=1)
    n.save("bad_map_pool", [2, 6, 6], [4, 3, 3], write_x=False)
    # Depthwise convs on the digital units (added after the cases above, so that their seeded draws stay the
    # same): stride 1 with padding 1, and stride 2 with padding 1 (9x9 -> 5x5), each the whole network.
    n = Net()
    n.dwconv("x", 8, 3, "dw", pad=1)
    n.save("map_dw_s1", [8, 6, 6], [8, 6, 6])
    n = Net()
    n.dwconv("x", 8, 3, "dw", stride=2, pad=1)
    n.save("map_dw_s2", [8, 9, 9], [8, 5, 5])
    # A MobileNet-style block: stem Conv + ReLU, depthwise 3x3 + ReLU, pointwise 1x1 + ReLU (20 channels, so
    # that 16-row crossbars split the depthwise layer into two pieces).
    n = Net()
    r = n.op("Relu", [n.conv("x", 3, 20, 3, "stem", pad=1)], "stem_relu")
    r = n.op("Relu", [n.dwconv(r, 20, 3, "dw", pad=1)], "dw_relu")
    n.op("Relu", [n.conv(r, 20, 12, 1, "pw")], "pw_relu")
    n.save("map_dw_block", [3, 8, 8], [12, 8, 8])


if __name__ == "__main__":
    main()
