"""A PNG of a Locust run over time, from its ``<prefix>_stats_history.csv`` (the
``Aggregated`` rows): requests and failures a second and the simulated users above, the
latency percentiles p50 / p95 / p99 below (Locust's rolling window of the last seconds).

    uv run python benchmarks/load/plot.py /tmp/social_bench_load/results/mixed-…/mixed \\
        --out docs/benchmarks/load/mixed.png
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt


def _float(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def history(prefix: Path) -> dict[str, list[float | None]]:
    """Seconds since the start, users, req/s, failures/s, p50, p95, p99 (ms)."""
    columns: dict[str, list[float | None]] = {
        k: [] for k in ("t", "users", "rps", "fails", "p50", "p95", "p99")
    }
    with Path(f"{prefix}_stats_history.csv").open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["Name"] == "Aggregated"]
    start = int(rows[0]["Timestamp"]) if rows else 0
    for r in rows:
        columns["t"].append(int(r["Timestamp"]) - start)
        columns["users"].append(float(r["User Count"]))
        columns["rps"].append(float(r["Requests/s"]))
        columns["fails"].append(float(r["Failures/s"]))
        for p, name in (("p50", "50%"), ("p95", "95%"), ("p99", "99%")):
            columns[p].append(_float(r[name]))
    return columns


def plot(prefix: Path, out: Path, title: str) -> None:
    h = history(prefix)
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True)
    top.plot(h["t"], h["rps"], label="requests/s", color="tab:blue")
    top.plot(h["t"], h["fails"], label="failures/s", color="tab:red")
    top.set_ylabel("per second")
    users = top.twinx()
    users.plot(h["t"], h["users"], label="simulated users", color="tab:gray", linestyle="--")
    users.set_ylabel("users")
    lines = top.get_legend_handles_labels()[0] + users.get_legend_handles_labels()[0]
    top.legend(lines, [str(line.get_label()) for line in lines], loc="upper left")
    for p, color in (("p50", "tab:green"), ("p95", "tab:orange"), ("p99", "tab:red")):
        bottom.plot(h["t"], h[p], label=p, color=color)
    bottom.set_ylabel("latency, ms")
    bottom.set_xlabel("seconds since start")
    bottom.set_yscale("log")
    bottom.legend(loc="upper left")
    for axis in (top, bottom):
        axis.grid(alpha=0.3)
    figure.suptitle(title)
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=90)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("prefix", type=Path, help="Locust's --csv prefix")
    parser.add_argument("--out", type=Path, default=None, help="PNG (default: <prefix>.png)")
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    out = args.out or Path(f"{args.prefix}.png")
    plot(args.prefix, out, args.title or f"Locust: {args.prefix.name}")
    print(out)


if __name__ == "__main__":
    main()
