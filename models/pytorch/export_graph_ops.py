#!/usr/bin/python3
"""Small networks written with standard torch.nn modules, one per graph operator of issue 15 (activations,
torch.cat, x + y of two maps, x * y, log_softmax, an int64 token input with nn.Embedding, nn.Linear on [N, T, D]), trained briefly
and exported with torch.onnx.export defaults (opset 13, or 14 where named), to test aimcsim's importer and
float reference against PyTorch (tests/unit/frontend/GraphOpsExportTest.cpp).

Data: scikit-learn's bundled 8x8 digits (sklearn.datasets.load_digits), pixel/16 in [0, 1], split with
train_test_split(test_size=0.25, stratify=labels, random_state=SEED); the token net learns a synthetic task
(which quarter of the vocabulary is most frequent in a sequence of 8 tokens).

Outputs, per network NAME (relative to the repository root):
  models/pytorch/NAME.onnx          the exported network
  models/pytorch/NAME_x.npy         the first 128 test inputs (float32, or int64 token ids)
  models/pytorch/NAME_logits.npy    torch's outputs for them (float32)
  models/pytorch/graph_ops_metrics.json   float test accuracy per network

Deterministic: fixed seeds, torch.use_deterministic_algorithms(True), one thread, full-batch training.
Run with Debian's interpreter from the repository root: /usr/bin/python3 models/pytorch/export_graph_ops.py
[NAME ...] (only the networks named, keeping the others' files).
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 20261207
EPOCHS = 150
LEARNING_RATE = 1e-2
SAMPLES = 128  # inputs per network written next to it
OUT = os.path.dirname(os.path.abspath(__file__))


class Mlp(nn.Module):
    """Linear 64-32, the activation, Linear 32-10."""

    def __init__(self, act):
        super().__init__()
        self.fc1, self.act, self.fc2 = nn.Linear(64, 32), act, nn.Linear(32, 10)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class ConvAct(nn.Module):
    """Conv 1-4 3x3, the activation (per channel for PReLU), Flatten, Linear 256-10."""

    def __init__(self, act):
        super().__init__()
        self.conv, self.act, self.fc = nn.Conv2d(1, 4, 3, padding=1), act, nn.Linear(256, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.act(self.conv(x)), 1))


class FourierFeatures(nn.Module):
    """Linear 64-16, [cos, sin] concatenated along the features, Linear 32-10."""

    def __init__(self):
        super().__init__()
        self.proj, self.fc = nn.Linear(64, 16), nn.Linear(32, 10)

    def forward(self, x):
        h = self.proj(x)
        return self.fc(torch.cat([torch.cos(h), torch.sin(h)], dim=1))


class DenseConcat(nn.Module):
    """DenseNet-style: a stem conv, two conv branches concatenated along the channels, Flatten, Linear."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, padding=1)
        self.a = nn.Conv2d(4, 4, 3, padding=1)
        self.b = nn.Conv2d(4, 2, 1)
        self.fc = nn.Linear(6 * 64, 10)

    def forward(self, x):
        s = torch.relu(self.stem(x))
        y = torch.cat([torch.relu(self.a(s)), torch.relu(self.b(s))], dim=1)
        return self.fc(torch.flatten(y, 1))


class Gated(nn.Module):
    """x * y gating: Linear(x) times sigmoid(Linear(x)) of another Linear, then Linear 32-10."""

    def __init__(self):
        super().__init__()
        self.value, self.gate, self.fc = nn.Linear(64, 32), nn.Linear(64, 32), nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(torch.tanh(self.value(x)) * torch.sigmoid(self.gate(x)))


