"""Background jobs: where they run, how many at once, and how lost ones are found again."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["JobSettings"]


@dataclass(frozen=True, slots=True)
class JobSettings:
    """The job worker and the outbox relay that feeds it."""

    run_worker_in_process: bool | None = None
    """Run background jobs inside the API process; default: on when no Redis is configured."""
    job_concurrency: int = 10
    job_heartbeat_s: int = 30
    """A running job is touched every third of this; one left untouched this long (its worker
    was killed) is queued again."""
    job_sweep_s: int = 10
    """How often a worker looks for stuck jobs."""
    outbox_relay_after_s: float = 10.0
    """Outbox jobs older than this that are still undispatched are queued by the relay."""
