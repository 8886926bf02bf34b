#!/usr/bin/python3
"""Networks with a BatchNormalization on its own (not after a Conv/Linear, so not foldable), written with
standard torch.nn modules and exported with torch.onnx.export defaults, as users export them:

  preact_cnn.onnx  BatchNorm2d on the input, Conv-ReLU, then a pre-activation block (BatchNorm2d, ReLU, Conv),
                   global average pool, Linear: [N, 3, 8, 8] -> [N, 10]
  preact_mlp.onnx  BatchNorm1d on the input features, Linear-ReLU, BatchNorm1d, Linear: [N, 16] -> [N, 4]
  bad_flat_bn.onnx Conv, Flatten, BatchNorm1d over the flattened map, Linear: refused (the chip holds the map
                   in HWC order, the BatchNorm's features are CHW)

Random weights (seeded) and random running statistics, so that every affine is far from the identity. Writes
the models and 8 input samples each (<name>_x.npy). Run with Debian's python3 (python3-torch, python3-onnx).
"""
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(2026)


def randomise_batchnorms(model):
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            n = m.num_features
            m.running_mean.copy_(0.5 * torch.randn(n))
            m.running_var.copy_(0.5 + torch.rand(n))
            m.weight.data.copy_(0.5 + torch.rand(n))
            m.bias.data.copy_(0.3 * torch.randn(n))


class PreActCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.bn_in = nn.BatchNorm2d(3)
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = torch.relu(self.conv1(self.bn_in(x)))
        x = self.conv2(torch.relu(self.bn2(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


class PreActMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.bn_in = nn.BatchNorm1d(16)
        self.fc1 = nn.Linear(16, 32)
        self.bn1 = nn.BatchNorm1d(32)
        self.fc2 = nn.Linear(32, 4)

    def forward(self, x):
        x = torch.relu(self.fc1(self.bn_in(x)))
        return self.fc2(self.bn1(x))


class FlatBn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, padding=1)
        self.bn = nn.BatchNorm1d(4 * 4 * 4)
        self.fc = nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        return self.fc(self.bn(torch.flatten(torch.relu(self.conv(x)), 1)))


def export(model, name, x_shape):
    randomise_batchnorms(model)
    model.eval()
    x = torch.randn(8, *x_shape)
    torch.onnx.export(model, x[:1], os.path.join(HERE, name + ".onnx"), input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "N"}, "y": {0: "N"}})
    np.save(os.path.join(HERE, name + "_x.npy"), x.numpy().astype(np.float32))


if __name__ == "__main__":
    export(PreActCnn(), "preact_cnn", (3, 8, 8))
    export(PreActMlp(), "preact_mlp", (16,))
    export(FlatBn(), "bad_flat_bn", (2, 4, 4))  # after the others, so that their draws stay the same
