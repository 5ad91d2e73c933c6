"""Prometheus metrics of our own, beside Litestar's HTTP ones (``social_request*``): jobs, the
queue, fan-out lag, the search outbox, WebSocket connections and lost activity-log entries
(OPS-3).

Metrics are per process. The API serves them at ``/metrics``; a separate ``social worker``
serves its own on ``SOCIAL_WORKER_METRICS_PORT`` (jobs run there). With several API processes
(``--workers``), each answers for itself: run one per container, or scrape each.
"""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

__all__ = [
    "ACTIVITY_DROPPED",
    "JOB_DURATION",
    "JOB_LATENCY",
    "QUEUE_DEPTH",
    "SEARCH_BACKLOG",
    "WEBSOCKETS",
    "observe_job",
]

_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)

JOB_DURATION = Histogram(
    "social_job_duration_seconds",
    "Time a job ran, by task and outcome (``job`` is Prometheus's own label).",
    ["task", "outcome"],
    buckets=_BUCKETS,
)
JOB_LATENCY = Histogram(
    "social_job_latency_seconds",
    "From enqueue to done, by task; for fan_out_post this is the fan-out lag (a post → its "
    "followers' stored feeds).",
    ["task"],
    buckets=_BUCKETS,
)
QUEUE_DEPTH = Gauge("social_job_queue_depth", "Jobs in the queue, by state.", ["state"])
SEARCH_BACKLOG = Gauge(
    "social_search_changes_waiting", "Changes waiting to reach the search index."
)
WEBSOCKETS = Gauge("social_websocket_connections", "Open WebSocket stream connections.")
ACTIVITY_DROPPED = Counter(
    "social_activity_entries_dropped",
    "Activity-log entries lost: pushed out of a full buffer, or in a batch that kept failing.",
)


def observe_job(job: Any) -> None:
    """Record a finished SAQ job (its timestamps are epoch milliseconds)."""
    name = str(getattr(job, "function", "unknown"))
    outcome = str(getattr(getattr(job, "status", None), "value", "unknown"))
    started, queued = getattr(job, "started", 0) or 0, getattr(job, "queued", 0) or 0
    now_ms = time.time() * 1000
    if started:
        JOB_DURATION.labels(name, outcome).observe(max(now_ms - started, 0) / 1000)
    if queued:
        JOB_LATENCY.labels(name).observe(max(now_ms - queued, 0) / 1000)
