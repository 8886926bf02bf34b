#!/usr/bin/python3
"""Malformed LSTM/GRU models for the importer's error paths (RecurrentImportTest.cpp): each is
models/pytorch/lstm_bf1_last.onnx (or gru_bf1_last.onnx) with one thing changed. The LSTM node is
'/rnn/LSTM' (the GRU '/rnn/GRU'), its weights W 'onnx::LSTM_*'.

Run from the repository root after models/pytorch/export_rnn.py:
    /usr/bin/python3 tests/unit/frontend/recurrent/make_recurrent_errors.py
"""
import os

import onnx
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "..", "..", "..", "..", "models", "pytorch")


def load(name):
    return onnx.load(os.path.join(MODELS, name + ".onnx"))


def rnn_node(model):
    return next(n for n in model.graph.node if n.op_type in ("LSTM", "GRU"))


def set_attr(node, name, value):
    for a in list(node.attribute):
        if a.name == name:
            node.attribute.remove(a)
    node.attribute.append(helper.make_attribute(name, value))


def initializer(model, name):
    return next(t for t in model.graph.initializer if t.name == name)


def shrink_initializer(model, name, axis):
    t = initializer(model, name)
    array = numpy_helper.to_array(t)
    array = array.take(range(array.shape[axis] - 1), axis=axis)
    t.CopyFrom(numpy_helper.from_array(array, name))


def main():
    cases = {}
    m = load("lstm_bf1_last"); set_attr(rnn_node(m), "hidden_size", 7); cases["lstm_hidden_mismatch"] = m
    m = load("lstm_bf1_last"); set_attr(rnn_node(m), "hidden_size", 0); cases["lstm_hidden_zero"] = m
    m = load("lstm_bf1_last"); set_attr(rnn_node(m), "direction", "reverse"); cases["lstm_reverse"] = m
    m = load("lstm_bf1_last"); set_attr(rnn_node(m), "clip", 3.0); cases["lstm_clip"] = m
    m = load("lstm_bf1_last")
    set_attr(rnn_node(m), "activations", ["Sigmoid", "Relu", "Tanh"]); cases["lstm_relu_activation"] = m
    m = load("lstm_bf1_last"); set_attr(rnn_node(m), "hidden_size", 8.0); cases["lstm_hidden_float"] = m
    m = load("lstm_bf1_last"); shrink_initializer(m, rnn_node(m).input[1], 2); cases["lstm_w_shape"] = m
    m = load("lstm_bf1_last"); shrink_initializer(m, rnn_node(m).input[2], 1); cases["lstm_r_shape"] = m
    m = load("lstm_bf1_last"); shrink_initializer(m, rnn_node(m).input[3], 1); cases["lstm_b_shape"] = m
    m = load("gru_bf1_last"); set_attr(rnn_node(m), "input_forget", 1); cases["gru_input_forget"] = m
    for name, model in cases.items():
        onnx.save(model, os.path.join(HERE, name + ".onnx"))


if __name__ == "__main__":
    main()
