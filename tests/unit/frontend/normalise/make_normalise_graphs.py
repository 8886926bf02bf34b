"""Small hand-built ONNX graphs for ImportNormaliseTest.cpp: one per normalisation pass and per refusal.
Expected outputs (<name>_y.npy) are computed here with torch from the same weights, independently of the
importer. Run with Debian's Python: /usr/bin/python3 tests/unit/frontend/normalise/make_normalise_graphs.py
"""
import os

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)


def rand(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def save(name, nodes, x_shape, y_shape, inits, x=None, y=None, opset=14, in_type=TensorProto.FLOAT):
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", in_type, ["N"] + list(x_shape[1:]))],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(HERE, name + ".onnx"))
    if x is not None:
        np.save(os.path.join(HERE, name + "_x.npy"), x)
        np.save(os.path.join(HERE, name + "_y.npy"), np.asarray(y, dtype=np.float32))


def t(a):
    return torch.from_numpy(a)


# 1. Pad (asymmetric, spatial) before a Conv without pads: folded into the Conv's pads.
x = rand(2, 2, 5, 5)
w, b = rand(3, 2, 3, 3), rand(3)
pads = [0, 0, 1, 2, 0, 0, 1, 0]  # begin N C H W, end N C H W
y = F.conv2d(F.pad(t(x), (2, 0, 1, 1)), t(w), t(b)).numpy()
save("pad_conv", [helper.make_node("Pad", ["x", "pads"], ["p"], name="pad", mode="constant"),
                  helper.make_node("Conv", ["p", "w", "b"], ["y"], name="conv", kernel_shape=[3, 3])],
     x.shape, y.shape, [const("pads", np.array(pads, np.int64)), const("w", w), const("b", b)], x, y)

# 2. Relu, Pad, AveragePool: the zeros count in the average (count_include_pad, as torch's F.pad + avg_pool2d).
y = F.avg_pool2d(F.pad(F.relu(t(x)), (1, 1, 1, 1)), 3, stride=1).numpy()
save("pad_avgpool", [helper.make_node("Relu", ["x"], ["r"], name="relu"),
                     helper.make_node("Pad", ["r", "pads"], ["p"], name="pad"),
                     helper.make_node("AveragePool", ["p"], ["y"], name="pool", kernel_shape=[3, 3])],
     x.shape, y.shape, [const("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))], x, y)

# 3. Relu, Pad, MaxPool: folds (the input is non-negative).
y = F.max_pool2d(F.pad(F.relu(t(x)), (1, 1, 1, 1)), 2, stride=2).numpy()
save("pad_maxpool", [helper.make_node("Relu", ["x"], ["r"], name="relu"),
                     helper.make_node("Pad", ["r", "pads"], ["p"], name="pad"),
                     helper.make_node("MaxPool", ["p"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2, 2])],
     x.shape, y.shape, [const("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))], x, y)

# Refusals around Pad.
zero_pads = const("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))
save("pad_maxpool_signed", [helper.make_node("Pad", ["x", "pads"], ["p"], name="pad"),
                            helper.make_node("MaxPool", ["p"], ["y"], name="pool", kernel_shape=[2, 2])],
     x.shape, None, [zero_pads])
save("pad_reflect", [helper.make_node("Pad", ["x", "pads"], ["p"], name="pad", mode="reflect"),
                     helper.make_node("Conv", ["p", "w"], ["y"], name="conv", kernel_shape=[3, 3])],
     x.shape, None, [zero_pads, const("w", w)])
save("pad_value", [helper.make_node("Pad", ["x", "pads", "v"], ["p"], name="pad"),
                   helper.make_node("Conv", ["p", "w"], ["y"], name="conv", kernel_shape=[3, 3])],
     x.shape, None, [zero_pads, const("v", np.array(1.5, np.float32)), const("w", w)])
save("pad_channels", [helper.make_node("Pad", ["x", "pads"], ["p"], name="pad"),
                      helper.make_node("Conv", ["p", "w"], ["y"], name="conv", kernel_shape=[3, 3])],
     x.shape, None, [const("pads", np.array([0, 1, 0, 0, 0, 0, 0, 0], np.int64)), const("w", w)])
save("pad_then_relu", [helper.make_node("Pad", ["x", "pads"], ["p"], name="pad"),
                       helper.make_node("Relu", ["p"], ["y"], name="relu")], x.shape, None, [zero_pads])

# 4. Add of two activations, then x * c per channel ([1, C, 1, 1]) read only by an unpadded Conv: folded into
# that Conv (W diag(c)); then 2 - relu(y) (constant first) at the end: kept as a per-channel affine.
c = rand(1, 2, 1, 1)
r = F.relu(t(x))
y = 2.0 - F.relu(F.conv2d((t(x) + r) * t(c), t(w), t(b)))
save("affine_into_reader", [helper.make_node("Relu", ["x"], ["r"], name="relu"),
                            helper.make_node("Add", ["x", "r"], ["s"], name="add"),
                            helper.make_node("Mul", ["s", "c"], ["m"], name="scale"),
                            helper.make_node("Conv", ["m", "w", "b"], ["q"], name="conv", kernel_shape=[3, 3]),
                            helper.make_node("Relu", ["q"], ["rq"], name="relu2"),
                            helper.make_node("Sub", ["two", "rq"], ["y"], name="flip")],
     x.shape, y.shape, [const("c", c), const("w", w), const("b", b), const("two", np.array(2.0, np.float32))],
     x, y.numpy())
save("mul_spatial", [helper.make_node("Mul", ["x", "c"], ["y"], name="mul")], x.shape, None,
     [const("c", rand(1, 1, 5, 5))])
save("div_by_activation", [helper.make_node("Div", ["c", "x"], ["y"], name="div")], x.shape, None,
     [const("c", np.array(2.0, np.float32))])

# 5. Transposes: layout-only ([N, 4, 1, 1] -> [N, 1, 1, 4]) becomes a view; a data transpose is refused.
g = rand(3, 4)
x5 = rand(2, 4, 1, 1)
y = x5.reshape(2, 4) @ g.T
save("transpose_layout", [helper.make_node("Transpose", ["x"], ["tr"], name="tr", perm=[0, 2, 3, 1]),
                          helper.make_node("Flatten", ["tr"], ["f"], name="flat"),
                          helper.make_node("Gemm", ["f", "g"], ["y"], name="fc", transB=1)],
     x5.shape, y.shape, [const("g", g)], x5, y)
save("transpose_data", [helper.make_node("Transpose", ["x"], ["y"], name="tr", perm=[0, 2, 3, 1])], x.shape, None,
     [])

# 6. Shape arithmetic with Slice, Cast, Concat and ConstantOfShape: Reshape(x, [N, -1]) then a Gemm scaled by a
# ConstantOfShape of 0.5 (folded into the Gemm).
g = rand(3, 50)
y = (x.reshape(2, 50) @ g.T) * 0.5
save("shape_arith", [helper.make_node("Shape", ["x"], ["s"], name="shape"),
                     helper.make_node("Slice", ["s", "zero", "one"], ["n"], name="slice"),
                     helper.make_node("Cast", ["n"], ["n64"], name="cast", to=TensorProto.INT64),
                     helper.make_node("Concat", ["n64", "minus1"], ["target"], name="concat", axis=0),
                     helper.make_node("Reshape", ["x", "target"], ["f"], name="reshape"),
                     helper.make_node("Gemm", ["f", "g"], ["h"], name="fc", transB=1),
                     helper.make_node("ConstantOfShape", ["three"], ["half"], name="cos",
                                      value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.5])),
                     helper.make_node("Mul", ["h", "half"], ["y"], name="mul")],
     x.shape, y.shape, [const("zero", np.array([0], np.int64)), const("one", np.array([1], np.int64)),
                        const("minus1", np.array([-1], np.int64)), const("three", np.array([3], np.int64)),
                        const("g", g)], x, y)
save("batch_not_first", [helper.make_node("Shape", ["x"], ["s"], name="shape"),
                         helper.make_node("Gather", ["s", "zero"], ["n"], name="gather", axis=0),
                         helper.make_node("Unsqueeze", ["n", "zero1"], ["n1"], name="unsq"),
                         helper.make_node("Concat", ["minus1", "n1"], ["target"], name="concat", axis=0),
                         helper.make_node("Reshape", ["x", "target"], ["y"], name="reshape")],
     x.shape, None, [const("zero", np.array(0, np.int64)), const("zero1", np.array([0], np.int64)),
                     const("minus1", np.array([-1], np.int64))])

# 7. ReduceMean over H, W with keepdims 1; over the channels is refused.
y = x.mean(axis=(2, 3), keepdims=True)
save("reduce_mean_keep", [helper.make_node("ReduceMean", ["x"], ["y"], name="mean", axes=[2, 3], keepdims=1)],
     x.shape, y.shape, [], x, y)
save("reduce_mean_channels", [helper.make_node("ReduceMean", ["x"], ["y"], name="mean", axes=[1])], x.shape, None,
     [])

# 8. Element types: a bool constant (Dropout's training_mode) decodes; a float16 input and a float16 constant
# are named in words.
y = np.maximum(x, 0)
save("bool_constant", [helper.make_node("Dropout", ["x", "ratio", "train"], ["d"], name="drop"),
                       helper.make_node("Relu", ["d"], ["y"], name="relu")],
     x.shape, y.shape, [const("ratio", np.array(0.5, np.float32)), const("train", np.array(False))], x, y)
save("float16_input", [helper.make_node("Relu", ["x"], ["y"], name="relu")], x.shape, None, [],
     in_type=TensorProto.FLOAT16)
save("float16_constant", [helper.make_node("Mul", ["x", "h"], ["y"], name="mul")], x.shape, None,
     [const("h", np.array(2.0, np.float16))])

# 9. 1-D layers on a rank-3 tensor made inside the graph (a Reshape view lifts it to [N, C, 1, L]): Conv1d with
# pads, MaxPool1d, and ReduceMean over the last axis with keepdims 0.
x9 = rand(2, 2, 3, 4)
w9, b9 = rand(3, 2, 3), rand(3)
y = F.max_pool1d(F.conv1d(t(x9).reshape(2, 2, 12), t(w9), t(b9), padding=1), 2).mean(-1).numpy()
save("conv1d_inner", [helper.make_node("Reshape", ["x", "shape"], ["r"], name="reshape"),
                      helper.make_node("Conv", ["r", "w", "b"], ["c"], name="conv", kernel_shape=[3], pads=[1, 1]),
                      helper.make_node("MaxPool", ["c"], ["p"], name="pool", kernel_shape=[2], strides=[2]),
                      helper.make_node("ReduceMean", ["p"], ["y"], name="mean", axes=[-1], keepdims=0)],
     x9.shape, y.shape, [const("shape", np.array([0, 2, 12], np.int64)), const("w", w9), const("b", b9)], x9, y)
