"""In-memory fakes of the accounts ports (``domain/accounts``), with the same observable rules as
PostgreSQL; and the one fake database every context's fakes work on: ``AccountsStore`` (the
committed state) and ``InMemoryUnitOfWork`` (a transaction over a copy of it, holding each
context's repository)."""

from __future__ import annotations

import copy
import hmac
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Self
from uuid import UUID, uuid4

from social.domain.accounts.model import (
    AccountStatus,
    ActiveSession,
    AuthSession,
    RefreshToken,
    User,
)
from social.domain.accounts.oauth_model import AccessToken, AuthorizationCode, ClientApp
from social.domain.accounts.oidc_model import OidcIdentity, PendingOidcLogin
from social.domain.accounts.one_time_tokens import OneTimeToken
from social.domain.accounts.ports import AccessClaims
from social.domain.accounts.two_factor import TotpEnrolment
from social.domain.activity.model import ActivityEntry, ApiClient
from social.domain.discovery.account_suggestions import Suggestion
from social.domain.events.model import Event, EventPhoto
from social.domain.graph.model import Follow, FollowRequest
from social.domain.lifecycle.data_export import DataExport
from social.domain.media.model import MediaItem
from social.domain.moderation.model import AuditEntry, Report
from social.domain.notifications.model import Notification
from social.domain.notifications.push_ports import PushSubscription
from social.domain.posts.model import Post
from social.domain.reads.model import Comment
from social.domain.shared.errors import AuthenticationFailed, Conflict
from social.domain.shared.identity import Role
from social.domain.shared.jobs import Job
from social.domain.shared.search_changes import SearchChange
from tests.fakes.account_tokens import (
    InMemoryAccountTokenRepository,
    InMemoryUsernameHoldRepository,
)
from tests.fakes.activity import InMemoryActivityRepository, InMemoryApiClientRepository
from tests.fakes.discovery import InMemorySuggestionStore
from tests.fakes.events import InMemoryEventRepository
from tests.fakes.graph import InMemoryGraphRepository
from tests.fakes.interactions import (
    Edge,
    InMemoryCommentRepository,
    InMemoryInteractionRepository,
)
from tests.fakes.lifecycle import InMemoryDataExportRepository, InMemoryExportSource
from tests.fakes.media import InMemoryMediaRepository
from tests.fakes.moderation import InMemoryAuditLog, InMemoryReportRepository
from tests.fakes.notifications import InMemoryNotificationRepository
from tests.fakes.oauth import InMemoryOAuthRepository
from tests.fakes.oidc import InMemoryOidcIdentityRepository, InMemoryOidcLoginRepository
from tests.fakes.posts import InMemoryPostRepository
from tests.fakes.push import InMemoryPushSubscriptionRepository
from tests.fakes.search import InMemorySearchSource, InMemorySearchSyncPause
from tests.fakes.shared import (
    InMemoryIdempotencyKeys,
    InMemoryOutbox,
    InMemorySearchChanges,
    MutableClock,
)
from tests.fakes.two_factor import InMemoryTwoFactorRepository

__all__ = [
    "AccountsStore",
    "FakePasswordHasher",
    "FakeTokenIssuer",
    "InMemoryActiveSessionLookup",
    "InMemorySessionRepository",
    "InMemoryUnitOfWork",
    "InMemoryUserRepository",
]


