"""The soak (issue 19 part 4): the served stack under a steady Locust workload for a long time,
sampled every 10 s, then plotted and judged: errors, and whether any memory, pool or queue
series trends upward.

    uv run python benchmarks/soak/soak.py                       # 30 min at half the peak
    uv run python benchmarks/soak/soak.py --minutes 1 --users 10 --rate 20   # a smoke test
    flock /tmp/h19/bench.lock uv run python benchmarks/soak/soak.py --minutes 30

1. The database (``stack.prepare``): ``social_bench_soak``, the home-feed seed (10,000 users,
   200,000 posts, 2,000 signed-in accounts' tokens) — copied from the suggestions benchmark's
   database when that one is there (``CREATE DATABASE … TEMPLATE``, seconds) or seeded (about a
   minute); migrated to this checkout's head, ``post_tags`` and the search documents filled as
   the load test fills its own. The soak's Redis database is emptied (feeds rebuilt as read).
2. ``social serve --workers 2`` as the other benchmarks run it (``app_stack.serving``: Redis,
   rate limits off, jobs in process; ``--job-worker separate`` starts a ``social worker`` too).
3. ``sampler.Sampler`` every ``--interval`` s: each process's RSS and CPU, the pools'
   connections, SAQ's queue, Redis memory and keys, one ``/health/live``.
4. Locust headless for ``--minutes`` with ``--users`` users at ``--rate`` req/s in all (half of
   ``--peak`` unless given), CSV and HTML beside the samples; the workload is
   ``benchmarks/load/locustfile.py`` when it exists, else the stand-in ``standin_locustfile.py``.
   The load test's members think 2-14 s between requests, so with it ``--users`` defaults to
   ``--rate`` times 8 s and it gets ``--tokens-file`` and its classes ``TokenMember PasswordMember``
   (``--user-class`` to choose others). The stand-in paces each user with
   ``constant_throughput`` (``SOAK_USER_RPS`` = rate / users; ``SOAK_TOKENS``, the tokens).
5. Everything stopped; the plot (``plot.py``), the slopes, the errors and the verdict printed.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import statistics
import subprocess
import sys
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import plot
from app_stack import server_env, serving
from sampler import Sampler
from stack import job_worker, prepare, sampling

HERE = Path(__file__).resolve().parent
LOAD_LOCUSTFILE = HERE.parent / "load" / "locustfile.py"
STANDIN = HERE / "standin_locustfile.py"
PEAK_RPS = 1000.0
"""The peak the soak takes half of when neither ``--rate`` nor ``--peak`` is given: the §10
mixed-workload target, until the load test's measured peak is recorded (then pass ``--peak``)."""
MEAN_THINK_S = 8.0
"""The load test's members wait 2 to 14 s between tasks: its users = rate times this."""


def run_locust(args: argparse.Namespace, url: str, out: Path, env: dict[str, str]) -> int:
    command = [sys.executable, "-m", "locust", "-f", str(args.locustfile), "--headless"]
    command += ["-u", str(args.users), "-r", str(args.spawn_rate), "--host", url]
    command += ["-t", f"{round(args.minutes * 60)}s", "--stop-timeout", "10"]
    command += [
        "--csv",
        str(out / "locust"),
        "--csv-full-history",
        "--html",
        str(out / "locust.html"),
    ]
    command += ["--only-summary", "--loglevel", "WARNING", *args.locust_arg, *args.user_class]
    print(f"locust: {args.users} users, {args.rate:g} req/s in all, {args.minutes:g} min")
    with (out / "locust.log").open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.send_signal(signal.SIGINT)
            return process.wait(60)


def locust_rows(out: Path, started_unix: float) -> tuple[dict[str, str], list[list[object]]]:
    """The aggregated totals, and the history as sample rows (req/s, failures/s, p50/p99)."""
    totals: dict[str, str] = {}
    with suppress(OSError), (out / "locust_stats.csv").open() as handle:
        totals = next((r for r in csv.DictReader(handle) if r["Name"] == "Aggregated"), {})
    rows: list[list[object]] = []
    with suppress(OSError), (out / "locust_stats_history.csv").open() as handle:
        for row in csv.DictReader(handle):
            if row["Name"] != "Aggregated" or row["50%"] in ("N/A", ""):
                continue
            t_s = round(float(row["Timestamp"]) - started_unix, 1)
            rows.append([t_s, "load:req_per_s", row["Requests/s"], ""])
            rows.append([t_s, "load:failures_per_s", row["Failures/s"], ""])
            rows.append([t_s, "latency_ms:p50", row["50%"], ""])
            rows.append([t_s, "latency_ms:p99", row["99%"], ""])
    return totals, rows


