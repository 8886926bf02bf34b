#!/usr/bin/python3
"""Generate the malformed ONNX models of issue 21 (tests/unit/frontend/OnnxMalformedTest.cpp): each must be
refused with a UserError naming the file, the node or tensor and the reason, never crash.
Run from the repository root: /usr/bin/python3 tests/data/onnx/make_malformed.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, nodes, inputs, outputs, initializers):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make_malformed.py")
    onnx.save(model, os.path.join(HERE, name + ".onnx"))


def vi(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def main():
    rng = np.random.default_rng(21)
    w = rng.standard_normal((5, 8)).astype(np.float32)
    gemm = [helper.make_node("Gemm", ["x", "w"], ["y"], name="fc", transB=1)]
    # A graph that declares no output.
    save("bad_no_output", gemm, [vi("x", ["N", 8])], [], [numpy_helper.from_array(w, "w")])
    # A Gemm with 0 outputs: its weight has an empty dimension.
    save("bad_gemm_zero_out", gemm, [vi("x", ["N", 8])], [vi("y", ["N", 0])],
         [numpy_helper.from_array(np.zeros((0, 8), np.float32), "w")])
    # A graph output declared with an empty dimension.
    save("bad_output_zero_dim", gemm, [vi("x", ["N", 8])], [vi("y", ["N", 0])], [numpy_helper.from_array(w, "w")])
    # An input of 2^62 x 4 values per sample (the product overflows int64).
    save("bad_input_huge_dims", gemm, [vi("x", ["N", 2 ** 62, 4])], [vi("y", ["N", 5])],
         [numpy_helper.from_array(w, "w")])
    # An initializer of 2^62 x 4 elements declared without data.
    huge = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2 ** 62, 4])
    save("bad_initializer_huge_dims", gemm, [vi("x", ["N", 8])], [vi("y", ["N", 5])], [huge])
    print("wrote malformed models to", HERE)


if __name__ == "__main__":
    main()
