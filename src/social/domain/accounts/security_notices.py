"""Security notices (AUTH-8): the owner is mailed when their password, email or second factor
changes, so a change they did not make does not go unnoticed."""

from __future__ import annotations

from uuid import UUID

from social.domain.accounts.jobs import SecurityEvent
from social.domain.accounts.mails import security_notice_mail
from social.domain.accounts.model import AccountStatus
from social.domain.accounts.ports import UnitOfWorkFactory
from social.domain.shared.mail import Mailer

__all__ = ["MailSecurityNotice"]


class MailSecurityNotice:
    """The job: rules: the account's current address gets the notice, unless the account is
    gone or deleted."""

    def __init__(self, *, uow: UnitOfWorkFactory, mailer: Mailer) -> None:
        self._uow = uow
        self._mailer = mailer

    async def execute(self, user_id: UUID, event: SecurityEvent) -> bool:
        """``True`` when a mail was sent."""
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
        if user is None or user.status is AccountStatus.DELETED:
            return False
        await self._mailer.send(security_notice_mail(user.email, user.username, event))
        return True
