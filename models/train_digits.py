#!/usr/bin/python3
"""Train the two digits models shipped with aimcsim and export them to ONNX (opset 13).

Data: scikit-learn's bundled 8x8 handwritten digits (sklearn.datasets.load_digits, 1797 images, no network
access needed). Split: sklearn.model_selection.train_test_split(test_size=0.25, stratify=labels,
random_state=SEED). Inputs are pixel/16 so that they lie in [0, 1].

Outputs (all relative to the repository root):
  models/digits_mlp.onnx, models/digits_cnn.onnx
  traces/digits_test_x.npy (float32 [N,64]), traces/digits_test_x_nchw.npy (float32 [N,1,8,8]),
  traces/digits_test_y.npy (int32 [N])
  tests/data/onnx/digits_{mlp,cnn}_logits_first8.npy (float32 torch logits of the first 8 test images)
  models/digits_metrics.json (float test accuracy per model; read by write_manifest.py)

Deterministic: fixed seeds, torch.use_deterministic_algorithms(True), one thread, minibatch order
drawn from a seeded generator. Run with Debian's interpreter: /usr/bin/python3 models/train_digits.py
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 20240607
EPOCHS_MLP = 60
EPOCHS_CNN = 40
BATCH = 32
LEARNING_RATE = 1e-3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class DigitsMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.fc2 = nn.Linear(128, 64)
        self.fc3 = nn.Linear(64, 10)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.fc3(x)


class DigitsCnn(nn.Module):
    """Conv3x3-BN-ReLU, one residual block (Conv-BN-ReLU-Conv-BN + skip, ReLU), MaxPool 2, Flatten, Gemm."""

    def __init__(self, channels=8):
        super().__init__()
        self.conv0 = nn.Conv2d(1, channels, 3, padding=1)
        self.bn0 = nn.BatchNorm2d(channels)
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(channels)
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(channels * 4 * 4, 10)

    def forward(self, x):
        x = torch.relu(self.bn0(self.conv0(x)))
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        x = torch.relu(x + y)
        return self.fc(self.flatten(self.pool(x)))


def train(model, x_train, y_train, epochs, generator):
    optimiser = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_fn = nn.CrossEntropyLoss()
    n = x_train.shape[0]
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, BATCH):
            idx = order[start:start + BATCH]
            optimiser.zero_grad()
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimiser.step()
    model.eval()


def accuracy(model, x, y):
    with torch.no_grad():
        logits = model(x)
    return int((logits.argmax(dim=1) == y).sum().item()), logits


def export(model, example, path, input_name):
    torch.onnx.export(model, example, path, opset_version=13, input_names=[input_name], output_names=["logits"],
                      dynamic_axes={input_name: {0: "batch"}, "logits": {0: "batch"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)


def main():
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, stratify=y, random_state=SEED)

    os.makedirs(os.path.join(ROOT, "traces"), exist_ok=True)
    np.save(os.path.join(ROOT, "traces", "digits_test_x.npy"), x_test.astype(np.float32))
    np.save(os.path.join(ROOT, "traces", "digits_test_x_nchw.npy"), x_test.reshape(-1, 1, 8, 8).astype(np.float32))
    np.save(os.path.join(ROOT, "traces", "digits_test_y.npy"), y_test.astype(np.int32))

    xt_train, yt_train = torch.from_numpy(x_train), torch.from_numpy(y_train)
    xt_test, yt_test = torch.from_numpy(x_test), torch.from_numpy(y_test)
    metrics = {"seed": SEED, "train_samples": int(x_train.shape[0]), "test_samples": int(x_test.shape[0])}

    generator = torch.Generator().manual_seed(SEED)
    mlp = DigitsMlp()
    train(mlp, xt_train, yt_train, EPOCHS_MLP, generator)
    correct, logits = accuracy(mlp, xt_test, yt_test)
    metrics["digits_mlp"] = {"correct": correct, "accuracy": correct / x_test.shape[0], "epochs": EPOCHS_MLP,
                             "weights": sum(p.numel() for n, p in mlp.named_parameters() if "weight" in n)}
    export(mlp, xt_test[:1], os.path.join(ROOT, "models", "digits_mlp.onnx"), "input")
    np.save(os.path.join(ROOT, "tests", "data", "onnx", "digits_mlp_logits_first8.npy"),
            logits[:8].numpy().astype(np.float32))

    generator = torch.Generator().manual_seed(SEED + 1)
    cnn = DigitsCnn()
    xc_train, xc_test = xt_train.reshape(-1, 1, 8, 8), xt_test.reshape(-1, 1, 8, 8)
    train(cnn, xc_train, yt_train, EPOCHS_CNN, generator)
    correct, logits = accuracy(cnn, xc_test, yt_test)
    metrics["digits_cnn"] = {"correct": correct, "accuracy": correct / x_test.shape[0], "epochs": EPOCHS_CNN,
                             "weights": sum(p.numel() for n, p in cnn.named_parameters()
                                            if "weight" in n and p.dim() > 1)}
    export(cnn, xc_test[:1], os.path.join(ROOT, "models", "digits_cnn.onnx"), "input")
    np.save(os.path.join(ROOT, "tests", "data", "onnx", "digits_cnn_logits_first8.npy"),
            logits[:8].numpy().astype(np.float32))

    with open(os.path.join(ROOT, "models", "digits_metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2, sort_keys=True)
    print(json.dumps(metrics, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