@dataclass
class AccountsStore:
    """Committed state shared by every unit of work of one fake 'database'."""

    users: dict[UUID, User] = field(default_factory=dict)
    sessions: dict[UUID, AuthSession] = field(default_factory=dict)
    tokens: dict[UUID, RefreshToken] = field(default_factory=dict)
    follows: dict[tuple[UUID, UUID], Follow] = field(default_factory=dict)
    requests: dict[UUID, FollowRequest] = field(default_factory=dict)
    blocks: dict[tuple[UUID, UUID], datetime] = field(default_factory=dict)
    mutes: dict[tuple[UUID, UUID], datetime] = field(default_factory=dict)
    suggestions: dict[UUID, tuple[Suggestion, ...]] = field(default_factory=dict)
    """Each user's stored account suggestions (DISC-1), in rank order."""
    suggestion_runs: dict[UUID, datetime] = field(default_factory=dict)
    suggestion_dismissals: dict[tuple[UUID, UUID], datetime] = field(default_factory=dict)
    """Keyed by (user id, dismissed account id)."""
    media: dict[UUID, MediaItem] = field(default_factory=dict)
    posts: dict[UUID, Post] = field(default_factory=dict)
    idempotency: dict[tuple[UUID, str, str], UUID] = field(default_factory=dict)
    idempotency_times: dict[tuple[UUID, str, str], datetime] = field(default_factory=dict)
    likes: dict[tuple[UUID, UUID], Edge] = field(default_factory=dict)
    shares: dict[tuple[UUID, UUID], Edge] = field(default_factory=dict)
    bookmarks: dict[tuple[UUID, UUID], Edge] = field(default_factory=dict)
    """Keyed by (user id, post id), like the unique constraints."""
    comments: dict[UUID, Comment] = field(default_factory=dict)
    search_changes: list[SearchChange] = field(default_factory=list)
    notifications: dict[UUID, Notification] = field(default_factory=dict)
    reports: dict[UUID, Report] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    api_clients: dict[UUID, ApiClient] = field(default_factory=dict)
    activity: list[ActivityEntry] = field(default_factory=list)
    totp: dict[UUID, TotpEnrolment] = field(default_factory=dict)
    recovery_codes: dict[tuple[UUID, bytes], datetime | None] = field(default_factory=dict)
    """Keyed by (user id, code hash): when each was used, ``None`` while unused."""
    exports: dict[UUID, DataExport] = field(default_factory=dict)
    account_tokens: dict[UUID, OneTimeToken] = field(default_factory=dict)
    username_holds: dict[str, datetime] = field(default_factory=dict)
    oauth_apps: dict[UUID, ClientApp] = field(default_factory=dict)
    oauth_codes: dict[UUID, AuthorizationCode] = field(default_factory=dict)
    oauth_tokens: dict[UUID, AccessToken] = field(default_factory=dict)
    push_subscriptions: dict[UUID, PushSubscription] = field(default_factory=dict)
    oidc_logins: dict[bytes, PendingOidcLogin] = field(default_factory=dict)
    oidc_identities: dict[tuple[str, str], OidcIdentity] = field(default_factory=dict)
    """Keyed by (issuer, subject), like the unique constraint."""
    events: dict[UUID, Event] = field(default_factory=dict)
    event_photos: dict[UUID, EventPhoto] = field(default_factory=dict)
    """Keyed by media id (a photo is in one event at most)."""
    event_access: dict[tuple[UUID, UUID], datetime] = field(default_factory=dict)
    event_recent: dict[tuple[UUID, UUID], datetime] = field(default_factory=dict)
    photo_bookmarks: dict[tuple[UUID, UUID], datetime] = field(default_factory=dict)
    """These three keyed by (user id, event id or media id)."""
    jobs: list[Job] = field(default_factory=list)
    """What committed transactions queued, in order (the unit tests' ``run_jobs`` runs them)."""
    commits: int = 0

    def copy(self) -> AccountsStore:
        """A working copy for one transaction (entities are immutable: shallow copies do)."""
        return AccountsStore(
            **{
                f.name: copy.copy(getattr(self, f.name))
                for f in fields(self)
                if f.name != "commits"
            }
        )


class InMemoryUserRepository:
    def __init__(self, users: dict[UUID, User]) -> None:
        self._users = users

    async def add(self, user: User) -> None:
        self._check_unique(user)
        self._users[user.id] = user

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        return self._users.get(user_id)

    async def get_many(self, user_ids: Iterable[UUID]) -> dict[UUID, User]:
        return {i: self._users[i] for i in user_ids if i in self._users}

    async def delete(self, user_id: UUID) -> None:
        self._users.pop(user_id, None)

    async def get_by_username(self, username: str) -> User | None:
        return next((u for u in self._users.values() if u.username == username), None)

    async def get_by_email(self, email: str) -> User | None:
        return next((u for u in self._users.values() if u.email == email), None)

    async def update(self, user: User) -> None:
        current = self._users[user.id]
        self._check_unique(user)
        self._users[user.id] = replace(
            user,
            posts_count=current.posts_count,
            followers_count=current.followers_count,
            following_count=current.following_count,
            two_factor_enabled=current.two_factor_enabled,
        )

    def _check_unique(self, user: User) -> None:
        for other in self._users.values():
            if other.id == user.id:
                continue
            if other.username == user.username:
                raise Conflict("This username is taken.", field="username")
            if other.email == user.email:
                raise Conflict("An account with this email exists.", field="email")