class AddPooledBranches(nn.Module):
    """Two conv branches, max- and average-pooled, added (x + y after the pools), ReLU, Flatten, Linear."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, padding=1)
        self.a = nn.Conv2d(4, 4, 3, padding=1)
        self.b = nn.Conv2d(4, 4, 1)
        self.fc = nn.Linear(4 * 16, 10)

    def forward(self, x):
        s = torch.relu(self.stem(x))
        y = F.max_pool2d(torch.relu(self.a(s)), 2) + F.avg_pool2d(self.b(s), 2)
        return self.fc(torch.flatten(torch.relu(y), 1))


class AddOfConcats(nn.Module):
    """Two concatenations of Linear branches, added: x + y of two maps made of parts."""

    def __init__(self):
        super().__init__()
        self.a, self.b, self.c, self.d = (nn.Linear(64, 16) for _ in range(4))
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        u = torch.cat([torch.relu(self.a(x)), torch.relu(self.b(x))], dim=1)
        v = torch.cat([torch.tanh(self.c(x)), torch.tanh(self.d(x))], dim=1)
        return self.fc(u + v)


class AddSharedInputs(nn.Module):
    """u + v where u and v are also read by a torch.cat: neither Linear can take the Add."""

    def __init__(self):
        super().__init__()
        self.u, self.v = nn.Linear(64, 24), nn.Linear(64, 24)
        self.fc = nn.Linear(72, 10)

    def forward(self, x):
        u, v = torch.relu(self.u(x)), torch.relu(self.v(x))
        return self.fc(torch.cat([u + v, u, v], dim=1))


class LogSoftmaxHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = Mlp(nn.ReLU())

    def forward(self, x):
        return F.log_softmax(self.mlp(x), dim=1)


class SequenceLinear(nn.Module):
    """The 8 image rows as a sequence [N, 8, 8]: nn.Linear 8-16 on each row, ReLU, Flatten, Linear 128-10."""

    def __init__(self):
        super().__init__()
        self.row, self.fc = nn.Linear(8, 16), nn.Linear(128, 10)

    def forward(self, x):
        return self.fc(torch.flatten(torch.relu(self.row(x)), 1))


class TokenNet(nn.Module):
    """int64 tokens [N, 8]: nn.Embedding(16, 8), nn.Linear 8-8 on each position, ReLU, Flatten, Linear 64-4."""

    def __init__(self):
        super().__init__()
        self.embed, self.mix, self.fc = nn.Embedding(16, 8), nn.Linear(8, 8), nn.Linear(64, 4)

    def forward(self, tokens):
        return self.fc(torch.flatten(torch.relu(self.mix(self.embed(tokens))), 1))


def digits(layout):
    data = load_digits()
    x = (data.images / 16.0).astype(np.float32)
    x_tr, x_te, y_tr, y_te = train_test_split(x, data.target, test_size=0.25, stratify=data.target,
                                              random_state=SEED)
    shape = {"flat": (-1, 64), "nchw": (-1, 1, 8, 8), "rows": (-1, 8, 8)}[layout]
    return (x_tr.reshape(shape), y_tr.astype(np.int64), x_te.reshape(shape), y_te.astype(np.int64))


def tokens():
    rng = np.random.default_rng(SEED)
    x = rng.integers(0, 16, size=(1600, 8), dtype=np.int64)
    y = np.array([np.bincount(row // 4, minlength=4).argmax() for row in x], dtype=np.int64)
    return x[:1200], y[:1200], x[1200:], y[1200:]


# name -> (module factory, data, opset)
NETWORKS = {
    "act_sigmoid": (lambda: Mlp(nn.Sigmoid()), "flat", 13),
    "act_tanh": (lambda: Mlp(nn.Tanh()), "flat", 13),
    "act_gelu": (lambda: Mlp(nn.GELU()), "flat", 14),
    "act_gelu_tanh": (lambda: Mlp(nn.GELU(approximate="tanh")), "flat", 14),
    "act_silu": (lambda: Mlp(nn.SiLU()), "flat", 13),
    "act_leaky_relu": (lambda: Mlp(nn.LeakyReLU(0.1)), "flat", 13),
    "act_prelu": (lambda: ConvAct(nn.PReLU(4)), "nchw", 13),
    "act_elu": (lambda: Mlp(nn.ELU()), "flat", 13),
    "act_hardsigmoid": (lambda: Mlp(nn.Hardsigmoid()), "flat", 13),
    "act_hardswish": (lambda: Mlp(nn.Hardswish()), "flat", 14),
    "act_hardswish_opset13": (lambda: ConvAct(nn.Hardswish()), "nchw", 13),
    "act_hardtanh": (lambda: Mlp(nn.Hardtanh(-1.0, 1.0)), "flat", 13),
    "cat_cos_sin": (FourierFeatures, "flat", 13),
    "cat_dense_conv": (DenseConcat, "nchw", 13),
    "mul_gating": (Gated, "flat", 13),
    "add_pooled_branches": (AddPooledBranches, "nchw", 13),
    "add_of_concats": (AddOfConcats, "flat", 13),
    "add_shared_inputs": (AddSharedInputs, "flat", 13),
    "log_softmax_head": (LogSoftmaxHead, "flat", 13),
    "seq_linear": (SequenceLinear, "rows", 13),
    "token_embedding": (TokenNet, "tokens", 13),
}


def train(model, x, y):
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)
    for _ in range(EPOCHS):
        optimizer.zero_grad()
        out = model(xs)
        loss = F.nll_loss(out, ys) if isinstance(model, LogSoftmaxHead) else F.cross_entropy(out, ys)
        loss.backward()
        optimizer.step()


def main():
    """Exports every network, or only those named on the command line (the others' files stay as they are)."""
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    only = set(sys.argv[1:])
    unknown = only - set(NETWORKS)
    if unknown:
        sys.exit(f"export_graph_ops.py: unknown network(s) {sorted(unknown)}; known: {sorted(NETWORKS)}")
    metrics_file = os.path.join(OUT, "graph_ops_metrics.json")
    metrics = {}
    if only and os.path.exists(metrics_file):
        with open(metrics_file) as f:
            metrics = json.load(f)
    for name, (factory, layout, opset) in NETWORKS.items():
        if only and name not in only:
            continue
        torch.manual_seed(SEED)
        x_tr, y_tr, x_te, y_te = tokens() if layout == "tokens" else digits(layout)
        model = factory()
        train(model, x_tr, y_tr)
        model.eval()
        with torch.no_grad():
            accuracy = float((model(torch.from_numpy(x_te)).argmax(1).numpy() == y_te).mean())
            x = x_te[:SAMPLES]
            logits = model(torch.from_numpy(x)).numpy().astype(np.float32)
        torch.onnx.export(model, torch.from_numpy(x[:1]), os.path.join(OUT, name + ".onnx"),
                          input_names=["x"], output_names=["logits"], opset_version=opset)
        np.save(os.path.join(OUT, name + "_x.npy"), x)
        np.save(os.path.join(OUT, name + "_logits.npy"), logits)
        metrics[name] = {"test_accuracy": round(accuracy, 4), "opset": opset}
        print(f"{name:24s} opset {opset}  test accuracy {accuracy:.3f}")
    with open(metrics_file, "w") as f:
        json.dump(metrics, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
