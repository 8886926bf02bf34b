#!/usr/bin/python3
"""Generate a shape-faithful MobileNet-style CNN for CIFAR-10 with seeded weights (NOT trained).

Use it for scale, mapping and timing studies only: its accuracy is chance level (about 10 %).

Topology: MobileNet v1 (A. G. Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile
Vision Applications", arXiv:1704.04861, 2017, Table 1): a standard 3x3 stem, then depthwise-separable blocks
(depthwise 3x3 conv, BN, ReLU, pointwise 1x1 conv, BN, ReLU), global average pooling and a fully connected
classifier. Shortened and narrowed for 3x32x32 CIFAR-10 inputs, so that every pointwise and the classifier fit
64 crossbars of 256x256:

  stem    Conv3x3(3->32, pad 1)            BN ReLU       [32,32,32]
  ds1     DW3x3(32)  s1 + PW1x1(32->64)    BN ReLU each  [64,32,32]
  ds2     DW3x3(64)  s2 + PW1x1(64->128)                 [128,16,16]
  ds3     DW3x3(128) s1 + PW1x1(128->128)                [128,16,16]
  ds4     DW3x3(128) s2 + PW1x1(128->256)                [256,8,8]
  ds5     DW3x3(256) s1 + PW1x1(256->256)                [256,8,8]
  ds6     DW3x3(256) s2 + PW1x1(256->512)                [512,4,4]
  head    GlobalAveragePool Flatten Gemm(512->10)        [10]

Weights (conv + fc, no BN, no bias): 269,760 (pointwise 256,000, depthwise 7,776, stem 864, fc 5,120).
ReLU instead of ReLU6 (MobileNet v2's Clip) keeps the graph within the operators every aimcsim path maps.

Weights: torch.nn.init.kaiming_normal_-equivalent (fan-in, ReLU gain) from a seeded generator; fc bias zero;
BatchNorm gamma ~ U(0.8, 1.2), beta ~ N(0, 0.05), running mean ~ N(0, 0.05), running var ~ U(0.8, 1.2), as
models/gen_resnet9.py. Exported to ONNX opset 13 with BatchNormalization nodes kept (TrainingMode.PRESERVE on
an eval-mode model, no constant folding); depthwise convs are Conv nodes with group = channels.
Run: /usr/bin/python3 models/gen_mobilenet.py
"""
import json
import os
import sys

import numpy
import torch
import torch.nn as nn

from generated_weights import crossbar_weight_count, export_onnx, init_generated_weights, seed_everything

SEED = 20240610
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# (output channels, depthwise stride) of each depthwise-separable block.
BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2))


def conv_bn(cin, cout, kernel, stride=1, groups=1):
    return [nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, groups=groups, bias=False),
            nn.BatchNorm2d(cout), nn.ReLU()]


class MobileNetCifar(nn.Module):
    def __init__(self, stem=32, blocks=BLOCKS, classes=10):
        super().__init__()
        layers = conv_bn(3, stem, 3)
        cin = stem
        for cout, stride in blocks:
            layers += conv_bn(cin, cin, 3, stride, groups=cin)  # depthwise
            layers += conv_bn(cin, cout, 1)  # pointwise
            cin = cout
        self.features = nn.Sequential(*layers)
        # With a (zero) bias the Linear exports as one Gemm instead of Transpose + MatMul.
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, classes))

    def forward(self, x):
        return self.head(self.features(x))


def main():
    generator = seed_everything(SEED)
    model = MobileNetCifar()
    init_generated_weights(model, generator)
    weights = crossbar_weight_count(model)
    depthwise = sum(m.weight.numel() for m in model.modules() if isinstance(m, nn.Conv2d) and m.groups > 1)
    example = torch.zeros(1, 3, 32, 32)
    path = os.path.join(ROOT, "models", "mobilenet_cifar10.onnx")
    export_onnx(model, example, path)
    # Four seeded inputs and torch's logits for them: the C++ ReferenceExecutor is tested against these
    # (tests/unit/frontend/MobileNetTest.cpp).
    x = torch.rand(4, 3, 32, 32, generator=generator)
    with torch.no_grad():
        logits = model(x)
    data = os.path.join(ROOT, "tests", "data", "onnx")
    numpy.save(os.path.join(data, "mobilenet_x4.npy"), x.numpy().astype(numpy.float32))
    numpy.save(os.path.join(data, "mobilenet_logits4.npy"), logits.numpy().astype(numpy.float32))
    with open(os.path.join(ROOT, "models", "mobilenet_metrics.json"), "w") as f:
        json.dump({"seed": SEED, "weights": weights, "depthwise_weights": depthwise}, f, indent=2, sort_keys=True)
    print("MobileNet weights:", weights, "(depthwise", depthwise, ") ->", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