class InMemorySessionRepository:
    def __init__(
        self,
        sessions: dict[UUID, AuthSession],
        tokens: dict[UUID, RefreshToken],
        app_tokens: dict[UUID, AccessToken] | None = None,
    ):
        self._sessions = sessions
        self._tokens = tokens
        self._app_tokens = app_tokens if app_tokens is not None else {}

    def _app_sessions(self) -> set[UUID]:
        """Sessions holding a live app access token (no refresh token, no expiry)."""
        return {
            t.session_id
            for t in self._app_tokens.values()
            if t.session_id is not None and t.revoked_at is None
        }

    async def add_session(self, session: AuthSession) -> None:
        self._sessions[session.id] = session

    async def get_session(self, session_id: UUID) -> AuthSession | None:
        return self._sessions.get(session_id)

    async def add_refresh_token(self, token: RefreshToken) -> None:
        if any(t.token_hash == token.token_hash for t in self._tokens.values()):
            raise Conflict("duplicate refresh token hash")
        self._tokens[token.id] = token

    async def get_refresh_token(self, token_hash: bytes) -> RefreshToken | None:
        return next((t for t in self._tokens.values() if t.token_hash == token_hash), None)

    async def claim_refresh_token(self, token_id: UUID, at: datetime) -> bool:
        token = self._tokens.get(token_id)
        if token is None or token.used_at is not None:
            return False
        self._tokens[token_id] = replace(token, used_at=at)
        return True

    async def revoke_session(self, session_id: UUID, at: datetime, reason: str) -> None:
        session = self._sessions.get(session_id)
        if session is not None and session.revoked_at is None:
            self._sessions[session_id] = replace(session, revoked_at=at, revoke_reason=reason)

    async def revoke_user_sessions(
        self, user_id: UUID, at: datetime, reason: str, *, keep: UUID | None = None
    ) -> int:
        targets = [
            s.id
            for s in self._sessions.values()
            if s.user_id == user_id and s.revoked_at is None and s.id != keep
        ]
        for session_id in targets:
            await self.revoke_session(session_id, at, reason)
        return len(targets)

    async def touch_session(self, session_id: UUID, at: datetime) -> None:
        session = self._sessions.get(session_id)
        if session is not None:
            self._sessions[session_id] = replace(session, last_used_at=at)

    async def live_sessions(self, user_id: UUID, now: datetime, *, limit: int) -> list[AuthSession]:
        unexpired = {t.session_id for t in self._tokens.values() if t.expires_at > now}
        unexpired |= self._app_sessions()
        live = [
            s
            for s in self._sessions.values()
            if s.user_id == user_id and s.revoked_at is None and s.id in unexpired
        ]
        live.sort(key=lambda s: (s.created_at, s.id), reverse=True)
        return live[:limit]

    async def delete_expired(self, before: datetime) -> int:
        expired = [t.id for t in self._tokens.values() if t.expires_at < before]
        for token_id in expired:
            del self._tokens[token_id]
        live = {t.session_id for t in self._tokens.values()}
        held = self._app_sessions()
        for session in list(self._sessions.values()):
            if session.revoked_at is None and session.id in held:
                continue
            if session.created_at < before and session.id not in live:
                del self._sessions[session.id]
                for token in [t for t in self._app_tokens.values() if t.session_id == session.id]:
                    del self._app_tokens[token.id]  # ON DELETE CASCADE
        return len(expired)


class InMemoryUnitOfWork:
    """Works on a copy of the store; ``commit`` publishes the copy, anything else drops it."""

    def __init__(self, store: AccountsStore, pause: InMemorySearchSyncPause | None = None) -> None:
        self._store = store
        self._pause = pause or InMemorySearchSyncPause()
        self._begin()

    def _begin(self) -> None:
        self._work = work = self._store.copy()
        self.users = InMemoryUserRepository(work.users)
        self.sessions = InMemorySessionRepository(work.sessions, work.tokens, work.oauth_tokens)
        self.graph = InMemoryGraphRepository(work)
        self.suggestions = InMemorySuggestionStore(work)
        self.media = InMemoryMediaRepository(work)
        self.jobs = InMemoryOutbox(work.jobs)
        self.posts = InMemoryPostRepository(work)
        self.idempotency = InMemoryIdempotencyKeys(work)
        self.interactions = InMemoryInteractionRepository(work)
        self.comments = InMemoryCommentRepository(work)
        self.search_changes = InMemorySearchChanges(work, self._pause)
        self.search_source = InMemorySearchSource(work)
        self.notifications = InMemoryNotificationRepository(work)
        self.reports = InMemoryReportRepository(work)
        self.audit = InMemoryAuditLog(work)
        self.api_clients = InMemoryApiClientRepository(work)
        self.activity = InMemoryActivityRepository(work)
        self.two_factor = InMemoryTwoFactorRepository(work)
        self.exports = InMemoryDataExportRepository(work)
        self.export_source = InMemoryExportSource(work)
        self.account_tokens = InMemoryAccountTokenRepository(work)
        self.username_holds = InMemoryUsernameHoldRepository(work)
        self.oauth = InMemoryOAuthRepository(work)
        self.push_subscriptions = InMemoryPushSubscriptionRepository(work)
        self.oidc_logins = InMemoryOidcLoginRepository(work)
        self.oidc_identities = InMemoryOidcIdentityRepository(work)
        self.events = InMemoryEventRepository(work)

    async def __aenter__(self) -> Self:
        self._begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    async def commit(self) -> None:
        commits = self._store.commits
        for f in fields(self._work):
            setattr(self._store, f.name, getattr(self._work, f.name))
        self._store.commits = commits + 1
        self._begin()  # keep working on a fresh copy after a commit

    async def rollback(self) -> None:
        self._begin()


