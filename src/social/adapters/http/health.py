"""Liveness and readiness; readiness probes every configured dependency at once."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from litestar import Controller, Response, get
from litestar.datastructures import State

from social.adapters.http.errors import problem_response
from social.domain.shared.ports import DependencyCheck

__all__ = ["HealthController"]

log = logging.getLogger(__name__)


class HealthController(Controller):
    path = "/health"
    include_in_schema = False

    @get("/live", operation_id="live", cache=False)
    async def live(self) -> dict[str, str]:
        """The process runs and its event loop answers."""
        return {"status": "ok"}

    @get("/ready", operation_id="ready", cache=False)
    async def ready(self, state: State) -> Response[Any]:
        """200 when every dependency answers within the timeout; 503 naming those that do not."""
        checks: list[DependencyCheck] = state.adapters.checks
        timeout: float = state.adapters.settings.health_check_timeout_s
        results = await asyncio.gather(*(_probe(check, timeout) for check in checks))
        statuses = dict(zip((c.name for c in checks), results, strict=True))
        down = [name for name, status in statuses.items() if status != "ok"]
        if down:
            return problem_response(
                503,
                f"Unavailable: {', '.join(down)}.",
                code="service-unavailable",
                checks=statuses,
                down=down,
            )
        return Response({"status": "ok", "checks": statuses})


async def _probe(check: DependencyCheck, limit_s: float) -> str:
    try:
        await asyncio.wait_for(check.check(), limit_s)
    except Exception as exc:  # any failure means "down"; the log says why
        log.warning("readiness check failed", extra={"dependency": check.name, "error": repr(exc)})
        return "down"
    return "ok"
