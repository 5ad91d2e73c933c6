"""The app API's face of our rate limits: the same limiter, rules and counts as the native API
(adapters/http/rate_limit.py), shown as Mastodon clients read them.

Every counted answer of an app-API route carries ``X-RateLimit-Limit``, ``X-RateLimit-Remaining``
and ``X-RateLimit-Reset`` (when the window ends, as an RFC 3339 time) together, beside the
standard ``RateLimit-*``; a refusal is ``429 {"error": "Too many requests"}`` with
``Retry-After``. An app token counts against its user (the budget the user's native token
shares); the caller it resolves to is kept for the handler's ``caller``, so it is looked up once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from litestar.types import Scope, Send

from social.adapters.mastodon.auth import is_app_token, remember_app_caller
from social.adapters.mastodon.raw import send_error
from social.domain.accounts.authenticate_app import AuthenticateApp
from social.domain.shared.clock import Clock
from social.domain.shared.errors import AuthenticationFailed
from social.domain.shared.rate_limits import RateLimitDecision
from social.use_cases import UseCases

__all__ = ["APP_RATE_LIMITS", "AppRateLimits"]


def _rfc3339(scope: Scope, seconds: int) -> bytes:
    clock: Clock = scope["app"].state.adapters.clock
    at = clock.now() + timedelta(seconds=seconds)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3].encode() + b"Z"


class AppRateLimits:
    """The ``RateLimitStyle`` of the app API's routes (their router's ``opt``)."""

    async def identity(self, scope: Scope, token: str) -> str | None:
        if not is_app_token(token):
            return None  # a JWT: the limiter reads its claims
        use_cases: UseCases = scope["app"].state.use_cases
        try:
            caller = await use_cases.get(AuthenticateApp).execute(token)
        except AuthenticationFailed:
            return None  # refused by the handler; meanwhile its IP counts
        remember_app_caller(scope, token, caller)
        if caller.viewer is not None:
            return f"user:{caller.viewer.user_id}"
        return f"app:{caller.app_id}"  # a client-credentials token: the app alone

    def headers(self, scope: Scope, decision: RateLimitDecision) -> list[tuple[bytes, bytes]]:
        return [
            (b"x-ratelimit-limit", str(decision.limit).encode()),
            (b"x-ratelimit-remaining", str(decision.remaining).encode()),
            (b"x-ratelimit-reset", _rfc3339(scope, decision.reset_after_s)),
        ]

    async def refuse(
        self, send: Send, decision: RateLimitDecision, headers: Sequence[tuple[bytes, bytes]]
    ) -> None:
        retry_after = (b"retry-after", str(decision.reset_after_s).encode())
        await send_error(send, 429, "Too many requests", [retry_after, *headers])


APP_RATE_LIMITS = AppRateLimits()
