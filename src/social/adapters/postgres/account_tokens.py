"""One-time tokens and username holds in PostgreSQL; the atomic single-use claim lives here."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.account_tables import UserRow
from social.adapters.postgres.account_token_tables import AccountTokenRow, UsernameHoldRow
from social.adapters.security.email_cipher import EmailCipher
from social.domain.accounts.one_time_tokens import OneTimeToken, TokenPurpose

__all__ = ["SqlaAccountTokenRepository", "SqlaUsernameHoldRepository"]


class SqlaAccountTokenRepository:
    def __init__(self, session: AsyncSession, cipher: EmailCipher) -> None:
        self._db = session
        self._cipher = cipher

    def email_key(self, email: str) -> str:
        return self._cipher.lookup_hash(email).hex()

    async def user_for_email_key(self, key: str) -> UUID | None:
        try:
            lookup = bytes.fromhex(key)
        except ValueError:
            return None
        found: UUID | None = await self._db.scalar(
            select(UserRow.id).where(UserRow.email_hash == lookup)
        )
        return found

    async def add(self, token: OneTimeToken) -> None:
        self._db.add(
            AccountTokenRow(
                id=token.id,
                user_id=token.user_id,
                purpose=token.purpose.value,
                token_hash=token.token_hash,
                created_at=token.created_at,
                expires_at=token.expires_at,
                used_at=token.used_at,
            )
        )
        await self._db.flush()

    async def find(
        self, token_hash: bytes, purpose: TokenPurpose, at: datetime
    ) -> OneTimeToken | None:
        row = (
            await self._db.execute(select(AccountTokenRow).where(*_usable(token_hash, purpose, at)))
        ).scalar_one_or_none()
        return _entity(row) if row else None

    async def claim(
        self, token_hash: bytes, purpose: TokenPurpose, at: datetime
    ) -> OneTimeToken | None:
        # One UPDATE … WHERE used_at IS NULL: of two concurrent claims, exactly one wins.
        row = (
            await self._db.execute(
                update(AccountTokenRow)
                .where(*_usable(token_hash, purpose, at))
                .values(used_at=at)
                .returning(*AccountTokenRow.__table__.columns)
            )
        ).first()
        return _entity(row) if row else None

    async def discard(self, user_id: UUID, purpose: TokenPurpose) -> int:
        result = await self._db.execute(
            delete(AccountTokenRow)
            .where(AccountTokenRow.user_id == user_id, AccountTokenRow.purpose == purpose.value)
            .returning(AccountTokenRow.id)
        )
        return len(result.all())

    async def delete_expired(self, before: datetime) -> int:
        result = await self._db.execute(
            delete(AccountTokenRow)
            .where(AccountTokenRow.expires_at < before)
            .returning(AccountTokenRow.id)
        )
        return len(result.all())


class SqlaUsernameHoldRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def hold(self, username: str, until: datetime) -> None:
        statement = insert(UsernameHoldRow).values(username=username, until=until)
        await self._db.execute(
            statement.on_conflict_do_update(
                index_elements=[UsernameHoldRow.username],
                set_={"until": func.greatest(UsernameHoldRow.until, statement.excluded.until)},
            )
        )

    async def is_held(self, username: str, at: datetime) -> bool:
        found = await self._db.scalar(
            select(UsernameHoldRow.username).where(
                UsernameHoldRow.username == username, UsernameHoldRow.until > at
            )
        )
        return found is not None

    async def release_expired(self, before: datetime) -> int:
        result = await self._db.execute(
            delete(UsernameHoldRow)
            .where(UsernameHoldRow.until < before)
            .returning(UsernameHoldRow.username)
        )
        return len(result.all())


def _usable(token_hash: bytes, purpose: TokenPurpose, at: datetime) -> tuple[Any, ...]:
    return (
        AccountTokenRow.token_hash == token_hash,
        AccountTokenRow.purpose == purpose.value,
        AccountTokenRow.used_at.is_(None),
        AccountTokenRow.expires_at > at,
    )


def _entity(row: Any) -> OneTimeToken:
    return OneTimeToken(
        id=row.id,
        user_id=row.user_id,
        purpose=TokenPurpose(row.purpose),
        token_hash=row.token_hash,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
    )
