"""What operators watch: Prometheus metrics endpoints and the readiness check's patience."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ObservabilitySettings"]


@dataclass(frozen=True, slots=True)
class ObservabilitySettings:
    """Metrics (worker port, API-port token) and health checks."""

    worker_metrics_port: int = 0
    """Where ``social worker`` serves its Prometheus metrics (on ``host``); 0: not served."""
    metrics_token: str = ""
    """Bearer token ``/metrics`` asks of the API port's scrapers; empty: not served there."""
    health_check_timeout_s: float = 2.0
