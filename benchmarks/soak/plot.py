"""Panels of a soak's samples over time, each series with its fitted linear trend, and the trend
as numbers, so "no growth" is judged by a slope and not by eye.

    uv run python benchmarks/soak/plot.py samples.csv [--out soak.png]

The trend of a series is a least-squares line over its samples after the first third of the run
(the first third is warm-up: caches, pools and stored feeds filling), in units per hour. The
growth rule (``verdict``) is stated beside the figures it judges.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

PANELS = (
    ("rss_mb:", "memory per process (RSS, MB)"),
    ("pss_mb:", "PostgreSQL backends of the database, together (PSS, MB)"),
    ("cpu_pct:", "CPU per process (% of one core)"),
    ("pg_conns:", "PostgreSQL connections of the database"),
    ("queue:", "job queue depth (SAQ)"),
    ("redis:used_memory_mb", "Redis used_memory (MB, whole server)"),
    ("redis:db_mb", "Redis: the soak's database, MEMORY USAGE of its keys (MB)"),
    ("redis:db_keys", "Redis keys (the soak's database)"),
    ("health_ms", "GET /health/live during the soak (ms)"),
    ("load:", "Locust: requests and failures a second"),
    ("latency_ms:", "Locust: latency percentiles (ms, over the last 10 s)"),
)
MEMORY_SLOPE_MB_H = 10.0
"""A memory series grows when its trend is above this many MB an hour …"""
MEMORY_THIRDS_PCT = 3.0
"""… and its last third's mean is above its middle third's by more than this percentage."""
QUEUE_FLOOR = 20.0
"""The queue grows when it never drains: its smallest depth in the last third is above this and
above the middle third's smallest. Bursts (the suggestions cron queues 1,000 jobs every 5 min)
that empty again are not growth."""


@dataclass(frozen=True)
class Trend:
    series: str
    first: float
    last: float
    middle_mean: float
    last_mean: float
    slope_h: float
    """Units per hour, fitted after the first third of the run."""
    middle_min: float = 0.0
    last_min: float = 0.0

    @property
    def thirds_pct(self) -> float:
        if self.middle_mean == 0:
            return 0.0
        return 100 * (self.last_mean - self.middle_mean) / self.middle_mean

    def grows(self) -> bool:
        if self.series.startswith(("rss_mb:", "pss_mb:")) or self.series == "redis:db_mb":
            return self.slope_h > MEMORY_SLOPE_MB_H and self.thirds_pct > MEMORY_THIRDS_PCT
        if self.series == "queue:queued":
            return self.last_min > QUEUE_FLOOR and self.last_min > self.middle_min
        return False


def load(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with path.open() as handle:
        for row in csv.DictReader(handle):
            points[row["series"]].append((float(row["t_s"]), float(row["value"])))
    return {
        s: (np.array([t for t, _ in p]), np.array([v for _, v in p])) for s, p in points.items()
    }


SHARED = ("rss_mb:redis-server", "redis:used_memory_mb")
"""Plotted, not judged: the Redis server is shared with other databases (other benchmarks,
the machine's other users); the soak judges its own database's bytes (``redis:db_mb``)."""


def trend(series: str, t_s: np.ndarray, values: np.ndarray, span_s: float) -> Trend:
    middle = (t_s >= span_s / 3) & (t_s < 2 * span_s / 3)
    late = t_s >= 2 * span_s / 3
    fitted = t_s >= span_s / 3
    slope = 0.0
    if fitted.sum() >= 3:
        slope = float(np.polyfit(t_s[fitted] / 3600, values[fitted], 1)[0])
    return Trend(
        series=series,
        first=float(values[0]),
        last=float(values[-1]),
        middle_mean=float(values[middle].mean()) if middle.any() else float("nan"),
        last_mean=float(values[late].mean()) if late.any() else float("nan"),
        slope_h=slope,
        middle_min=float(values[middle].min()) if middle.any() else float("nan"),
        last_min=float(values[late].min()) if late.any() else float("nan"),
    )


def trends(data: dict[str, tuple[np.ndarray, np.ndarray]]) -> list[Trend]:
    span = max(float(t.max()) for t, _ in data.values()) if data else 0.0
    return [trend(s, t, v, span) for s, (t, v) in sorted(data.items()) if len(t) >= 2]


def table(found: list[Trend]) -> str:
    lines = [
        f"{'series':<32} {'first':>9} {'last':>9} {'mid 1/3':>9} {'last 1/3':>9} "
        f"{'Δ thirds':>9} {'slope/h':>10}  growth",
        "-" * 100,
    ]
    for item in found:
        judged = "GROWS" if item.grows() else "-"
        judged += " (shared: not judged)" if item.series in SHARED else ""
        lines.append(
            f"{item.series:<32} {item.first:>9.1f} {item.last:>9.1f} {item.middle_mean:>9.1f} "
            f"{item.last_mean:>9.1f} {item.thirds_pct:>8.1f}% {item.slope_h:>10.2f}  "
            f"{judged}"
        )
    return "\n".join(lines)


def verdict(found: list[Trend]) -> tuple[bool, str]:
    """(no growth, the rule and the series that broke it)."""
    rule = (
        "rule: a memory series (each process's RSS, the PostgreSQL backends' PSS, the soak's "
        f"Redis database) grows when its trend "
        f"after the first third is > {MEMORY_SLOPE_MB_H:g} MB/h AND its last third's mean is "
        f"> {MEMORY_THIRDS_PCT:g} % above the middle third's; the queue grows when it never "
        f"drains: its least depth in the last third is > {QUEUE_FLOOR:g} jobs and above the middle "
        "third's least; the Redis server's RSS and used_memory are plotted but not judged (shared)"
    )
    growing = [item.series for item in found if item.grows() and item.series not in SHARED]
    if growing:
        return False, f"{rule}\nGROWTH in: {', '.join(growing)}"
    return True, f"{rule}\nno growth trend"


def plot(data: dict[str, tuple[np.ndarray, np.ndarray]], out: Path, title: str = "") -> None:
    by_series = {item.series: item for item in trends(data)}
    panels = [(p, label) for p, label in PANELS if any(s.startswith(p) for s in data)]
    rows = (len(panels) + 1) // 2
    figure, grid = plt.subplots(rows, 2, figsize=(15, 3.2 * rows), sharex=True, squeeze=False)
    axes = list(grid.flat)
    span = max(float(t.max()) for t, _ in data.values())
    for axis, (prefix, label) in zip(axes, panels, strict=False):
        for series in sorted(s for s in data if s.startswith(prefix)):
            t_s, values = data[series]
            name = series.split(":", 1)[-1]
            item = by_series.get(series)
            slope = f" ({item.slope_h:+.1f}/h)" if item else ""
            (line,) = axis.plot(t_s / 60, values, lw=1.2, label=f"{name}{slope}")
            fitted = t_s >= span / 3
            if item and fitted.sum() >= 3:
                fit = np.polyfit(t_s[fitted], values[fitted], 1)
                ends = np.array([span / 3, float(t_s.max())])
                axis.plot(ends / 60, np.polyval(fit, ends), ls="--", lw=1, color=line.get_color())
        axis.set_title(label, fontsize=10, loc="left")
        axis.grid(alpha=0.3)
        axis.legend(fontsize=7, ncol=3, loc="upper left")
        axis.axvline(span / 3 / 60, color="grey", lw=0.6, ls=":")
    for axis in axes[len(panels) :]:
        axis.set_visible(False)
    for axis in axes[-2:]:
        axis.set_xlabel("minutes (dashed: linear trend after the first third)")
        axis.xaxis.set_tick_params(labelbottom=True)
    if title:
        figure.suptitle(title, fontsize=11)
    figure.tight_layout(rect=(0, 0, 1, 0.98 if title else 1))
    figure.savefig(out, dpi=80)
    plt.close(figure)
    with Image.open(out) as image:  # a palette of 256 colours: a third of the bytes, to commit
        image.convert("RGB").quantize(256).save(out, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("samples", type=Path)
    parser.add_argument("--out", type=Path, help="PNG; default beside the CSV")
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    data = load(args.samples)
    out = args.out or args.samples.with_suffix(".png")
    plot(data, out, args.title)
    found = trends(data)
    print(table(found))
    print(verdict(found)[1])
    print(f"plot: {out}")


if __name__ == "__main__":
    main()
