#!/usr/bin/python3
"""Pareto front of two sweep metrics, a third as colour: one PNG per sweep in an aimcsim results file.

Run by `aimcsim results plot DB --x M --y M [--color M]`; usable alone with the same arguments. Reads the SQLite
file directly (schema in src/aimc/sweep/ResultStore.h); units come from the sweep's metric declarations
(meta.metrics). Exit status 2 with an `aimcsim: error:` line on bad input, like the CLI.
"""
import argparse
import json
import os
import sqlite3
import sys


def fail(msg):
    print(f"aimcsim: error: {msg}", file=sys.stderr)
    sys.exit(2)


def pareto(points, x_goal, y_goal):
    """Indices of the non-dominated points (better = smaller unless the goal is max)."""
    sx = 1 if x_goal == "min" else -1
    sy = 1 if y_goal == "min" else -1
    order = sorted(range(len(points)), key=lambda i: (sx * points[i][0], sy * points[i][1]))
    front, best = [], None
    for i in order:
        y = sy * points[i][1]
        if best is None or y < best:
            front.append(i)
            best = y
    return front


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("db")
    ap.add_argument("--x", required=True)
    ap.add_argument("--y", required=True)
    ap.add_argument("--color")
    ap.add_argument("--x-goal", choices=["min", "max"], default="min")
    ap.add_argument("--y-goal", choices=["min", "max"], default="min")
    ap.add_argument("--out", help="PNG file (one sweep) or directory")
    a = ap.parse_args()

    con = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    meta = dict(con.execute("SELECT key, value FROM meta"))
    units = {m["name"]: m.get("unit", "") for m in json.loads(meta.get("metrics", "[]"))}
    rows = con.execute("SELECT sweep, params, metrics FROM points WHERE status = 'ok' ORDER BY sweep, point")
    by_sweep = {}
    for sweep, params, metrics in rows:
        values = dict(json.loads(params or "{}"))
        values.update(json.loads(metrics or "{}"))
        by_sweep.setdefault(sweep, []).append(values)
    if not by_sweep:
        fail(f"{a.db}: no finished (ok) points to plot")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def label(name):
        u = units.get(name, "")
        return f"{name} [{u}]" if u else name

    def number(v):
        try:
            return float(v)
        except (TypeError, ValueError):
            return None

    stem = os.path.splitext(a.db)[0]
    for sweep, pts in by_sweep.items():
        for key in [a.x, a.y] + ([a.color] if a.color else []):
            if not any(key in p for p in pts):
                known = sorted({k for p in pts for k in p})
                fail(f"{a.db}: '{key}': no such metric or axis in sweep '{sweep}' (known: {', '.join(known)})")
        xy, col = [], []
        for p in pts:
            x, y = number(p.get(a.x)), number(p.get(a.y))
            if x is None or y is None:
                continue
            xy.append((x, y))
            col.append(number(p.get(a.color)) if a.color else None)
        if not xy:
            fail(f"{a.db}: sweep '{sweep}': no point has numeric '{a.x}' and '{a.y}'")
        front = pareto(xy, a.x_goal, a.y_goal)

        fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=120)
        xs, ys = [p[0] for p in xy], [p[1] for p in xy]
        if a.color and all(c is not None for c in col):
            sc = ax.scatter(xs, ys, c=col, cmap="viridis", s=28, zorder=2)
            fig.colorbar(sc, ax=ax, label=label(a.color))
        else:
            ax.scatter(xs, ys, s=28, color="tab:blue", zorder=2)
        fx = [xy[i][0] for i in front]
        fy = [xy[i][1] for i in front]
        ax.plot(fx, fy, "-o", color="tab:red", mfc="none", ms=10, lw=1.2, zorder=3,
                label=f"Pareto front ({len(front)} of {len(xy)})")
        ax.set_xlabel(label(a.x) + (" (higher is better)" if a.x_goal == "max" else ""))
        ax.set_ylabel(label(a.y) + (" (higher is better)" if a.y_goal == "max" else ""))
        ax.set_title(f"sweep {sweep}")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="best", fontsize="small")
        fig.tight_layout()

        if a.out and (len(by_sweep) == 1 and not os.path.isdir(a.out)):
            path = a.out
        else:
            d = a.out if a.out else os.path.dirname(stem) or "."
            base = os.path.basename(stem)
            path = os.path.join(d, f"{base}_{sweep}_pareto.png")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        save_atomically(fig, path)
        plt.close(fig)
        print(f"{sweep}: {len(xy)} points, {len(front)} on the Pareto front -> {path}")


def save_atomically(fig, path):
    """Never a partial PNG under the final name: a temporary beside it, renamed once complete."""
    tmp = os.path.join(os.path.dirname(os.path.abspath(path)), f".{os.path.basename(path)}.tmp{os.getpid()}")
    try:
        fig.savefig(tmp, format="png")
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


if __name__ == "__main__":
    main()
