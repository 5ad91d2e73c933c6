"""Users in PostgreSQL: rows ↔ ``User`` entities, with the email encrypted at rest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.account_tables import UserRow
from social.adapters.postgres.keyset import any_of
from social.adapters.security.email_cipher import EmailCipher
from social.domain.accounts.model import AccountStatus, User
from social.domain.shared.errors import Conflict
from social.domain.shared.identity import Role

__all__ = ["SqlaUserRepository"]

_COLUMNS = UserRow.__table__.columns


class SqlaUserRepository:
    """Reads are plain rows, never the session's identity map: the counters change by atomic
    SQL that bypasses the session (``graph.py``, ``posts.py``), so every read sees them fresh."""

    def __init__(self, session: AsyncSession, cipher: EmailCipher) -> None:
        self._db = session
        self._cipher = cipher

    async def add(self, user: User) -> None:
        row = UserRow(id=user.id)
        self._write(row, user)
        self._db.add(row)
        await self._save()

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        return await self._one(UserRow.id == user_id, for_update=for_update)

    async def get_many(self, user_ids: Iterable[UUID]) -> dict[UUID, User]:
        ids = list(set(user_ids))
        if not ids:
            return {}
        rows = await self._db.execute(select(*_COLUMNS).where(any_of(UserRow.id, ids)))
        return {row.id: self._to_entity(row) for row in rows}

    async def delete(self, user_id: UUID) -> None:
        await self._db.execute(delete(UserRow).where(UserRow.id == user_id))

    async def get_by_username(self, username: str) -> User | None:
        return await self._one(UserRow.username == username)

    async def get_by_email(self, email: str) -> User | None:
        return await self._one(UserRow.email_hash == self._cipher.lookup_hash(email))

    async def update(self, user: User) -> None:
        # Loaded afresh (an earlier add or update may have left a stale copy in the session);
        # the flush writes only the columns that changed, so the counters are never written.
        row = await self._db.get(UserRow, user.id, populate_existing=True)
        if row is None:
            raise LookupError(f"user {user.id} vanished during an update")
        self._write(row, user)
        await self._save()

    async def _one(self, where: ColumnElement[bool], *, for_update: bool = False) -> User | None:
        query = select(*_COLUMNS).where(where)
        row = (await self._db.execute(query.with_for_update() if for_update else query)).first()
        return self._to_entity(row) if row else None

    async def _save(self) -> None:
        """Flush the insert or update, turning unique-constraint violations into ``Conflict``."""
        try:
            await self._db.flush()
        except IntegrityError as exc:
            if "uq_users_username" in str(exc):
                raise Conflict("This username is taken.", field="username") from None
            if "uq_users_email_hash" in str(exc):
                raise Conflict("An account with this email exists.", field="email") from None
            raise

    def _write(self, row: UserRow, user: User) -> None:
        """Copy the entity's fields; counters are left alone, only atomic SQL changes them."""
        row.username = user.username
        lookup = self._cipher.lookup_hash(user.email)
        stale_key = getattr(row, "email_key_id", None) != self._cipher.current_key_id
        if stale_key or getattr(row, "email_hash", None) != lookup:  # new, changed or rotated
            row.email_ciphertext, row.email_key_id = self._cipher.encrypt(
                user.email, context=user.id.bytes
            )
            row.email_hash = lookup
        row.password_hash = user.password_hash
        row.display_name = user.display_name
        row.bio = user.bio
        row.website = user.website
        row.is_private = user.is_private
        row.role = user.role.value
        row.status = user.status.value
        row.avatar_media_id = user.avatar_media_id
        row.created_at = user.created_at
        row.updated_at = user.updated_at
        row.email_verified_at = user.email_verified_at

    def _to_entity(self, row: Any) -> User:
        """From an ORM object or a plain row with the same column names."""
        return User(
            id=row.id,
            username=row.username,
            email=self._cipher.decrypt(
                row.email_ciphertext, row.email_key_id, context=row.id.bytes
            ),
            password_hash=row.password_hash,
            display_name=row.display_name,
            bio=row.bio,
            website=row.website,
            is_private=row.is_private,
            role=Role(row.role),
            status=AccountStatus(row.status),
            created_at=row.created_at,
            updated_at=row.updated_at,
            avatar_media_id=row.avatar_media_id,
            posts_count=row.posts_count,
            followers_count=row.followers_count,
            following_count=row.following_count,
            two_factor_enabled=row.two_factor_enabled,
            email_verified_at=row.email_verified_at,
        )
