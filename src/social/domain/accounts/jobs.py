"""The accounts context's own jobs: the mails about an account, sent after the change that
asked for them committed (a request never waits on the mail server; an outage is retried)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from social.domain.shared.jobs import Job

__all__ = ["SecurityEvent", "SendEmailVerification", "SendPasswordReset", "SendSecurityNotice"]


class SecurityEvent(StrEnum):
    """What a security notice tells the owner; features add their own events here."""

    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an event's name, not a secret
    PASSWORD_RESET = "password_reset"  # noqa: S105 - an event's name, not a secret
    EMAIL_CHANGED = "email_changed"
    TWO_FACTOR_ENABLED = "two_factor_enabled"
    TWO_FACTOR_DISABLED = "two_factor_disabled"


@dataclass(frozen=True, slots=True)
class SendEmailVerification(Job):
    """Mail the account a fresh link that verifies its address (the job mints the token: no
    token ever waits in the queue)."""

    job_name: ClassVar[str] = "send_email_verification"
    user_id: UUID


@dataclass(frozen=True, slots=True)
class SendPasswordReset(Job):
    """Mail a password-reset link to the account whose address has lookup key ``email_key``,
    if there is one (the request cannot tell, and must not)."""

    job_name: ClassVar[str] = "send_password_reset"
    email_key: str


@dataclass(frozen=True, slots=True)
class SendSecurityNotice(Job):
    """Tell the owner that ``event`` happened to their account."""

    job_name: ClassVar[str] = "send_security_notice"
    user_id: UUID
    event: SecurityEvent
