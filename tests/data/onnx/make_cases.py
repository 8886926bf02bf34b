#!/usr/bin/python3
"""Generate the tiny ONNX models and expected outputs used by tests/unit/frontend.

Every operator case is a small ONNX graph built with onnx.helper and seeded random weights; its expected output
comes from PyTorch's functional ops (an implementation independent of aimcsim's ReferenceExecutor), saved as
<case>_x.npy (input) and <case>_y.npy (output), float32. Bad-model cases (bad_*.onnx) are malformed on purpose.
Run from the repository root: /usr/bin/python3 tests/data/onnx/make_cases.py
"""
import os

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(1234)
BATCH = 3


def rand(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def t(a):
    return torch.from_numpy(np.ascontiguousarray(a)).double()


def save_model(name, nodes, x_shape, y_shape, initializers, opset=13, check=True, extra_inputs=()):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N"] + list(x_shape))] + list(extra_inputs),
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N"] + list(y_shape))],
        [numpy_helper.from_array(v, k) for k, v in initializers.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="make_cases.py")
    if check:
        onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name + ".onnx"))


def case(name, nodes, x, y_fn, initializers, opset=13):
    y = y_fn(t(x)).float().numpy()
    save_model(name, nodes, x.shape[1:], y.shape[1:], initializers, opset)
    np.save(os.path.join(HERE, name + "_x.npy"), x.astype(np.float32))
    np.save(os.path.join(HERE, name + "_y.npy"), y.astype(np.float32))


