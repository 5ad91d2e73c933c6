"""Checking a second factor: the rules login, confirmation and disabling share (AUTH-7)."""

from __future__ import annotations

import hmac
from uuid import UUID

from social.domain.accounts.two_factor import DRIFT_STEPS, hash_recovery_code, is_totp_code
from social.domain.accounts.two_factor_ports import OneTimeCodes, TwoFactorUnitOfWork
from social.domain.shared.clock import Clock
from social.domain.shared.errors import RateLimited
from social.domain.shared.rate_limits import RateLimit, RateLimiter

__all__ = ["SecondFactor"]


class SecondFactor:
    """Rules: an account gets at most ``limit`` code checks per window, whoever asks (six
    digits are guessable otherwise; the check runs only after the password was verified, so
    a refusal reveals nothing to someone without it); a TOTP code counts for the current time
    step or one either side (clock drift), and only for a step after the last one accepted, so
    a code cannot be replayed within its window; anything else is taken for a recovery code,
    each of which works once."""

    def __init__(
        self,
        *,
        codes: OneTimeCodes,
        clock: Clock,
        limiter: RateLimiter | None,
        limit: RateLimit,
    ) -> None:
        self._codes = codes
        self._clock = clock
        self._limiter = limiter
        self._limit = limit

    async def throttle(self, user_id: UUID) -> None:
        """Count one code check of the account; ``RateLimited`` when over the budget."""
        if self._limiter is None:
            return
        decision = await self._limiter.hit(f"otp:user:{user_id}", self._limit)
        if not decision.allowed:
            raise RateLimited(
                f"Too many codes tried; try again in {decision.reset_after_s} s.",
                retry_after_s=decision.reset_after_s,
            )

    def matching_step(self, secret: str, code: str, *, after: int | None = None) -> int | None:
        """The time step (around now, after ``after``) whose code ``code`` is, if any."""
        code = "".join(code.split())
        if not is_totp_code(code):
            return None
        now = self._codes.time_step(self._clock.now())
        found = None
        for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
            if after is not None and step <= after:
                continue
            if hmac.compare_digest(self._codes.code_at(secret, step), code):
                found = step
        return found

    async def verify(self, uow: TwoFactorUnitOfWork, user_id: UUID, otp: str) -> bool:
        """Whether ``otp`` (a TOTP code or an unused recovery code) is the account's second
        factor; an accepted one is spent in ``uow``'s transaction (the caller commits)."""
        await self.throttle(user_id)
        enrolment = await uow.two_factor.get(user_id)
        if enrolment is None:
            return False
        compact = "".join(otp.split())
        if is_totp_code(compact):
            step = self.matching_step(enrolment.secret, compact, after=enrolment.last_step)
            return step is not None and await uow.two_factor.claim_step(user_id, step)
        code_hash = hash_recovery_code(user_id, compact)
        return await uow.two_factor.use_recovery_code(user_id, code_hash, self._clock.now())
