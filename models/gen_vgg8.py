#!/usr/bin/python3
"""Write a VGG8-for-CIFAR-10-shaped ONNX with seeded random weights (NOT trained) for the whole-network benchmark
(tests/bench/bench_network.cpp). The file is about 52 MB, so it is written into the build tree, not committed.

Topology: the VGG8 of the NeuroSim CIFAR-10 benchmarks (Peng et al., "DNN+NeuroSim V2.0", IEEE TCAD 2021;
the network of issue 20's comparison with MNSIM-2.0 and NeuroSim V1.4):

  Conv3x3(3->128)   ReLU  Conv3x3(128->128) ReLU  MaxPool2     [128,16,16]
  Conv3x3(128->256) ReLU  Conv3x3(256->256) ReLU  MaxPool2     [256,8,8]
  Conv3x3(256->512) ReLU  Conv3x3(512->512) ReLU  MaxPool2     [512,4,4]
  Flatten  Gemm(8192->1024) ReLU  Gemm(1024->10)               [10]

Weights (conv + fc): 12,973,440; on 256x256 crossbars 206 tiles (1 + 5 + 5 + 9 + 18 + 36 + 128 + 4).
Weights: Kaiming-normal (He et al. 2015, fan-in, ReLU gain) from numpy's PCG64 with a fixed seed; biases zero.
Run: /usr/bin/python3 models/gen_vgg8.py [OUT.onnx (default build/ci/models/vgg8_cifar10.onnx)]
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEED = 20261208
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONVS = [(3, 128, False), (128, 128, True), (128, 256, False), (256, 256, True), (256, 512, False),
         (512, 512, True)]
FCS = [(8192, 1024, True), (1024, 10, False)]


def kaiming(rng, shape, fan_in):
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)


def build(rng):
    nodes, inits = [], []
    x = "input"
    for i, (cin, cout, pool) in enumerate(CONVS):
        w, b = f"conv{i}.weight", f"conv{i}.bias"
        inits += [numpy_helper.from_array(kaiming(rng, (cout, cin, 3, 3), cin * 9), w),
                  numpy_helper.from_array(np.zeros(cout, np.float32), b)]
        nodes.append(helper.make_node("Conv", [x, w, b], [f"conv{i}"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
        nodes.append(helper.make_node("Relu", [f"conv{i}"], [f"relu{i}"]))
        x = f"relu{i}"
        if pool:
            nodes.append(helper.make_node("MaxPool", [x], [f"pool{i}"], kernel_shape=[2, 2], strides=[2, 2]))
            x = f"pool{i}"
    nodes.append(helper.make_node("Flatten", [x], ["flat"], axis=1))
    x = "flat"
    for i, (fin, fout, relu) in enumerate(FCS):
        w, b = f"fc{i}.weight", f"fc{i}.bias"
        inits += [numpy_helper.from_array(kaiming(rng, (fout, fin), fin), w),
                  numpy_helper.from_array(np.zeros(fout, np.float32), b)]
        out = "logits" if i == len(FCS) - 1 else f"fc{i}"
        nodes.append(helper.make_node("Gemm", [x, w, b], [out], transB=1))
        x = out
        if relu:
            nodes.append(helper.make_node("Relu", [x], [f"fcrelu{i}"]))
            x = f"fcrelu{i}"
    graph = helper.make_graph(nodes, "vgg8_cifar10", [helper.make_tensor_value_info(
        "input", TensorProto.FLOAT, ["batch", 3, 32, 32])], [helper.make_tensor_value_info(
            "logits", TensorProto.FLOAT, ["batch", 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="gen_vgg8.py")
    onnx.checker.check_model(model)
    return model


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "ci", "models", "vgg8_cifar10.onnx")
    model = build(np.random.default_rng(SEED))
    weights = sum(int(np.prod(t.dims)) for t in model.graph.initializer if len(t.dims) > 1)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    onnx.save(model, path)
    print(f"wrote {path}: VGG8 for CIFAR-10, {weights} weights (seed {SEED}, random, not trained)")


if __name__ == "__main__":
    main()
