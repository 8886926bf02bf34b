#!/usr/bin/python3
"""Accuracy over drift time: top-1 accuracy and agreement with the float reference against t_inference.

Run by `aimcsim run` (sim/AccuracyPlot) when a run evaluates two or more inference times; usable alone:
  plot_accuracy.py OUT.png --t 1,3600,86400 --agreement 1,0.99,0.98 [--accuracy 0.96,0.95,0.95]
                   [--float-accuracy 0.96] [--title TEXT]
                   [--agreement-repeats M,S,LO,HI;... --accuracy-repeats M,S,LO,HI;...]
With repeats (aimcsim run --repeats N: the chip programmed N times with different seeds), each score is drawn
as its mean over the repeats with a band of +- one std and a lighter band from min to max, per time.
Exit status 3 when matplotlib is missing (the caller warns and goes on), 2 on bad arguments.
"""
import argparse
import sys


def floats(text):
    return [float(v) for v in text.split(",")] if text else []


def spreads(text):
    """'m,s,lo,hi;...' -> (means, stds, mins, maxs), or None."""
    if not text:
        return None
    rows = [[float(v) for v in item.split(",")] for item in text.split(";")]
    if any(len(r) != 4 for r in rows):
        raise ValueError("a repeats value needs mean,std,min,max")
    return tuple(list(col) for col in zip(*rows))


def draw(ax, x, values, spread, marker, label):
    """One score: its values, or with repeats its mean, +- std band and min..max band."""
    if spread is None:
        ax.plot(x, [100 * v for v in values], marker + "-", label=label)
        return
    mean, std, lo, hi = spread
    line, = ax.plot(x, [100 * v for v in mean], marker + "-", label=f"{label}, mean of repeats")
    # The std band inside min..max: a score near 100 % has no values above it.
    ax.fill_between(x, [100 * max(m - s, v) for m, s, v in zip(mean, std, lo)],
                    [100 * min(m + s, v) for m, s, v in zip(mean, std, hi)],
                    color=line.get_color(), alpha=0.3, lw=0, label="+- 1 std")
    ax.fill_between(x, [100 * v for v in lo], [100 * v for v in hi], color=line.get_color(), alpha=0.12, lw=0,
                    label="min..max")


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
    ap.add_argument("--agreement-repeats", default="")
    ap.add_argument("--accuracy-repeats", default="")
    a = ap.parse_args()
    t, agree, acc = floats(a.t), floats(a.agreement), floats(a.accuracy)
    try:
        agree_spread, acc_spread = spreads(a.agreement_repeats), spreads(a.accuracy_repeats)
    except ValueError as e:
        print(f"aimcsim: error: {e}", file=sys.stderr)
        return 2
    if len(agree) != len(t) or (acc and len(acc) != len(t)) or any(
            s is not None and len(s[0]) != len(t) for s in (agree_spread, acc_spread)):
        print("aimcsim: error: --t, --agreement, --accuracy and the repeats need the same number of values",
              file=sys.stderr)
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
    draw(ax, x, agree, agree_spread, "o", "agreement with float (top-1)")
    if acc:
        draw(ax, x, acc, acc_spread, "s", "accuracy vs labels")
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
