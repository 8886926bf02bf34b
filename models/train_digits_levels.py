#!/usr/bin/python3
"""Train the digits CNN with binary and with ternary weights and export both to ONNX (opset 13).

Why: `core.crossbar.weight_levels: binary | ternary` (arch/rram.yaml) leaves every device at LRS or HRS with a
per-output-line scale. A network trained in float loses almost everything when its weights are binarised
after training (the float digits CNN: 98.4 % -> 12.2 % with XNOR-Net binarisation, 76.4 % ternary; this
script prints the same check). Binary and ternary networks on RRAM crossbars (CIM-Explorer, Pelke et al. 2025;
REFERENCE.md J) are trained for their levels, as here.

Training: the architecture of models/train_digits.py (DigitsCnn), same data, split and optimiser. Every Conv
and Gemm weight is quantised in the forward pass exactly as numerics/CrossbarArray.cpp
(quantise_weight_levels) does per output line after BatchNormalization folding: binary sign(w) * mean|w|
(XNOR-Net, Rastegari et al., ECCV 2016), ternary {-a, 0, a} with threshold 0.7 mean|w| and a the mean kept
magnitude (TWN, Li et al., arXiv 1605.04711); gradients pass straight through (BinaryConnect, Courbariaux et
al., NeurIPS 2015). A positive per-channel BatchNormalization scale commutes with both rules, a negative one
flips the sign of a whole line, so folding BN before the crossbar's quantisation gives the same levels.

Exported weights are the quantised ones, so the ONNX float reference is the binary / ternary network itself.

Outputs: models/digits_cnn_{binary,ternary}.onnx, models/digits_levels_metrics.json.
Deterministic as train_digits.py. Run with Debian's interpreter: /usr/bin/python3 models/train_digits_levels.py
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_digits import ROOT, SEED, DigitsCnn, accuracy, export, train  # noqa: E402

EPOCHS = 80


def quantise_rows(w, levels):
    """Per output line (row of the [out, in * kh * kw] matrix), as CrossbarArray::quantise_weight_levels."""
    rows = w.reshape(w.shape[0], -1)
    mean_abs = rows.abs().mean(dim=1, keepdim=True)
    threshold = 0.7 * mean_abs if levels == "ternary" else torch.zeros_like(mean_abs)
    keep = rows.abs() > threshold
    kept = keep.sum(dim=1, keepdim=True).clamp(min=1)
    a = (rows.abs() * keep).sum(dim=1, keepdim=True) / kept
    return (torch.sign(rows) * keep * a).reshape(w.shape)


def straight_through(w, levels):
    return w + (quantise_rows(w, levels) - w).detach()


class LevelsCnn(DigitsCnn):
    """DigitsCnn whose Conv and Linear layers see quantised weights in the forward pass."""

    def __init__(self, levels):
        super().__init__()
        self.levels = levels

    def conv(self, layer, x):
        return F.conv2d(x, straight_through(layer.weight, self.levels), layer.bias, padding=1)

    def forward(self, x):
        x = torch.relu(self.bn0(self.conv(self.conv0, x)))
        y = torch.relu(self.bn1(self.conv(self.conv1, x)))
        y = self.bn2(self.conv(self.conv2, y))
        x = torch.relu(x + y)
        flat = self.flatten(self.pool(x))
        return F.linear(flat, straight_through(self.fc.weight, self.levels), self.fc.bias)

    def frozen(self):
        """A plain DigitsCnn holding the quantised weights (what the ONNX file carries)."""
        plain = DigitsCnn()
        plain.load_state_dict(self.state_dict())
        with torch.no_grad():
            for layer in (plain.conv0, plain.conv1, plain.conv2, plain.fc):
                layer.weight.copy_(quantise_rows(layer.weight, self.levels))
        return plain.eval()


def folded_quantised_accuracy(model, x, y, levels):
    """Accuracy after folding BN into the convs and quantising per line, as the chip does with the file."""
    def fold(conv, bn):
        s = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        return conv.weight * s[:, None, None, None], (conv.bias - bn.running_mean) * s + bn.bias

    with torch.no_grad():
        w0, b0 = fold(model.conv0, model.bn0)
        w1, b1 = fold(model.conv1, model.bn1)
        w2, b2 = fold(model.conv2, model.bn2)
        h0 = torch.relu(F.conv2d(x, quantise_rows(w0, levels), b0, padding=1))
        h1 = torch.relu(F.conv2d(h0, quantise_rows(w1, levels), b1, padding=1))
        h = torch.relu(F.conv2d(h1, quantise_rows(w2, levels), b2, padding=1) + h0)
        logits = F.linear(model.flatten(model.pool(h)), quantise_rows(model.fc.weight, levels), model.fc.bias)
    return int((logits.argmax(dim=1) == y).sum().item())


def main():
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, stratify=y, random_state=SEED)
    xt_train, yt_train = torch.from_numpy(x_train), torch.from_numpy(y_train)
    xt_test, yt_test = torch.from_numpy(x_test), torch.from_numpy(y_test)

    metrics = {"seed": SEED, "epochs": EPOCHS, "test_samples": int(x_test.shape[0])}
    for offset, levels in ((2, "binary"), (3, "ternary")):
        model = LevelsCnn(levels)
        train(model, xt_train, yt_train, EPOCHS, torch.Generator().manual_seed(SEED + offset))
        frozen = model.frozen()
        correct, _ = accuracy(frozen, xt_test, yt_test)
        folded = folded_quantised_accuracy(frozen, xt_test, yt_test, levels)
        metrics[f"digits_cnn_{levels}"] = {"correct": correct, "accuracy": correct / x_test.shape[0],
                                           "correct_after_bn_fold_and_requantise": folded}
        export(frozen, xt_test[:1], os.path.join(ROOT, "models", f"digits_cnn_{levels}.onnx"), "input")
    with open(os.path.join(ROOT, "models", "digits_levels_metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2, sort_keys=True)
    print(json.dumps(metrics, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
