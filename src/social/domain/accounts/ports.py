"""What the accounts context needs from the outside world."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.accounts.model import ActiveSession, AuthSession, RefreshToken, User
from social.domain.accounts.one_time_tokens import AccountTokenRepository
from social.domain.accounts.username_holds import UsernameHoldRepository
from social.domain.shared.identity import Role
from social.domain.shared.ports import UnitOfWork
from social.domain.shared.search_changes import SearchChanges

__all__ = [
    "AccessClaims",
    "AccountsUnitOfWork",
    "ActiveSessionLookup",
    "PasswordHasher",
    "SessionRepository",
    "TokenIssuer",
    "UnitOfWorkFactory",
    "UserRepository",
]


class UserRepository(Protocol):
    async def add(self, user: User) -> None:
        """Insert; raises ``Conflict(field="username"|"email")`` when either is taken."""
        ...

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        """``for_update`` locks the account until the transaction ends (read-modify-write)."""
        ...

    async def get_many(self, user_ids: Iterable[UUID]) -> dict[UUID, User]:
        """The accounts that exist among ``user_ids``, whatever their status."""
        ...

    async def get_by_username(self, username: str) -> User | None:
        """Look up by normalized (lower-case) username."""
        ...

    async def get_by_email(self, email: str) -> User | None:
        """Look up by normalized (lower-case) email, whatever the storage keeps of it."""
        ...

    async def update(self, user: User) -> None:
        """Write back the mutable fields; raises ``Conflict`` like ``add``."""
        ...

    async def delete(self, user_id: UUID) -> None:
        """Erase the account row (its sessions go with it); missing is fine."""
        ...


class SessionRepository(Protocol):
    async def add_session(self, session: AuthSession) -> None: ...

    async def get_session(self, session_id: UUID) -> AuthSession | None: ...

    async def add_refresh_token(self, token: RefreshToken) -> None: ...

    async def get_refresh_token(self, token_hash: bytes) -> RefreshToken | None: ...

    async def claim_refresh_token(self, token_id: UUID, at: datetime) -> bool:
        """Mark the token used if nobody has yet; ``False`` means it was already used (reuse)."""
        ...

    async def revoke_session(self, session_id: UUID, at: datetime, reason: str) -> None:
        """Revoke one session (token family); revoking twice keeps the first time and reason."""
        ...

    async def revoke_user_sessions(
        self, user_id: UUID, at: datetime, reason: str, *, keep: UUID | None = None
    ) -> int:
        """Revoke every live session of a user except ``keep``; returns how many."""
        ...

    async def touch_session(self, session_id: UUID, at: datetime) -> None:
        """Record that the session was used (signed in or refreshed) at ``at``."""
        ...

    async def live_sessions(self, user_id: UUID, now: datetime, *, limit: int) -> list[AuthSession]:
        """The user's sessions that still stand at ``now`` (not revoked, holding a refresh token
        that has not expired), newest first, at most ``limit``."""
        ...

    async def delete_expired(self, before: datetime) -> int:
        """Forget refresh tokens that expired before ``before``, and sessions left without any."""
        ...


class AccountsUnitOfWork(UnitOfWork, Protocol):
    @property
    def users(self) -> UserRepository: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def search_changes(self) -> SearchChanges: ...

    @property
    def account_tokens(self) -> AccountTokenRepository: ...

    @property
    def username_holds(self) -> UsernameHoldRepository: ...


UnitOfWorkFactory = Callable[[], AccountsUnitOfWork]


class ActiveSessionLookup(Protocol):
    """Answers, on every authenticated request, whether a session still stands."""

    async def find_active(self, session_id: UUID) -> ActiveSession | None:
        """The session if it is unrevoked and its user active; otherwise ``None``."""
        ...

    async def find_active_many(self, session_ids: Collection[UUID]) -> dict[UUID, ActiveSession]:
        """``find_active`` for many at once (open sockets re-checking their sessions): the ones
        that stand, by id; the others are absent."""
        ...

    def forget(self, session_id: UUID) -> None:
        """Drop anything cached about the session (after this process revoked it)."""
        ...

    def forget_user(self, user_id: UUID) -> None:
        """Drop anything cached about the user's sessions."""
        ...


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with other parameters than the current ones."""
        ...

    async def verify_dummy(self, password: str) -> None:
        """Spend the time of one ``verify``, so unknown accounts answer as slowly as known ones."""
        ...


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: UUID
    session_id: UUID
    role: Role
    token_id: str
    expires_at: datetime


class TokenIssuer(Protocol):
    def issue_access_token(
        self,
        *,
        user_id: UUID,
        role: Role,
        session_id: UUID,
        now: datetime,
        token_id: str | None = None,
    ) -> tuple[str, int]:
        """A signed access token and its lifetime in seconds. With ``token_id`` (its ``jti``)
        the same arguments give the same token, so a rotation's answer can be given again."""
        ...

    def successor_refresh_token(self, previous: str) -> str:
        """The refresh token a rotation of ``previous`` issues: derived with a server key, so
        only its presenter (and the server) can know it, and a repeat of the same rotation
        within the grace window answers with the same token. Never derivable without the key."""
        ...

    def verify_access_token(self, token: str) -> AccessClaims:
        """The token's claims; raises ``AuthenticationFailed`` if it is not ours or has expired."""
        ...
