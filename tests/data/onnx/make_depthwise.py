#!/usr/bin/python3
"""Write op_conv_depthwise_hand.onnx: a depthwise Conv (group = channels = 2) with small integer-friendly
weights whose outputs tests/unit/frontend/MobileNetTest.cpp checks against values worked out by hand.
Run from the repository root: /usr/bin/python3 tests/data/onnx/make_depthwise.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    w = np.array([[[[1.0, 0.0], [0.0, -1.0]]], [[[0.5, 0.5], [0.5, 0.5]]]], dtype=np.float32)  # [2, 1, 2, 2]
    b = np.array([0.5, -1.0], dtype=np.float32)
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"], name="dw", group=2, kernel_shape=[2, 2])
    graph = helper.make_graph([node], "depthwise_hand",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2, 3, 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2, 2, 2])],
                              [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make_depthwise.py")
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, "op_conv_depthwise_hand.onnx"))


if __name__ == "__main__":
    main()
