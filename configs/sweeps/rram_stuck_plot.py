#!/usr/bin/python3
"""Accuracy against stuck-device rate, one line per compensation (configs/sweeps/rram_stuck.yaml).

    aimcsim sweep configs/sweeps/rram_stuck.yaml
    aimcsim results export out/sweeps/rram_stuck.db --csv out/sweeps/rram_stuck.csv
    /usr/bin/python3 configs/sweeps/rram_stuck_plot.py out/sweeps/rram_stuck.csv [--out FILE.png]

Also prints the table (rate, compensation, accuracy) the figure shows.
"""
import argparse
import csv
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", help="table from `aimcsim results export ... --csv`")
    ap.add_argument("--out", help="PNG file (default: beside the CSV)")
    a = ap.parse_args()

    rows = [r for r in csv.DictReader(open(a.csv)) if r["status"] == "ok"]
    if not rows:
        sys.exit(f"{a.csv}: no finished points")
    lines = defaultdict(list)  # compensation -> (rate, accuracy)
    for r in rows:
        rate = float(r["device.stuck_at_set"]) + float(r["device.stuck_at_reset"])
        lines[r["device.stuck_compensation"]].append((rate, float(r["accuracy"])))
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for comp in ("none", "partner", "offset"):
        pts = sorted(lines.get(comp, []))
        if not pts:
            continue
        ax.plot([p[0] * 100 for p in pts], [p[1] * 100 for p in pts], marker="o", label=comp)
        for rate, acc in pts:
            print(f"{rate:6.3f}  {comp:8s}  {acc * 100:6.2f} %")
    ax.set_xlabel("stuck devices (%; half at LRS, half at HRS)")
    ax.set_ylabel("accuracy (%)")
    ax.set_title("digits CNN on arch/rram.yaml")
    ax.grid(True, alpha=0.3)
    ax.legend(title="stuck_compensation")
    fig.tight_layout()
    out = a.out or a.csv.rsplit(".", 1)[0] + ".png"
    fig.savefig(out, dpi=120)
    print(f"written {out}")


if __name__ == "__main__":
    main()
