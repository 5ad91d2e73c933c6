"""The unit of work: one ``AsyncSession`` and one transaction shared by the repositories."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.postgres.account_tokens import (
    SqlaAccountTokenRepository,
    SqlaUsernameHoldRepository,
)
from social.adapters.postgres.activity import SqlaActivityRepository, SqlaApiClientRepository
from social.adapters.postgres.comments import SqlaCommentRepository
from social.adapters.postgres.events import SqlaEventRepository
from social.adapters.postgres.exports import SqlaDataExportRepository, SqlaExportSource
from social.adapters.postgres.graph import SqlaGraphRepository
from social.adapters.postgres.idempotency import SqlaIdempotencyKeys
from social.adapters.postgres.interactions import SqlaInteractionRepository
from social.adapters.postgres.media import SqlaMediaRepository
from social.adapters.postgres.moderation import SqlaAuditLog, SqlaReportRepository
from social.adapters.postgres.notifications import SqlaNotificationRepository
from social.adapters.postgres.oauth import SqlaOAuthRepository
from social.adapters.postgres.oidc import SqlaOidcIdentityRepository, SqlaOidcLoginRepository
from social.adapters.postgres.outbox import Dispatch, SqlaOutbox, dispatch_committed
from social.adapters.postgres.posts import SqlaPostRepository
from social.adapters.postgres.push_subscriptions import SqlaPushSubscriptionRepository
from social.adapters.postgres.search_changes import SqlaSearchChanges
from social.adapters.postgres.search_source import SqlaSearchSource
from social.adapters.postgres.sessions import SqlaSessionRepository
from social.adapters.postgres.suggestions import SqlaSuggestionStore
from social.adapters.postgres.two_factor import SqlaTwoFactorRepository
from social.adapters.postgres.users import SqlaUserRepository
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.totp_secret_cipher import TotpSecretCipher
from social.domain.shared.clock import Clock, SystemClock

__all__ = ["SqlaUnitOfWork"]


class SqlaUnitOfWork:
    """Implements every context's unit-of-work protocol; leaving without ``commit`` rolls back.

    Jobs enqueued on ``jobs`` are outbox rows of this transaction; after a successful commit
    they are dispatched at once when a ``dispatch`` is given (the relay catches the rest).
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        cipher: EmailCipher,
        *,
        dispatch: Dispatch | None = None,
        clock: Clock | None = None,
        totp_cipher: TotpSecretCipher | None = None,
    ) -> None:
        self._session_factory = sessions
        self._cipher = cipher
        self._dispatch = dispatch
        self._clock = clock or SystemClock()
        self._session: AsyncSession | None = None
        self._totp_cipher = totp_cipher

    async def __aenter__(self) -> Self:
        session = self._session = self._session_factory()
        self.users = SqlaUserRepository(session, self._cipher)
        self.sessions = SqlaSessionRepository(session)
        self.graph = SqlaGraphRepository(session)
        self.suggestions = SqlaSuggestionStore(session)
        self.media = SqlaMediaRepository(session)
        self.jobs = SqlaOutbox(session, self._clock)
        self.posts = SqlaPostRepository(session)
        self.idempotency = SqlaIdempotencyKeys(session, self._clock)
        self.interactions = SqlaInteractionRepository(session)
        self.comments = SqlaCommentRepository(session)
        self.search_changes = SqlaSearchChanges(session, self._clock)
        self.search_source = SqlaSearchSource(session, self.posts, self.users)
        self.notifications = SqlaNotificationRepository(session, self._clock)
        self.reports = SqlaReportRepository(session)
        self.audit = SqlaAuditLog(session)
        self.api_clients = SqlaApiClientRepository(session)
        self.activity = SqlaActivityRepository(session)
        self.two_factor = SqlaTwoFactorRepository(session, self._totp_cipher)
        self.exports = SqlaDataExportRepository(session)
        self.export_source = SqlaExportSource(session, self.posts)
        self.account_tokens = SqlaAccountTokenRepository(session, self._cipher)
        self.username_holds = SqlaUsernameHoldRepository(session)
        self.oauth = SqlaOAuthRepository(session)
        self.push_subscriptions = SqlaPushSubscriptionRepository(session)
        self.oidc_logins = SqlaOidcLoginRepository(session)
        self.oidc_identities = SqlaOidcIdentityRepository(session)
        self.events = SqlaEventRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is not None:
            try:
                await session.rollback()
            finally:
                await session.close()

    async def commit(self) -> None:
        assert self._session is not None, "commit outside 'async with'"
        await self._session.commit()
        pending, self.jobs.pending = self.jobs.pending, []
        if pending and self._dispatch is not None:
            await dispatch_committed(self._session_factory, self._dispatch, pending)

    async def rollback(self) -> None:
        if self._session is not None:
            await self._session.rollback()
            self.jobs.pending = []
