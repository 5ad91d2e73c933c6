"""What a Locust run's ``<prefix>_stats.csv`` says, printed as the other benchmarks print: per
endpoint, then the total, each figure beside its target (met / MISSED) and beside
``/health/live`` measured on the same server in the same run."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Row:
    """One line of Locust's stats: an endpoint (its ``name``) or ``Aggregated``."""

    method: str
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    max_ms: float
    kib: float


def read_stats(prefix: Path) -> list[Row]:
    """The rows of ``<prefix>_stats.csv`` (the last row is ``Aggregated``)."""
    with Path(f"{prefix}_stats.csv").open() as handle:
        return [
            Row(
                method=r["Type"],
                name=r["Name"],
                requests=int(r["Request Count"]),
                failures=int(r["Failure Count"]),
                rps=float(r["Requests/s"]),
                p50=_ms(r["50%"]),
                p95=_ms(r["95%"]),
                p99=_ms(r["99%"]),
                max_ms=float(r["Max Response Time"]),
                kib=float(r["Average Content Size"]) / 1024,
            )
            for r in csv.DictReader(handle)
        ]


def _ms(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def failures(prefix: Path, limit: int = 8) -> list[str]:
    """The commonest failures Locust recorded, with their reasons."""
    path = Path(f"{prefix}_failures.csv")
    if not path.is_file():
        return []
    with path.open() as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: -int(r["Occurrences"]))
    found = [f"{r['Occurrences']:>7} x {r['Name']}: {r['Error'][:140]}" for r in rows[:limit]]
    return found + exceptions(prefix)


def exceptions(prefix: Path) -> list[str]:
    """Errors raised in the simulated users' own code (a bug of the load test, not a failed
    request): Locust keeps them apart from the failures."""
    path = Path(f"{prefix}_exceptions.csv")
    if not path.is_file():
        return []
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    return [f"{r['Count']:>7} x exception in the load test: {r['Message'][:140]}" for r in rows]


def table(rows: list[Row]) -> str:
    head = f"{'endpoint':<34} {'requests':>9} {'fail':>6} {'req/s':>8} "
    head += f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>8} {'KiB':>6}"
    lines = [head, "-" * len(head)]
    for r in sorted(rows, key=lambda r: (r.name == "Aggregated", -r.requests)):
        name = "ALL REQUESTS" if r.name == "Aggregated" else r.name
        lines.append(
            f"{name[:34]:<34} {r.requests:>9,} {r.failures:>6,} {r.rps:>8,.1f} {r.p50:>7,.0f} "
            f"{r.p95:>7,.0f} {r.p99:>7,.0f} {r.max_ms:>8,.0f} {r.kib:>6,.1f}"
        )
    return "\n".join(lines)


def beside(label: str, value: float, unit: str, target: float, *, at_most: bool = True) -> str:
    """``label  value unit  target ≤/≥ x  met|MISSED``."""
    met = value <= target if at_most else value >= target
    bound = "≤" if at_most else "≥"
    verdict = "met" if met else "MISSED"
    return f"{label:<46} {value:>9,.1f} {unit:<6} target {bound} {target:,.0f} {unit:<6} {verdict}"


def total(rows: list[Row]) -> Row:
    return next(r for r in rows if r.name == "Aggregated")


def pick(rows: list[Row], names: tuple[str, ...]) -> list[Row]:
    return [r for r in rows if r.name in names]


def combined_rps(rows: list[Row]) -> float:
    return sum(r.rps for r in rows)


def worst(rows: list[Row], field: str) -> float:
    return max((getattr(r, field) for r in rows), default=0.0)