def main():
    # Gemm with transB, alpha, beta and a [out] bias.
    w, c = rand(5, 7), rand(5)
    case("op_gemm_transb",
         [helper.make_node("Gemm", ["x", "w", "c"], ["y"], name="gemm", alpha=0.5, beta=2.0, transB=1)],
         rand(BATCH, 7), lambda x: 0.5 * x @ t(w).T + 2.0 * t(c), {"w": w, "c": c})
    # Gemm without transB, [1, out] bias.
    w, c = rand(6, 4), rand(1, 4)
    case("op_gemm_plain", [helper.make_node("Gemm", ["x", "w", "c"], ["y"], name="gemm")],
         rand(BATCH, 6), lambda x: x @ t(w) + t(c), {"w": w, "c": c})
    # MatMul + Add folded into one Gemm.
    w, b = rand(6, 5), rand(5)
    case("op_matmul_add",
         [helper.make_node("MatMul", ["x", "w"], ["h"], name="matmul"),
          helper.make_node("Add", ["h", "b"], ["y"], name="bias_add")],
         rand(BATCH, 6), lambda x: x @ t(w) + t(b), {"w": w, "b": b})
    # Conv: stride 2, asymmetric pads (top, left, bottom, right), dilation, bias.
    w, b = rand(4, 3, 3, 3), rand(4)
    case("op_conv_stride_pad_dilation",
         [helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv", strides=[2, 1], pads=[1, 0, 2, 1],
                           dilations=[2, 1], kernel_shape=[3, 3])],
         rand(BATCH, 3, 9, 8),
         lambda x: F.conv2d(F.pad(x, (0, 1, 1, 2)), t(w), t(b), stride=(2, 1), dilation=(2, 1)),
         {"w": w, "b": b})
    # Grouped Conv without bias.
    w = rand(6, 2, 3, 3)
    case("op_conv_group",
         [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", group=2, pads=[1, 1, 1, 1])],
         rand(BATCH, 4, 5, 5), lambda x: F.conv2d(x, t(w), None, padding=1, groups=2), {"w": w})
    # Conv with auto_pad SAME_UPPER, stride 2 on an even size: the extra pad cell goes at the end.
    w = rand(2, 1, 3, 3)
    case("op_conv_same_upper",
         [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", auto_pad="SAME_UPPER", strides=[2, 2])],
         rand(BATCH, 1, 6, 6), lambda x: F.conv2d(F.pad(x, (0, 1, 0, 1)), t(w), None, stride=2), {"w": w})
    case("op_relu", [helper.make_node("Relu", ["x"], ["y"], name="relu")], rand(BATCH, 10), torch.relu, {})
    case("op_clip",
         [helper.make_node("Clip", ["x", "lo", "hi"], ["y"], name="clip")], rand(BATCH, 10),
         lambda x: torch.clamp(x, -0.5, 0.75), {"lo": np.array(-0.5, np.float32), "hi": np.array(0.75, np.float32)})
    # Conv followed by BatchNormalization: folded into the Conv.
    w, b = rand(3, 2, 3, 3), rand(3)
    gamma, beta, mean, var = rand(3), rand(3), rand(3), np.abs(rand(3)) + 0.5
    case("op_conv_bn",
         [helper.make_node("Conv", ["x", "w", "b"], ["h"], name="conv", pads=[1, 1, 1, 1]),
          helper.make_node("BatchNormalization", ["h", "g", "be", "m", "v"], ["y"], name="bn", epsilon=1e-3)],
         rand(BATCH, 2, 4, 4),
         lambda x: F.batch_norm(F.conv2d(x, t(w), t(b), padding=1), t(mean), t(var), t(gamma), t(beta), False, 0.0,
                                1e-3),
         {"w": w, "b": b, "g": gamma, "be": beta, "m": mean, "v": var})
    # BatchNormalization after a Relu: kept as a per-channel affine.
    gamma, beta, mean, var = rand(3), rand(3), rand(3), np.abs(rand(3)) + 0.5
    case("op_bn_affine",
         [helper.make_node("Relu", ["x"], ["h"], name="relu"),
          helper.make_node("BatchNormalization", ["h", "g", "be", "m", "v"], ["y"], name="bn")],
         rand(BATCH, 3, 2, 2),
         lambda x: F.batch_norm(torch.relu(x), t(mean), t(var), t(gamma), t(beta), False, 0.0, 1e-5),
         {"g": gamma, "be": beta, "m": mean, "v": var})
    # Residual Add of two activations.
    case("op_add",
         [helper.make_node("Relu", ["x"], ["a"], name="relu"),
          helper.make_node("Clip", ["x", "lo"], ["c"], name="clip"),
          helper.make_node("Add", ["a", "c"], ["y"], name="add")],
         rand(BATCH, 2, 3, 3), lambda x: torch.relu(x) + torch.clamp(x, min=-0.25),
         {"lo": np.array(-0.25, np.float32)})
    case("op_maxpool",
         [helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[3, 3], strides=[2, 2],
                           pads=[1, 1, 1, 1], ceil_mode=1)],
         rand(BATCH, 2, 6, 7), lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True), {})
    case("op_avgpool",
         [helper.make_node("AveragePool", ["x"], ["y"], name="pool", kernel_shape=[3, 3], strides=[2, 2],
                           pads=[1, 1, 1, 1])],
         rand(BATCH, 2, 6, 7), lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False), {})
    case("op_avgpool_include_pad_ceil",
         [helper.make_node("AveragePool", ["x"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2, 2],
                           pads=[1, 1, 1, 1], count_include_pad=1, ceil_mode=1)],
         rand(BATCH, 2, 5, 6), lambda x: F.avg_pool2d(x, 2, 2, 1, ceil_mode=True, count_include_pad=True), {})
    case("op_global_avgpool", [helper.make_node("GlobalAveragePool", ["x"], ["y"], name="gap")],
         rand(BATCH, 4, 3, 5), lambda x: x.mean(dim=(2, 3), keepdim=True), {})
    w = rand(5, 24)
    case("op_flatten_gemm",
         [helper.make_node("Flatten", ["x"], ["f"], name="flatten", axis=1),
          helper.make_node("Gemm", ["f", "w"], ["y"], name="gemm", transB=1)],
         rand(BATCH, 2, 3, 4), lambda x: x.reshape(x.shape[0], -1) @ t(w).T, {"w": w})
    case("op_reshape",
         [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")],
         rand(BATCH, 2, 3, 4), lambda x: x.reshape(x.shape[0], -1, 4), {"shape": np.array([0, -1, 4], np.int64)})
    case("op_softmax", [helper.make_node("Softmax", ["x"], ["y"], name="softmax")], 3 * rand(BATCH, 10),
         lambda x: torch.softmax(x, dim=-1), {})
    case("op_softmax_axis1", [helper.make_node("Softmax", ["x"], ["y"], name="softmax", axis=1)],
         3 * rand(BATCH, 3, 4), lambda x: torch.softmax(x, dim=1), {})
    case("op_identity_dropout",
         [helper.make_node("Identity", ["x"], ["i"], name="identity"),
          helper.make_node("Dropout", ["i"], ["d"], name="dropout"),
          helper.make_node("Relu", ["d"], ["y"], name="relu")],
         rand(BATCH, 6), torch.relu, {})
    # Opset 9: Clip bounds are attributes.
    case("op_clip_opset9", [helper.make_node("Clip", ["x"], ["y"], name="clip", min=-0.1, max=0.2)],
         rand(BATCH, 8), lambda x: torch.clamp(x, -0.1, 0.2), {}, opset=9)

    # ---- malformed models ------------------------------------------------------------------------------
    w = rand(4, 8)
    save_model("bad_unsupported_op",
               [helper.make_node("Gemm", ["x", "w"], ["h"], name="fc", transB=1),
                helper.make_node("Sigmoid", ["h"], ["y"], name="act")], [8], [4], {"w": w})
    save_model("bad_missing_initializer",
               [helper.make_node("Gemm", ["x", "w"], ["y"], name="fc", transB=1)], [8], [4], {},
               extra_inputs=[helper.make_tensor_value_info("w", TensorProto.FLOAT, [4, 8])])
    save_model("bad_wrong_shapes",
               [helper.make_node("Gemm", ["x", "w"], ["y"], name="fc", transB=1)], [9], [4], {"w": w}, check=False)
    save_model("bad_add_shapes",
               [helper.make_node("Gemm", ["x", "w"], ["h"], name="fc", transB=1),
                helper.make_node("Add", ["h", "x"], ["y"], name="residual")], [8], [4], {"w": w}, check=False)
    save_model("bad_unknown_input",
               [helper.make_node("Gemm", ["x", "w"], ["h"], name="fc", transB=1),
                helper.make_node("Add", ["h", "ghost"], ["y"], name="add")], [8], [4], {"w": w}, check=False)
    save_model("bad_cycle",
               [helper.make_node("Relu", ["x"], ["a"], name="relu0"),
                helper.make_node("Add", ["a", "c"], ["b"], name="add_b"),
                helper.make_node("Relu", ["b"], ["c"], name="relu_c"),
                helper.make_node("Relu", ["c"], ["y"], name="relu_y")], [8], [8], {}, check=False)
    save_model("bad_storage_order",
               [helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2], storage_order=1)],
               [1, 4, 4], [1, 3, 3], {})
    save_model("bad_output_shape", [helper.make_node("Gemm", ["x", "w"], ["y"], name="fc", transB=1)], [8], [5],
               {"w": w}, check=False)
    print("wrote cases to", HERE)


if __name__ == "__main__":
    main()
