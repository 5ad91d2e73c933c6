"""Reset a forgotten password (AUTH-8): a single-use link valid one hour, mailed without ever
revealing whether an account has the address; using it signs every device out."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from social.domain.accounts.jobs import SecurityEvent, SendPasswordReset, SendSecurityNotice
from social.domain.accounts.mails import password_reset_mail
from social.domain.accounts.one_time_tokens import (
    InvalidToken,
    TokenPurpose,
    hash_one_time_token,
    issue_one_time_token,
)
from social.domain.accounts.ports import ActiveSessionLookup, PasswordHasher, UnitOfWorkFactory
from social.domain.accounts.rules import AccountLimits, parse_email, validate_password
from social.domain.accounts.throttle import throttle
from social.domain.shared.clock import Clock
from social.domain.shared.mail import Mailer
from social.domain.shared.rate_limits import RateLimit, RateLimiter

__all__ = ["ForgotPassword", "MailPasswordReset", "ResetPassword"]


class ForgotPassword:
    """Rules: the request does the same work whatever the address: it counts the address
    against its limit and queues a job carrying only the address's lookup key (never the
    address, never a token); the job finds the account, if any. So the answer, and its time,
    say nothing about whether an account exists."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        limiter: RateLimiter,
        limit: RateLimit,
        limits: AccountLimits,
    ) -> None:
        self._uow = uow
        self._limiter = limiter
        self._limit = limit
        self._limits = limits

    async def execute(self, email: str) -> None:
        address = parse_email(email, self._limits)
        async with self._uow() as uow:
            key = uow.account_tokens.email_key(address)
            await throttle(
                self._limiter,
                f"password-forgot:email:{key}",
                self._limit,
                "Too many reset mails asked for this address; try again later.",
            )
            await uow.jobs.enqueue(SendPasswordReset(key))
            await uow.commit()


class MailPasswordReset:
    """The job: rules: an active account with that address gets a new reset token (only its
    hash is stored) in a mail; an unknown address, or a suspended or deleted account, gets
    nothing."""

    def __init__(
        self, *, uow: UnitOfWorkFactory, mailer: Mailer, clock: Clock, base_url: str, ttl: timedelta
    ) -> None:
        self._uow = uow
        self._mailer = mailer
        self._clock = clock
        self._base_url = base_url
        self._ttl = ttl

    async def execute(self, email_key: str) -> bool:
        """``True`` when a mail was sent."""
        async with self._uow() as uow:
            user_id = await uow.account_tokens.user_for_email_key(email_key)
            user = await uow.users.get(user_id) if user_id else None
            if user is None or not user.is_active:
                return False
            token = await issue_one_time_token(
                uow.account_tokens,
                user.id,
                TokenPurpose.RESET_PASSWORD,
                now=self._clock.now(),
                ttl=self._ttl,
            )
            await uow.commit()
        minutes = int(self._ttl.total_seconds() // 60)
        await self._mailer.send(
            password_reset_mail(user.email, user.username, self._base_url, token, minutes)
        )
        return True


class ResetPassword:
    """Rules: a reset token of an active account, unused and unexpired, sets a new password
    that follows the sign-up rules (a refused password leaves the token usable); the token and
    every other reset token of the account are used up, every session and refresh token is
    revoked at once, the address counts as verified (the mail reached its owner) and the owner
    is told by mail."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        limits: AccountLimits,
        sessions: ActiveSessionLookup,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._limits = limits
        self._sessions = sessions

    async def execute(self, token: str, new_password: str) -> None:
        token_hash = hash_one_time_token(token)
        async with self._uow() as uow:
            record = await uow.account_tokens.find(
                token_hash, TokenPurpose.RESET_PASSWORD, self._clock.now()
            )
            user = await uow.users.get(record.user_id) if record else None
        if user is None or not user.is_active:
            raise InvalidToken()
        validate_password(
            new_password,
            self._limits,
            field="new_password",
            avoid=(user.username, user.email.partition("@")[0]),
        )
        new_hash = await self._hasher.hash(new_password)
        now = self._clock.now()
        async with self._uow() as uow:
            claimed = await uow.account_tokens.claim(token_hash, TokenPurpose.RESET_PASSWORD, now)
            current = await uow.users.get(user.id, for_update=True) if claimed else None
            if current is None or not current.is_active:
                raise InvalidToken()
            verified = current.email_verified_at or now
            await uow.users.update(
                replace(current, password_hash=new_hash, email_verified_at=verified, updated_at=now)
            )
            await uow.sessions.revoke_user_sessions(user.id, now, "password-reset")
            await uow.account_tokens.discard(user.id, TokenPurpose.RESET_PASSWORD)
            await uow.jobs.enqueue(SendSecurityNotice(user.id, SecurityEvent.PASSWORD_RESET))
            await uow.commit()
        self._sessions.forget_user(user.id)
