#!/usr/bin/python3
"""Metrics of a sweep against one axis, one line per value of another axis (or one line), from its CSV.

Run by `aimcsim sweep` for each `plot:` of the sweep file (configs/sweeps/README.md); usable alone:
    aimcsim results export out/sweeps/NAME.db --csv out/sweeps/NAME.csv
    /usr/bin/python3 src/aimc/sweep/plot_lines.py out/sweeps/NAME.csv --x AXIS --y METRIC [--y2 METRIC]
        [--group AXIS] [--x-label TEXT] [--y-label TEXT] [--y2-label TEXT] [--title TEXT] [--log-x] [--out F.png]

--x may be a sum of axes ("device.stuck_at_set+device.stuck_at_reset"); --y2 draws a second metric on a right
axis (dashed). Prints the table the figure shows. Exit status 2 with an `aimcsim: error:` line on bad input.
"""
import argparse
import csv
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def fail(msg):
    print(f"aimcsim: error: {msg}", file=sys.stderr)
    sys.exit(2)


def column_value(row, expr, path):
    total = 0.0
    for name in expr.split("+"):
        if name not in row:
            fail(f"{path}: no column '{name}' (columns: {', '.join(row)})")
        try:
            total += float(row[name])
        except ValueError:
            fail(f"{path}: column '{name}' holds '{row[name]}', not a number")
    return total


def read_lines(path, a):
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("status", "ok") == "ok"]
    if not rows:
        fail(f"{path}: no finished points")
    if a.group and a.group not in rows[0]:
        fail(f"{path}: no column '{a.group}'")
    lines = defaultdict(list)  # group value -> [(x, y, y2)]
    for r in rows:
        y2 = column_value(r, a.y2, path) if a.y2 else None
        lines[r[a.group] if a.group else ""].append(
            (column_value(r, a.x, path), column_value(r, a.y, path), y2))
    return {k: sorted(v) for k, v in lines.items()}


def plot(lines, a):
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    right = ax.twinx() if a.y2 else None
    for name, pts in lines.items():
        xs = [p[0] for p in pts]
        ax.plot(xs, [p[1] for p in pts], marker="o", label=name or a.y)
        if right is not None:
            right.plot(xs, [p[2] for p in pts], marker="s", linestyle="--", color="tab:red",
                       label=(name + " " if name else "") + a.y2)
        for p in pts:
            print(f"{name:10s} {p[0]:12.6g} {p[1]:12.6g}" + (f" {p[2]:12.6g}" if p[2] is not None else ""))
    ax.set_xlabel(a.x_label or a.x)
    ax.set_ylabel(a.y_label or a.y)
    if a.log_x:
        ax.set_xscale("symlog", linthresh=1.0)
    if right is not None:
        right.set_ylabel(a.y2_label or a.y2, color="tab:red")
    ax.grid(True, alpha=0.3)
    if a.group:
        ax.legend(title=a.group, fontsize=8)
    ax.set_title(a.title or "")
    fig.tight_layout()
    return fig


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", help="table from `aimcsim results export ... --csv`")
    ap.add_argument("--x", required=True)
    ap.add_argument("--y", required=True)
    ap.add_argument("--y2")
    ap.add_argument("--group")
    ap.add_argument("--x-label")
    ap.add_argument("--y-label")
    ap.add_argument("--y2-label")
    ap.add_argument("--title")
    ap.add_argument("--log-x", action="store_true")
    ap.add_argument("--out", help="PNG file (default: beside the CSV)")
    a = ap.parse_args()
    try:
        lines = read_lines(a.csv, a)
    except OSError as e:
        fail(f"{a.csv}: {e.strerror}")
    out = a.out or a.csv.rsplit(".", 1)[0] + ".png"
    plot(lines, a).savefig(out, dpi=120)
    print(f"written {out}")


if __name__ == "__main__":
    main()
