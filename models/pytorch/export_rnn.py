#!/usr/bin/python3
"""Small recurrent networks exported by torch.onnx.export with defaults (opset 13, fixed batch), issue 16.

Untrained (seeded default initialisation): the tests compare the importer's float reference with torch's
own outputs, so the weights need no training. Every network reads sequences of T = 6 steps of F = 5
features (16 samples, seeded normal values) and has hidden size H = 8 (nn.LSTM / nn.GRU unless said):

  lstm_bf1_last       batch_first=True, 1 layer, nn.Linear head on the last timestep y[:, -1]
  lstm_bf2_seq        batch_first=True, 2 layers, nn.Linear head on every timestep ([N, T, 3] out)
  lstm_tf2_state      batch_first=False, 2 layers, initial (h0, c0) graph inputs, head on h_n[-1]
  lstm_bf1_cell       batch_first=True, 1 layer, head on the final cell state c_n[-1]
  gru_bf1_last        batch_first=True, 1 layer, head on y[:, -1]
  gru_bf1_state       batch_first=True, 1 layer, initial h0 graph input, head on y[:, -1]
  gru_tf2_state       batch_first=False, 2 layers, initial h0 graph input, head on y[-1]
  gru_tf1_seq         batch_first=False, 1 layer, the whole time-major y [T, N, H] is the output
  lstm_hand_cell      an LSTM cell written with nn.Linear per gate, torch.sigmoid, torch.tanh and *,
                      unrolled over the 6 steps in forward (x[:, t]), head on the last h
  gru_hand_cell       a GRU cell written with two nn.Linear over all gates, slices g[:, a:b], sigmoid,
                      tanh, (1 - z) * n + z * h, unrolled, head on the last h
  lstm_bidirectional  nn.LSTM(bidirectional=True): only the .onnx, for the refusal test

Files per network NAME (the graph's batch-first layout, src/aimc/compiler/Graph.h):
  NAME.onnx, NAME_x.npy [16, 6, 5] (batch first even for batch_first=False networks),
  NAME_h0.npy / NAME_c0.npy [16, layers, 8] when the network takes initial states (torch's [layers, 16, 8]
  with the batch moved first), NAME_y.npy torch's output (a time-major output also batch first).

Run from the repository root: /usr/bin/python3 models/pytorch/export_rnn.py
"""
import os

import numpy as np
import torch
import torch.nn as nn

OUT = os.path.dirname(os.path.abspath(__file__))
N, T, F, H = 16, 6, 5, 8


class Recurrent(nn.Module):
    """nn.LSTM / nn.GRU with a head; `read` picks what the head reads."""

    def __init__(self, cell, batch_first, layers, read, states=False, bidirectional=False):
        super().__init__()
        self.rnn = getattr(nn, cell)(F, H, num_layers=layers, batch_first=batch_first,
                                     bidirectional=bidirectional)
        self.head = nn.Linear(H * (2 if bidirectional else 1), 3)
        self.cell, self.batch_first, self.read, self.states = cell, batch_first, read, states

    def forward(self, x, *states):
        if self.cell == "LSTM":
            y, (h, c) = self.rnn(x, tuple(states) if states else None)
        else:
            y, h = self.rnn(x, states[0] if states else None)
            c = None
        if self.read == "last":
            return self.head(y[:, -1] if self.batch_first else y[-1])
        if self.read == "seq":
            return self.head(y)
        if self.read == "h_n":
            return self.head(h[-1])
        if self.read == "c_n":
            return self.head(c[-1])
        return y  # "y": the whole output sequence


class HandLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.x_gate = nn.ModuleList([nn.Linear(F, H) for _ in range(4)])  # i, f, g, o
        self.h_gate = nn.ModuleList([nn.Linear(H, H, bias=False) for _ in range(4)])
        self.head = nn.Linear(H, 3)

    def forward(self, x):
        h = c = None
        for t in range(T):
            xt = x[:, t]
            pre = [self.x_gate[k](xt) + (self.h_gate[k](h) if h is not None else 0) for k in range(4)]
            i, f, o = torch.sigmoid(pre[0]), torch.sigmoid(pre[1]), torch.sigmoid(pre[3])
            g = torch.tanh(pre[2])
            c = i * g if c is None else f * c + i * g
            h = o * torch.tanh(c)
        return self.head(h)


class HandGru(nn.Module):
    def __init__(self):
        super().__init__()
        self.x_gates = nn.Linear(F, 3 * H)  # z, r, n
        self.h_gates = nn.Linear(H, 3 * H)
        self.head = nn.Linear(H, 3)

    def forward(self, x):
        h = None
        for t in range(T):
            gx = self.x_gates(x[:, t])
            if h is None:
                z = torch.sigmoid(gx[:, 0:H])
                n = torch.tanh(gx[:, 2 * H:3 * H])
                h = (1 - z) * n
                continue
            gh = self.h_gates(h)
            z = torch.sigmoid(gx[:, 0:H] + gh[:, 0:H])
            r = torch.sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
            n = torch.tanh(gx[:, 2 * H:3 * H] + r * gh[:, 2 * H:3 * H])
            h = (1 - z) * n + z * h
        return self.head(h)


NETWORKS = {
    "lstm_bf1_last": lambda: Recurrent("LSTM", True, 1, "last"),
    "lstm_bf2_seq": lambda: Recurrent("LSTM", True, 2, "seq"),
    "lstm_tf2_state": lambda: Recurrent("LSTM", False, 2, "h_n", states=True),
    "lstm_bf1_cell": lambda: Recurrent("LSTM", True, 1, "c_n"),
    "gru_bf1_last": lambda: Recurrent("GRU", True, 1, "last"),
    "gru_bf1_state": lambda: Recurrent("GRU", True, 1, "last", states=True),
    "gru_tf2_state": lambda: Recurrent("GRU", False, 2, "last", states=True),
    "gru_tf1_seq": lambda: Recurrent("GRU", False, 1, "y"),
    "lstm_hand_cell": HandLstm,
    "gru_hand_cell": HandGru,
    "lstm_bidirectional": lambda: Recurrent("LSTM", True, 1, "last", bidirectional=True),
}


def export(name, seed):
    torch.manual_seed(seed)
    model = NETWORKS[name]().eval()
    x = torch.randn(N, T, F)  # batch first: the graph's layout
    batch_first = getattr(model, "batch_first", True)
    args = [x if batch_first else x.transpose(0, 1).contiguous()]
    states = {}
    if getattr(model, "states", False):
        layers = model.rnn.num_layers
        states["h0"] = torch.randn(layers, N, H)
        if model.cell == "LSTM":
            states["c0"] = torch.randn(layers, N, H)
        args += list(states.values())
    with torch.no_grad():
        y = model(*args)
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(model, tuple(args), path, input_names=["x"] + list(states), output_names=["y"])
    if name == "lstm_bidirectional":
        return
    np.save(os.path.join(OUT, name + "_x.npy"), x.numpy())
    for key, value in states.items():
        np.save(os.path.join(OUT, f"{name}_{key}.npy"), value.transpose(0, 1).contiguous().numpy())
    if getattr(model, "read", "") == "y" and not batch_first:
        y = y.transpose(0, 1)
    np.save(os.path.join(OUT, name + "_y.npy"), y.contiguous().numpy())


def main():
    torch.set_num_threads(1)
    for seed, name in enumerate(NETWORKS):
        export(name, 160 + seed)


if __name__ == "__main__":
    main()