def report(args: argparse.Namespace, out: Path, totals: dict[str, str]) -> bool:
    samples = out / "samples.csv"
    data = plot.load(samples)
    began = datetime.fromtimestamp(args.started_unix, UTC)
    title = f"soak {began:%Y-%m-%d %H:%M} UTC: {args.minutes:g} min, {args.users} users"
    plot.plot(data, out / "soak.png", f"{title}, {args.rate:g} req/s asked")
    found = plot.trends(data)
    print()
    print(plot.table(found))
    flat, rule = plot.verdict(found)
    requests = int(totals.get("Request Count", 0) or 0)
    failures = int(totals.get("Failure Count", 0) or 0)
    health = data.get("health_ms")
    print()
    print(f"requests {requests:,}, failures {failures:,} (target: 0)")
    print(f"throughput {float(totals.get('Requests/s', 0) or 0):,.1f} req/s (asked {args.rate:g})")
    worst = float(totals.get("Max Response Time", 0) or 0)
    print(
        f"latency p50 {totals.get('50%', '?')} ms, p95 {totals.get('95%', '?')} ms, "
        f"p99 {totals.get('99%', '?')} ms, max {worst:,.0f} ms (target: p99 < 200 ms)"
    )
    if health is not None:
        median = float(statistics.median(health[1].tolist()))
        print(
            f"/health/live in the same run, one per sample: median {median:.1f} ms, "
            f"max {float(health[1].max()):.1f} ms over {len(health[1])} samples"
        )
    print(rule)
    met = flat and failures == 0 and requests > 0
    why = [] if flat else ["a series grows"]
    why += [f"{failures} failed requests"] if failures else []
    print(f"soak verdict: {'met' if met else 'MISSED (' + '; '.join(why or ['no requests']) + ')'}")
    print(f"files: {out}/samples.csv, soak.png, locust_stats*.csv, locust.html")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:54329/social_bench_soak"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6390/12")
    parser.add_argument("--tokens", default="/tmp/social_bench_soak/tokens.txt")  # noqa: S108
    parser.add_argument("--reseed", action="store_true", help="seed the database again")
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--workers", type=int, default=2, help="API processes")
    parser.add_argument("--job-worker", choices=("in-process", "separate"), default="in-process")
    parser.add_argument("--locustfile", type=Path, default=None)
    parser.add_argument("--users", type=int, default=0, help="default: from --rate (see above)")
    parser.add_argument("--spawn-rate", type=float, default=None, help="default: users / 30 s")
    parser.add_argument("--peak", type=float, default=PEAK_RPS, help="the load test's peak req/s")
    parser.add_argument("--rate", type=float, default=None, help="req/s in all; default peak / 2")
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between samples")
    parser.add_argument(
        "--out", type=Path, default=None, help="default /tmp/social_bench_soak/<time>"
    )
    parser.add_argument("--locust-arg", action="append", default=[], help="passed to locust")
    parser.add_argument("--user-class", action="append", default=[], help="Locust user classes")
    args = parser.parse_args()
    args.rate = args.rate if args.rate is not None else args.peak / 2
    if args.locustfile is None:
        args.locustfile = LOAD_LOCUSTFILE if LOAD_LOCUSTFILE.is_file() else STANDIN
    args.locustfile = args.locustfile.resolve()
    args.load_test = args.locustfile == LOAD_LOCUSTFILE
    if args.load_test:  # its members think 2-14 s: the rate follows from the users
        args.users = args.users or max(1, round(args.rate * MEAN_THINK_S))
        args.locust_arg = ["--tokens-file", str(Path(args.tokens).resolve()), *args.locust_arg]
        args.locust_arg += [] if args.user_class else ["TokenMember", "PasswordMember"]
    args.users = args.users or 200
    args.spawn_rate = args.spawn_rate or max(1.0, args.users / 30)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out or Path(args.tokens).parent / f"soak-{stamp}"
    out.mkdir(parents=True, exist_ok=True)
    print(
        f"== Soak: {args.locustfile}, {args.workers} API "
        f"processes, jobs {args.job_worker}, samples every {args.interval:g} s -> {out}"
    )
    env = server_env(args.database_url, args.redis_url, Path(args.tokens).parent / "data")
    prepare(args.database_url, args.redis_url, Path(args.tokens), env, reseed=args.reseed)
    if args.job_worker == "separate":
        env["SOCIAL_RUN_WORKER_IN_PROCESS"] = "false"
    locust_env = dict(os.environ) | {
        "SOAK_TOKENS": str(Path(args.tokens).resolve()),
        "SOAK_USER_RPS": f"{args.rate / args.users:.6f}",
    }
    with (
        serving(env, args.port, args.workers, out / "serve.log") as server,
        job_worker(env, out / "worker.log", args.job_worker == "separate") as worker_pgid,
    ):
        sampler = Sampler(
            pgid=server.process.pid,
            worker_pgid=worker_pgid,
            database_url=args.database_url,
            redis_url=args.redis_url,
            base_url=server.url,
            out=out / "samples.csv",
            interval_s=args.interval,
        )
        with sampling(sampler):
            code = run_locust(args, server.url, out, locust_env)
    args.started_unix = sampler.started_unix
    totals, rows = locust_rows(out, sampler.started_unix)
    with (out / "samples.csv").open("a", newline="") as handle:
        csv.writer(handle).writerows(rows)
    print(f"locust exited {code}; {sampler.ticks} samples")
    sys.exit(0 if report(args, out, totals) else 1)


if __name__ == "__main__":
    main()
