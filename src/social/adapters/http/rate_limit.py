"""Rate limits at the edge (OPS-1), with the standard headers.

The sign-in routes have strict rules per client IP; every other API route belongs to a class
(uploads, search, writes, reads), counted per user, or per IP when anonymous. Counting goes
through the ``RateLimiter`` port (Redis across processes, memory when embedded). Answers carry
``RateLimit-Limit/Remaining/Reset``; refusals are 429 problem+json with ``Retry-After``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    Message,
    Receive,
    Scope,
    Send,
)

from social.adapters.http.client_ip import Networks, client_ip
from social.adapters.http.problems import send_problem
from social.domain.shared.rate_limits import RateLimit, RateLimitDecision, RateLimiter
from social.settings import Settings

__all__ = ["EndpointClasses", "RateLimitMiddleware", "RateLimitRule", "auth_rules"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RateLimitRule:
    name: str
    method: str
    path: str
    limit: RateLimit


def auth_rules(settings: Settings, prefix: str) -> list[RateLimitRule]:
    """The strict per-IP rules of the sign-in routes (guessing passwords, making accounts).
    The client-app API's token endpoint and authorization page check passwords too: they
    count on the sign-in budget (one budget, whichever door); registering an app counts as
    registering."""
    login = RateLimit(
        settings.rate_limits.rate_limit_login, settings.rate_limits.rate_limit_login_window_s
    )
    register = RateLimit(
        settings.rate_limits.rate_limit_register,
        settings.rate_limits.rate_limit_register_window_s,
    )
    return [
        RateLimitRule("login", "POST", "/oauth/token", login),
        RateLimitRule("login", "POST", "/oauth/authorize", login),
        RateLimitRule("register", "POST", f"{prefix}/apps", register),
        RateLimitRule(
            "login",
            "POST",
            f"{prefix}/auth/login",
            RateLimit(
                settings.rate_limits.rate_limit_login,
                settings.rate_limits.rate_limit_login_window_s,
            ),
        ),
        RateLimitRule(
            "register",
            "POST",
            f"{prefix}/auth/register",
            RateLimit(
                settings.rate_limits.rate_limit_register,
                settings.rate_limits.rate_limit_register_window_s,
            ),
        ),
        RateLimitRule(
            "password-forgot",
            "POST",
            f"{prefix}/auth/password/forgot",
            RateLimit(
                settings.rate_limits.rate_limit_password_forgot,
                settings.rate_limits.rate_limit_password_forgot_window_s,
            ),
        ),
        RateLimitRule(
            "refresh",
            "POST",
            f"{prefix}/auth/refresh",
            RateLimit(
                settings.rate_limits.rate_limit_refresh,
                settings.rate_limits.rate_limit_refresh_window_s,
            ),
        ),
    ]


@dataclass(frozen=True, slots=True)
class EndpointClasses:
    """Every other API route falls into one class, counted per user (per IP when anonymous)."""

    prefix: str
    uploads: RateLimit
    search: RateLimit
    writes: RateLimit
    reads: RateLimit

    @classmethod
    def from_settings(cls, settings: Settings, prefix: str) -> EndpointClasses:
        window = settings.rate_limits.rate_limit_window_s
        return cls(
            prefix=prefix,
            uploads=RateLimit(settings.rate_limits.rate_limit_uploads, window),
            search=RateLimit(settings.rate_limits.rate_limit_search, window),
            writes=RateLimit(settings.rate_limits.rate_limit_writes, window),
            reads=RateLimit(settings.rate_limits.rate_limit_reads, window),
        )

    def classify(self, method: str, path: str) -> tuple[str, RateLimit] | None:
        if not path.startswith(self.prefix + "/") or method in ("OPTIONS", "HEAD"):
            return None
        rest = path[len(self.prefix) :]
        if method == "POST" and (rest == "/media" or rest.startswith("/media/uploads")):
            return "uploads", self.uploads
        if method == "PUT" and rest == "/me/avatar":
            return "uploads", self.uploads
        if method == "GET" and rest.startswith(("/search", "/places/", "/tags/")):
            return "search", self.search
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            return "writes", self.writes
        if method == "GET":
            return "reads", self.reads
        return None


class RateLimitMiddleware:
    """Counts through ``app.state.adapters.rate_limiter`` (adapters open after start-up).

    The user is read from the access token's signature-checked claims without a database trip
    (a revoked token still counts against its user: it is refused a moment later anyway)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        rules: list[RateLimitRule],
        classes: EndpointClasses | None = None,
        proxies: Networks | None = None,
    ) -> None:
        self.app = app
        self._rules = {(rule.method, rule.path): rule for rule in rules}
        self._classes = classes
        self._proxies = proxies or Networks(())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"].rstrip("/")
        rule = self._rules.get((method, path))
        if rule is not None:
            name, limit = rule.name, rule.limit
            key = f"{name}:ip:{client_ip(scope, self._proxies)}"
        elif self._classes is not None and (found := self._classes.classify(method, path)):
            name, limit = found
            key = f"{name}:{self._identity(scope)}"
        else:
            await self.app(scope, receive, send)
            return
        try:
            limiter: RateLimiter = scope["app"].state.adapters.rate_limiter
            decision = await limiter.hit(key, limit)
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

    def _identity(self, scope: Scope) -> str:
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                if scheme.lower() == "bearer" and token:
                    try:
                        claims = scope["app"].state.adapters.tokens.verify_access_token(token)
                        return f"user:{claims.user_id}"
                    except Exception:  # an invalid token is refused later; count the IP
                        break
        return f"ip:{client_ip(scope, self._proxies)}"


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
    retry_after = (b"retry-after", str(decision.reset_after_s).encode())
    await send_problem(send, 429, detail, [retry_after, *headers])
