#!/usr/bin/python3
"""Accuracy over drift time: top-1 accuracy and agreement with the float reference against t_inference.

Run by `aimcsim run` (sim/AccuracyPlot) when a run evaluates two or more inference times; usable alone:
  plot_accuracy.py OUT.png --t 1,3600,86400 --agreement 1,0.99,0.98 [--accuracy 0.96,0.95,0.95]
                   [--float-accuracy 0.96] [--title TEXT]
Exit status 3 when matplotlib is missing (the caller warns and goes on), 2 on bad arguments.
"""
import argparse
import sys


def floats(text):
    return [float(v) for v in text.split(",")] if text else []


def label_of(seconds):
    for unit, s in (("y", 365.25 * 86400), ("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
        if seconds >= s:
            return f"{seconds / s:g}{unit}"
    return f"{seconds:g}s"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out")
    ap.add_argument("--t", required=True, help="inference times in seconds, comma separated")
    ap.add_argument("--agreement", required=True)
    ap.add_argument("--accuracy", default="")
    ap.add_argument("--float-accuracy", type=float)
    ap.add_argument("--title", default="")
    a = ap.parse_args()
    t, agree, acc = floats(a.t), floats(a.agreement), floats(a.accuracy)
    if len(agree) != len(t) or (acc and len(acc) != len(t)):
        print("aimcsim: error: --t, --agreement and --accuracy need the same number of values", file=sys.stderr)
        return 2
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("aimcsim: warning: python3-matplotlib is not installed; no accuracy plot", file=sys.stderr)
        return 3
    # A log axis cannot show t = 0 (right after programming): draw it one decade left of the smallest time.
    positive = [v for v in t if v > 0]
    zero_at = (min(positive) / 10) if positive else 1.0
    x = [v if v > 0 else zero_at for v in t]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, [100 * v for v in agree], "o-", label="agreement with float (top-1)")
    if acc:
        ax.plot(x, [100 * v for v in acc], "s-", label="accuracy vs labels")
    if a.float_accuracy is not None:
        ax.axhline(100 * a.float_accuracy, color="grey", ls="--", lw=1, label="float accuracy")
    ax.set_xscale("log")
    ax.set_xticks(x)
    ax.set_xticklabels([label_of(v) if v > 0 else "0" for v in t])
    ax.minorticks_off()
    ax.set_xlabel("time since programming (t_inference)")
    ax.set_ylabel("%")
    ax.set_title(a.title or "accuracy over drift time")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best")
    fig.tight_layout()
    fig.savefig(a.out, dpi=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