class InMemoryActiveSessionLookup:
    def __init__(self, store: AccountsStore) -> None:
        self._store = store

    async def find_active(self, session_id: UUID) -> ActiveSession | None:
        session = self._store.sessions.get(session_id)
        if session is None or session.revoked_at is not None:
            return None
        user = self._store.users.get(session.user_id)
        if user is None or user.status is not AccountStatus.ACTIVE:
            return None
        return ActiveSession(session_id=session.id, user_id=user.id, role=user.role)

    async def find_active_many(self, session_ids: Collection[UUID]) -> dict[UUID, ActiveSession]:
        found = {session_id: await self.find_active(session_id) for session_id in session_ids}
        return {session_id: s for session_id, s in found.items() if s is not None}

    def forget(self, session_id: UUID) -> None:
        return None

    def forget_user(self, user_id: UUID) -> None:
        return None


class FakePasswordHasher:
    """``v<version>$<salt>$<password>``: transparent, instant, salted like a real hash (two hashes
    of one password differ), and able to need a rehash."""

    def __init__(self, version: int = 1) -> None:
        self.version = version
        self.verifications = 0
        self.dummy_verifications = 0

    async def hash(self, password: str) -> str:
        return f"v{self.version}${secrets.token_hex(4)}${password}"

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verifications += 1
        parts = password_hash.split("$", 2)
        return len(parts) == 3 and parts[0].startswith("v") and parts[2] == password

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(f"v{self.version}$")

    async def verify_dummy(self, password: str) -> None:
        self.dummy_verifications += 1


class FakeTokenIssuer:
    """``access|sub=…|sid=…|role=…|exp=…|jti=…|<signature>``: readable, signed with a key (a keyed
    hash of the rest, so a changed claim or another key is refused), every claim required, and
    the expiry checked against the clock."""

    def __init__(
        self, clock: MutableClock, ttl_s: int = 900, key: bytes = b"fake-token-key"
    ) -> None:
        self._clock = clock
        self._ttl = ttl_s
        self._key = key

    def issue_access_token(
        self,
        *,
        user_id: UUID,
        role: Role,
        session_id: UUID,
        now: datetime,
        token_id: str | None = None,
    ) -> tuple[str, int]:
        claims = {
            "sub": str(user_id),
            "sid": str(session_id),
            "role": role.value,
            "exp": str(int(now.timestamp()) + self._ttl),
            "jti": token_id or str(uuid4()),
        }
        return self.sign(claims), self._ttl

    def sign(self, claims: dict[str, str]) -> str:
        """A token of these claims under this issuer's key (tests forge tokens with it)."""
        body = "|".join(["access", *(f"{name}={value}" for name, value in claims.items())])
        return f"{body}|{self._signature(body)}"

    def successor_refresh_token(self, previous: str) -> str:
        return "next:" + hmac.digest(self._key, previous.encode(), "sha256").hex()

    def verify_access_token(self, token: str) -> AccessClaims:
        try:
            body, _, signature = token.rpartition("|")
            if not hmac.compare_digest(signature, self._signature(body)):
                raise ValueError(token)
            kind, *pairs = body.split("|")
            claims = dict(pair.split("=", 1) for pair in pairs)
            expires_at = datetime.fromtimestamp(int(claims["exp"]), UTC)
            if kind != "access" or expires_at <= self._clock.now():
                raise ValueError(token)
            return AccessClaims(
                UUID(claims["sub"]),
                UUID(claims["sid"]),
                Role(claims["role"]),
                claims["jti"],
                expires_at,
            )
        except (ValueError, KeyError):
            raise AuthenticationFailed("The access token is invalid or has expired.") from None

    def _signature(self, body: str) -> str:
        return hmac.digest(self._key, body.encode(), "sha256").hex()[:32]
