"""Liveness and readiness; readiness probes every configured dependency at once."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal, cast

import msgspec
from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi import ResponseSpec

from social.adapters.http.problems import PROBLEM_JSON, problem_response
from social.domain.shared.ports import DependencyCheck

__all__ = ["HealthController"]

log = logging.getLogger(__name__)
Check = Literal["ok", "down"]


class LiveOut(msgspec.Struct):
    status: Literal["ok"]


class ReadyOut(msgspec.Struct):
    status: Literal["ok"]
    checks: dict[str, Check]


class NotReadyOut(msgspec.Struct, kw_only=True):
    """The 503 problem of ``/health/ready``: ``checks`` per dependency, ``down`` those failing."""

    type: str
    title: str
    status: int
    detail: str
    checks: dict[str, Check]
    down: list[str]


class HealthController(Controller):
    path = "/health"
    tags = ["operations"]

    @get(
        "/live",
        operation_id="live",
        cache=False,
        summary="Liveness: the process runs and answers",
    )
    async def live(self) -> LiveOut:
        """The process runs and its event loop answers."""
        return LiveOut(status="ok")

    @get(
        "/ready",
        operation_id="ready",
        cache=False,
        summary="Readiness: every dependency answers",
        responses={
            503: ResponseSpec(
                data_container=NotReadyOut,
                description="A dependency is down (`down` names it)",
                media_type=PROBLEM_JSON,
                generate_examples=False,
            )
        },
    )
    async def ready(self, state: State) -> Response[ReadyOut]:
        """200 when every dependency answers within the timeout; 503 naming those that do not."""
        checks: list[DependencyCheck] = state.adapters.checks
        timeout: float = state.adapters.settings.observability.health_check_timeout_s
        results = await asyncio.gather(*(_probe(check, timeout) for check in checks))
        statuses = dict(zip((c.name for c in checks), results, strict=True))
        down = [name for name, status in statuses.items() if status != "ok"]
        if down:
            problem = problem_response(
                503,
                f"Unavailable: {', '.join(down)}.",
                code="service-unavailable",
                headers={"Retry-After": "5"},  # as every other 503: a probe or client may retry
                checks=statuses,
                down=down,
            )
            return cast("Response[ReadyOut]", problem)  # documented as the 503 above
        return Response(ReadyOut(status="ok", checks=statuses))


async def _probe(check: DependencyCheck, limit_s: float) -> Check:
    try:
        await asyncio.wait_for(check.check(), limit_s)
    except Exception as exc:  # any failure means "down"; the log says why
        log.warning("readiness check failed", extra={"dependency": check.name, "error": repr(exc)})
        return "down"
    return "ok"
