"""Verify the account's email address (AUTH-8): a single-use link mailed at sign-up and on
request, valid 24 hours; ``Me.email_verified`` says whether it was used."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from social.domain.accounts.jobs import SendEmailVerification
from social.domain.accounts.mails import verification_mail
from social.domain.accounts.one_time_tokens import (
    InvalidToken,
    TokenPurpose,
    hash_one_time_token,
    issue_one_time_token,
)
from social.domain.accounts.ports import UnitOfWorkFactory
from social.domain.accounts.throttle import throttle
from social.domain.shared.clock import Clock
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.mail import Mailer
from social.domain.shared.rate_limits import RateLimit, RateLimiter

__all__ = ["MailEmailVerification", "RequestEmailVerification", "VerifyEmail"]


class MailEmailVerification:
    """The job: rules: an active account whose address is not verified yet gets a new token
    (only its hash is stored) in a mail; otherwise nothing happens. A retry after a mail-server
    outage mints another token: an unmailed one is never known to anybody."""

    def __init__(
        self, *, uow: UnitOfWorkFactory, mailer: Mailer, clock: Clock, base_url: str, ttl: timedelta
    ) -> None:
        self._uow = uow
        self._mailer = mailer
        self._clock = clock
        self._base_url = base_url
        self._ttl = ttl

    async def execute(self, user_id: UUID) -> bool:
        """``True`` when a mail was sent."""
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None or not user.is_active or user.email_verified_at is not None:
                return False
            token = await issue_one_time_token(
                uow.account_tokens,
                user.id,
                TokenPurpose.VERIFY_EMAIL,
                now=self._clock.now(),
                ttl=self._ttl,
            )
            await uow.commit()
        hours = int(self._ttl.total_seconds() // 3600)
        await self._mailer.send(
            verification_mail(user.email, user.username, self._base_url, token, hours)
        )
        return True


class RequestEmailVerification:
    """Rules: the signed-in owner asks for the mail again, a few times an hour at most; an
    address already verified gets nothing (the answer is the same)."""

    def __init__(self, *, uow: UnitOfWorkFactory, limiter: RateLimiter, limit: RateLimit) -> None:
        self._uow = uow
        self._limiter = limiter
        self._limit = limit

    async def execute(self, viewer: Viewer) -> None:
        await throttle(
            self._limiter,
            f"email-verification:user:{viewer.user_id}",
            self._limit,
            "Too many verification mails asked for; try again later.",
        )
        async with self._uow() as uow:
            user = await uow.users.get(viewer.user_id)
            if user is None or not user.is_active:
                raise NotFound("The account does not exist.")
            if user.email_verified_at is None:
                await uow.jobs.enqueue(SendEmailVerification(user.id))
                await uow.commit()


class VerifyEmail:
    """Rules: a verification token of an active account, unused and unexpired, marks its
    address verified and is used up; anything else is ``InvalidToken`` (one answer for
    unknown, used and expired)."""

    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, token: str) -> None:
        now = self._clock.now()
        async with self._uow() as uow:
            record = await uow.account_tokens.claim(
                hash_one_time_token(token), TokenPurpose.VERIFY_EMAIL, now
            )
            user = await uow.users.get(record.user_id, for_update=True) if record else None
            if user is None or not user.is_active:
                raise InvalidToken()
            if user.email_verified_at is None:
                await uow.users.update(replace(user, email_verified_at=now, updated_at=now))
            await uow.commit()
