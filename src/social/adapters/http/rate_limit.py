"""Rate limits at the edge (OPS-1), with the standard headers.

The sign-in routes have strict rules per client IP; every other API route belongs to a class
(uploads, search, writes, reads), counted per user, or per IP when anonymous. Counting goes
through the ``RateLimiter`` port (Redis across processes, memory when embedded). Answers carry
``RateLimit-Limit/Remaining/Reset``; refusals are 429 problem+json with ``Retry-After``.

Another API surface served by the same app (the app API for Mastodon clients) is counted by the
same rules: its routes name a ``RateLimitStyle`` in their ``opt`` (``RATE_LIMIT_STYLE``), which
adds its own headers, words its own refusal and may say who an opaque token belongs to.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

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

__all__ = [
    "RATE_LIMIT_STYLE",
    "EndpointClasses",
    "RateLimitMiddleware",
    "RateLimitRule",
    "RateLimitStyle",
    "auth_rules",
]

log = logging.getLogger(__name__)

RATE_LIMIT_STYLE = "rate_limit_style"
"""The ``opt`` key under which a route (or its router) names its ``RateLimitStyle``."""


class RateLimitStyle(Protocol):
    """How another API surface shows the same limits to its clients."""

    async def identity(self, scope: Scope, token: str) -> str | None:
        """The key of a bearer token that is not our JWT (``user:<id>``), or ``None``: the
        client IP counts."""
        ...

    def headers(self, scope: Scope, decision: RateLimitDecision) -> list[tuple[bytes, bytes]]:
        """Headers added to the standard ones."""
        ...

    async def refuse(
        self, send: Send, decision: RateLimitDecision, headers: Sequence[tuple[bytes, bytes]]
    ) -> None:
        """The 429 answer (``headers``: the standard and the style's own, ``Retry-After``)."""
        ...


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
    oidc = [  # a started sign-in is a stored row, a callback a sign-in: both on the budget
        RateLimitRule("login", "GET", f"{prefix}/auth/oidc/{name}/{step}", login)
        for name in settings.oidc.providers()
        for step in ("start", "callback")
    ] + [
        RateLimitRule("login", "POST", f"{prefix}/me/oidc/{name}/link", login)
        for name in settings.oidc.providers()
    ]
    return [
        *oidc,
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
    roots: tuple[str, ...] = ()
    """Other API roots classified by the same rules (the app API's ``/api/v2``)."""
    twins: str = ""
    """A prefix under which copies of API paths are mounted (the app API's twins of colliding
    paths): stripped before classifying, so a twin counts as the path its client called."""

    @classmethod
    def from_settings(
        cls, settings: Settings, prefix: str, *, roots: tuple[str, ...] = (), twins: str = ""
    ) -> EndpointClasses:
        window = settings.rate_limits.rate_limit_window_s
        return cls(
            prefix=prefix,
            uploads=RateLimit(settings.rate_limits.rate_limit_uploads, window),
            search=RateLimit(settings.rate_limits.rate_limit_search, window),
            writes=RateLimit(settings.rate_limits.rate_limit_writes, window),
            reads=RateLimit(settings.rate_limits.rate_limit_reads, window),
            roots=roots,
            twins=twins,
        )

    def _rest(self, path: str) -> str | None:
        """The path below its API root, or ``None`` outside the API."""
        if self.twins and path.startswith(self.twins + "/"):
            path = path[len(self.twins) :]
        for root in (self.prefix, *self.roots):
            if path.startswith(root + "/"):
                return path[len(root) :]
        return None

    def classify(self, method: str, path: str) -> tuple[str, RateLimit] | None:
        if method in ("OPTIONS", "HEAD") or (rest := self._rest(path)) is None:
            return None
        if method == "POST" and (rest == "/media" or rest.startswith("/media/uploads")):
            return "uploads", self.uploads
        if method == "POST" and rest.startswith("/events/") and rest.endswith("/photos"):
            return "uploads", self.uploads  # an event's bulk photo upload (EVT-1)
        if method in ("PUT", "PATCH") and rest in ("/me/avatar", "/accounts/update_credentials"):
            return "uploads", self.uploads  # the app API's profile update carries the avatar
        if method == "GET" and rest.startswith(
            ("/search", "/places/", "/tags/", "/accounts/search")
        ):
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
        route = scope.get("route_handler")
        style: RateLimitStyle | None = route.opt.get(RATE_LIMIT_STYLE) if route else None
        rule = self._rules.get((method, path))
        if rule is not None:
            name, limit = rule.name, rule.limit
            key = f"{name}:ip:{client_ip(scope, self._proxies)}"
        elif self._classes is not None and (found := self._classes.classify(method, path)):
            name, limit = found
            key = f"{name}:{await self._identity(scope, style)}"
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
        if style is not None:
            headers += style.headers(scope, decision)
        if not decision.allowed:
            await (style.refuse if style is not None else _refuse)(send, decision, headers)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _identity(self, scope: Scope, style: RateLimitStyle | None) -> str:
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                if scheme.lower() == "bearer" and token:
                    try:
                        if style is not None and (found := await style.identity(scope, token)):
                            return found
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
    send: Send, decision: RateLimitDecision, headers: Sequence[tuple[bytes, bytes]]
) -> None:
    detail = f"Too many requests; try again in {decision.reset_after_s} s."
    retry_after = (b"retry-after", str(decision.reset_after_s).encode())
    await send_problem(send, 429, detail, [retry_after, *headers])
