"""Rate limits at the edge: per client IP for anonymous routes, with the standard headers.

Each limited route belongs to a class with its own rule (settings); counting goes through the
``RateLimiter`` port (Redis across processes, memory when embedded). Answers carry
``RateLimit-Limit/Remaining/Reset``; refusals are 429 problem+json with ``Retry-After``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

from social.adapters.http.errors import PROBLEM_JSON, problem_document
from social.domain.shared.rate_limits import RateLimit, RateLimitDecision, RateLimiter
from social.settings import Settings

__all__ = ["RateLimitMiddleware", "RateLimitRule", "auth_rules"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RateLimitRule:
    name: str
    method: str
    path: str
    limit: RateLimit


def auth_rules(settings: Settings, prefix: str) -> list[RateLimitRule]:
    return [
        RateLimitRule(
            "login",
            "POST",
            f"{prefix}/auth/login",
            RateLimit(settings.rate_limit_login, settings.rate_limit_login_window_s),
        ),
        RateLimitRule(
            "register",
            "POST",
            f"{prefix}/auth/register",
            RateLimit(settings.rate_limit_register, settings.rate_limit_register_window_s),
        ),
        RateLimitRule(
            "refresh",
            "POST",
            f"{prefix}/auth/refresh",
            RateLimit(settings.rate_limit_refresh, settings.rate_limit_refresh_window_s),
        ),
    ]


class RateLimitMiddleware:
    """Counts through ``app.state.adapters.rate_limiter`` (adapters open after start-up)."""

    def __init__(self, app: ASGIApp, *, rules: list[RateLimitRule]) -> None:
        self.app = app
        self._rules = {(rule.method, rule.path): rule for rule in rules}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = None
        if scope["type"] == ScopeType.HTTP:
            rule = self._rules.get((scope["method"], scope["path"].rstrip("/")))
        if rule is None:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = f"{rule.name}:ip:{client[0] if client else 'unknown'}"
        try:
            limiter: RateLimiter = scope["app"].state.adapters.rate_limiter
            decision = await limiter.hit(key, rule.limit)
        except Exception:  # a limiter outage must not take the API down with it
            log.warning("rate limiter unavailable; request allowed", exc_info=True)
            await self.app(scope, receive, send)
            return
        headers = _headers(decision)
        if not decision.allowed:
            await _refuse(send, decision, headers)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _headers(decision: RateLimitDecision) -> list[tuple[bytes, bytes]]:
    return [
        (b"ratelimit-limit", str(decision.limit).encode()),
        (b"ratelimit-remaining", str(decision.remaining).encode()),
        (b"ratelimit-reset", str(decision.reset_after_s).encode()),
    ]


async def _refuse(
    send: Send, decision: RateLimitDecision, headers: list[tuple[bytes, bytes]]
) -> None:
    detail = f"Too many requests; try again in {decision.reset_after_s} s."
    body = json.dumps(problem_document(429, detail)).encode()
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": 429,
        "headers": [
            (b"content-type", PROBLEM_JSON.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(decision.reset_after_s).encode()),
            *headers,
        ],
    }
    await send(start)
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(end)
