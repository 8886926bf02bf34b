"""Small PyTorch networks, one per import idiom, trained briefly on sklearn's 8x8 digits and exported with
torch.onnx.export defaults: the real exports the importer's normalisation passes are tested on
(tests/unit/frontend/TorchIdiomsTest.cpp).

Run with Debian's Python: /usr/bin/python3 models/pytorch/export_import_idioms.py
Writes models/pytorch/<name>.onnx, <name>_x.npy (float32 test inputs) and <name>_logits.npy (torch's output).
"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

HERE = os.path.dirname(os.path.abspath(__file__))
N_TEST = 200  # test inputs per network (64-200 asked; < 60 KB per file)
EPOCHS = 60   # a few seconds of CPU per network; > 90 % test accuracy on digits, so argmax margins are real


class AvgPoolDefault(nn.Module):
    """nn.AvgPool2d with its defaults (torch emits an all-zero Pad before it) and x.contiguous().view(x.size(0), -1)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.pool = nn.AvgPool2d(2)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv(x)))
        return self.fc(x.contiguous().view(x.size(0), -1))


class ScaleAfterLayer(nn.Module):
    """x * 0.5 and x / 2 after a layer, torch.flatten(x, 1)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.fc1 = nn.Linear(8 * 8 * 8, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.conv(x) * 0.5)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x) / 2)
        return self.fc2(x)


class Conv1dNet(nn.Module):
    """nn.Conv1d / BatchNorm1d / MaxPool1d / AvgPool1d on [N, 4, 16] (the digit's rows as 4 channels)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(4, 8, 3, padding=1)
        self.bn = nn.BatchNorm1d(8)
        self.pool1 = nn.MaxPool1d(2)
        self.conv2 = nn.Conv1d(8, 8, 3, padding=1)
        self.pool2 = nn.AvgPool1d(2)
        self.fc = nn.Linear(8 * 4, 10)

    def forward(self, x):
        x = self.pool1(F.relu(self.bn(self.conv1(x))))
        x = self.pool2(F.relu(self.conv2(x)))
        return self.fc(x.contiguous().view(x.size(0), -1))


class MeanPool(nn.Module):
    """x.mean((2, 3)) as the global pool."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        return self.fc(x.mean((2, 3)))


class LeNetIdiom(nn.Module):
    """F.relu(F.max_pool2d(conv(x), 2)): the ReLU after the pool."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * 2 * 2, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2(x), 2))
        return self.fc(torch.flatten(x, 1))


class SqueezeAfterAdaptive(nn.Module):
    """x.squeeze(-1).squeeze(-1) after nn.AdaptiveAvgPool2d(1)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv2(F.relu(self.conv1(x)))))
        return self.fc(x.squeeze(-1).squeeze(-1))


class ReshapeDynamicBatch(nn.Module):
    """x.reshape(N, -1) with N = x.shape[0], exported with a dynamic batch axis."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, stride=2, padding=1)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        n = x.shape[0]
        x = F.relu(self.conv(x))
        return self.fc(x.reshape(n, -1))


class ZeroPadConv(nn.Module):
    """nn.ZeroPad2d before an unpadded Conv2d, and nn.AvgPool2d(3, 2, padding=1) (torch exports a Pad of 1
    before an unpadded AveragePool: the zeros count, count_include_pad)."""

    def __init__(self):
        super().__init__()
        self.pad = nn.ZeroPad2d((1, 1, 1, 1))
        self.conv = nn.Conv2d(1, 8, 3)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv(self.pad(x))))
        return self.fc(torch.flatten(x, 1))


# name -> (module class, input layout, export kwargs)
NETWORKS = {
    "avgpool_default": (AvgPoolDefault, "image", {}),
    "scale_after_layer": (ScaleAfterLayer, "image", {}),
    "conv1d": (Conv1dNet, "rows", {}),
    "mean_pool": (MeanPool, "image", {}),
    "lenet_relu_after_pool": (LeNetIdiom, "image", {}),
    "squeeze_adaptive": (SqueezeAfterAdaptive, "image", {}),
    "zero_pad_conv": (ZeroPadConv, "image", {}),
    "reshape_dynamic_batch": (ReshapeDynamicBatch, "image",
                              {"dynamic_axes": {"input": {0: "batch"}, "logits": {0: "batch"}}}),
}


def digits(layout):
    d = load_digits()
    x = (d.images / 16.0).astype(np.float32)  # [n, 8, 8] in [0, 1]
    x = x[:, None, :, :] if layout == "image" else x.reshape(-1, 4, 16)
    return x, d.target.astype(np.int64)


def train(name, cls, layout, export_kwargs):
    torch.manual_seed(0)
    x, y = digits(layout)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x))
    test, train_idx = order[:N_TEST], order[N_TEST:]
    net = cls()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    xt, yt = torch.from_numpy(x[train_idx]), torch.from_numpy(y[train_idx])
    for _ in range(EPOCHS):
        net.train()
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            b = perm[i:i + 64]
            opt.zero_grad()
            F.cross_entropy(net(xt[b]), yt[b]).backward()
            opt.step()
    net.eval()
    x_test = torch.from_numpy(x[test])
    with torch.no_grad():
        logits = net(x_test).numpy().astype(np.float32)
    acc = float((logits.argmax(1) == y[test]).mean())
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(net, x_test[:1], path, input_names=["input"], output_names=["logits"], **export_kwargs)
    np.save(os.path.join(HERE, name + "_x.npy"), x[test])
    np.save(os.path.join(HERE, name + "_logits.npy"), logits)
    print(f"{name}: test accuracy {acc:.3f}, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    torch.set_num_threads(1)
    for name, (cls, layout, kwargs) in NETWORKS.items():
        train(name, cls, layout, kwargs)
