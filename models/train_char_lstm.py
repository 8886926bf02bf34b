#!/usr/bin/python3
"""Trains a small character-level LSTM on the GNU GPL v3 text and exports it (issue 16, item 5).

Text: /usr/share/common-licenses/GPL-3 (Debian package base-files, Priority: required, so every Debian
machine, CI included, has it; 35,149 bytes of ASCII). Split: the first 90 % of the characters train, the last
10 % test (no overlap: the split is by position in the file).

Model: nn.Embedding(V, 16) -> nn.LSTM(16, 128, 1 layer, batch_first=True) -> nn.Linear(128, V) on every
timestep while training. The exported model reads int64 token ids [N, T] (T = 32 characters of context) and
gives the logits of the character after the last one (the head on the last timestep: y[:, -1]).

Writes (from the repository root):
  models/char_lstm.onnx          torch.onnx.export defaults (opset 13)
  models/char_lstm_x.npy         [S, 32] int64 test contexts (S = 256, taken every 13 characters of the test text)
  models/char_lstm_labels.npy    [S] int64 next characters
  models/char_lstm_logits.npy    [S, V] float32 torch's logits for them
  models/char_lstm_metrics.json  float next-character accuracy and bits per character on the test slice

Deterministic: fixed seed, one thread, torch.use_deterministic_algorithms(True).
Run: /usr/bin/python3 models/train_char_lstm.py   (about ten minutes on one shared CPU core)
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn

TEXT = "/usr/share/common-licenses/GPL-3"
CONTEXT = 32
EMBED = 16
HIDDEN = 128
STEPS = 800
BATCH = 32
TRAIN_LEN = 64
TEST_SEQUENCES = 256
TEST_STRIDE = 13
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)))


class CharLstm(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embed = nn.Embedding(vocab, EMBED)
        self.lstm = nn.LSTM(EMBED, HIDDEN, batch_first=True)
        self.head = nn.Linear(HIDDEN, vocab)

    def every_step(self, tokens):
        y, _ = self.lstm(self.embed(tokens))
        return self.head(y)

    def forward(self, tokens):
        y, _ = self.lstm(self.embed(tokens))
        return self.head(y[:, -1])


def main():
    torch.manual_seed(16)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    text = open(TEXT, encoding="ascii").read()
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([index[c] for c in text], dtype=torch.int64)
    split = int(len(data) * 0.9)
    train, test = data[:split], data[split:]

    model = CharLstm(len(chars))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    gen = torch.Generator().manual_seed(16)
    for step in range(STEPS):
        starts = torch.randint(0, len(train) - TRAIN_LEN - 1, (BATCH,), generator=gen)
        x = torch.stack([train[s:s + TRAIN_LEN] for s in starts])
        y = torch.stack([train[s + 1:s + TRAIN_LEN + 1] for s in starts])
        loss = nn.functional.cross_entropy(model.every_step(x).reshape(-1, len(chars)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 250 == 0:
            print(f"step {step} loss {loss.item():.3f}")

    model.eval()
    starts = [i * TEST_STRIDE for i in range(TEST_SEQUENCES)]
    assert starts[-1] + CONTEXT < len(test)
    x = torch.stack([test[s:s + CONTEXT] for s in starts])
    labels = torch.stack([test[s + CONTEXT] for s in starts])
    with torch.no_grad():
        logits = model(x)
    log_probs = torch.log_softmax(logits, 1)
    accuracy = (logits.argmax(1) == labels).float().mean().item()
    bpc = -log_probs[torch.arange(len(labels)), labels].mean().item() / math.log(2)
    print(f"test accuracy {accuracy:.4f} bits per character {bpc:.4f}")

    torch.onnx.export(model, (x[:2],), os.path.join(OUT, "char_lstm.onnx"), input_names=["tokens"],
                      output_names=["logits"], dynamic_axes={"tokens": {0: "N"}, "logits": {0: "N"}})
    np.save(os.path.join(OUT, "char_lstm_x.npy"), x.numpy())
    np.save(os.path.join(OUT, "char_lstm_labels.npy"), labels.numpy())
    np.save(os.path.join(OUT, "char_lstm_logits.npy"), logits.numpy().astype(np.float32))
    metrics = {
        "text": TEXT, "package": "base-files", "characters": len(text), "vocabulary": len(chars),
        "train_characters": split, "test_characters": len(test), "context": CONTEXT, "embedding": EMBED,
        "hidden": HIDDEN, "steps": STEPS, "test_sequences": TEST_SEQUENCES, "test_stride": TEST_STRIDE,
        "float_accuracy": accuracy, "float_bits_per_character": bpc,
    }
    with open(os.path.join(OUT, "char_lstm_metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
