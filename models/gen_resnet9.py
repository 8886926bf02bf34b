#!/usr/bin/python3
"""Generate a shape-faithful ResNet-9 for CIFAR-10 with seeded, Kaiming-scaled weights (NOT trained).

Use it for scale, mapping and timing studies only: its accuracy is chance level (about 10 %).

Topology: the ResNet-9 of D. Page, "How to train your ResNet" (myrtle.ai, 2018; the DAWNBench CIFAR-10 entry),
the network family IBM ran on the 64-core PCM chip (Le Gallo et al., Nature Electronics 6, 2023, REFERENCE.md
section A), here at half width (channels 32-64-128-256 instead of 64-128-256-512) so that it fits the chip:

  prep    Conv3x3(3->32, pad 1)    BN ReLU                                   [32,32,32]
  layer1  Conv3x3(32->64, pad 1)   BN ReLU MaxPool2                          [64,16,16]
  res1    x + ReLU(BN(Conv3x3(64->64))) applied twice in the branch, then Add  [64,16,16]
  layer2  Conv3x3(64->128, pad 1)  BN ReLU MaxPool2                          [128,8,8]
  layer3  Conv3x3(128->256, pad 1) BN ReLU MaxPool2                          [256,4,4]
  res3    x + ReLU(BN(Conv3x3(256->256))) twice (as res1)                    [256,4,4]
  head    MaxPool4 Flatten Gemm(256->10)                                     [10]

Weights (conv + fc, no BN, no bias): 1,643,872 (the issue quotes "about 1.9 M"; no public layer list giving
exactly that number was found, so the documented Page topology at half width is used instead).

Weights: torch.nn.init.kaiming_normal_(mode="fan_in", nonlinearity="relu") from a seeded generator; fc bias
zero; BatchNorm gamma ~ U(0.8, 1.2), beta ~ N(0, 0.05), running mean ~ N(0, 0.05), running var ~ U(0.8, 1.2)
so that BN folding is exercised with non-trivial values. Exported to ONNX opset 13 with BatchNormalization
nodes kept (TrainingMode.PRESERVE on an eval-mode model, no constant folding).
Run: /usr/bin/python3 models/gen_resnet9.py
"""
import json
import os
import sys

import torch
import torch.nn as nn

from generated_weights import crossbar_weight_count, export_onnx, init_generated_weights, seed_everything

SEED = 20240609
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class Residual(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.branch = nn.Sequential(conv_bn(channels, channels), conv_bn(channels, channels))

    def forward(self, x):
        return x + self.branch(x)


class ResNet9(nn.Module):
    def __init__(self, widths=(32, 64, 128, 256), classes=10):
        super().__init__()
        w0, w1, w2, w3 = widths
        self.prep = conv_bn(3, w0)
        self.layer1 = nn.Sequential(conv_bn(w0, w1), nn.MaxPool2d(2))
        self.res1 = Residual(w1)
        self.layer2 = nn.Sequential(conv_bn(w1, w2), nn.MaxPool2d(2))
        self.layer3 = nn.Sequential(conv_bn(w2, w3), nn.MaxPool2d(2))
        self.res3 = Residual(w3)
        # With a (zero) bias the Linear exports as one Gemm instead of Transpose + MatMul.
        self.head = nn.Sequential(nn.MaxPool2d(4), nn.Flatten(), nn.Linear(w3, classes))

    def forward(self, x):
        x = self.res1(self.layer1(self.prep(x)))
        x = self.res3(self.layer3(self.layer2(x)))
        return self.head(x)


def main():
    generator = seed_everything(SEED)
    model = ResNet9()
    init_generated_weights(model, generator)
    weights = crossbar_weight_count(model)
    example = torch.zeros(1, 3, 32, 32)
    path = os.path.join(ROOT, "models", "resnet9_cifar10.onnx")
    export_onnx(model, example, path)
    with open(os.path.join(ROOT, "models", "resnet9_metrics.json"), "w") as f:
        json.dump({"seed": SEED, "weights": weights}, f, indent=2, sort_keys=True)
    print("ResNet-9 weights:", weights, "->", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
