"""OpenID Connect sign-ins in flight and linked identities in PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.oidc_tables import OidcIdentityRow, OidcLoginRow
from social.domain.accounts.oidc_model import OidcIdentity, PendingOidcLogin
from social.domain.shared.errors import Conflict
from social.domain.shared.ids import new_id

__all__ = ["SqlaOidcIdentityRepository", "SqlaOidcLoginRepository"]


class SqlaOidcLoginRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, login: PendingOidcLogin) -> None:
        await self._db.execute(
            pg_insert(OidcLoginRow).values(
                id=new_id(),
                state_hash=login.state_hash,
                provider=login.provider,
                nonce=login.nonce,
                code_verifier=login.code_verifier,
                browser_hash=login.browser_hash,
                created_at=login.created_at,
                expires_at=login.expires_at,
                link_user_id=login.link_user_id,
            )
        )

    async def take(self, state_hash: bytes) -> PendingOidcLogin | None:
        """One DELETE … RETURNING: of two concurrent callbacks with one state, one gets it."""
        r = OidcLoginRow
        row = (
            await self._db.execute(
                delete(r)
                .where(r.state_hash == state_hash)
                .returning(
                    r.state_hash,
                    r.provider,
                    r.nonce,
                    r.code_verifier,
                    r.browser_hash,
                    r.created_at,
                    r.expires_at,
                    r.link_user_id,
                )
            )
        ).first()
        if row is None:
            return None
        return PendingOidcLogin(
            state_hash=row.state_hash,
            provider=row.provider,
            nonce=row.nonce,
            code_verifier=row.code_verifier,
            browser_hash=row.browser_hash,
            created_at=row.created_at,
            expires_at=row.expires_at,
            link_user_id=row.link_user_id,
        )

    async def delete_expired(self, before: datetime) -> int:
        r = OidcLoginRow
        result = await self._db.execute(delete(r).where(r.expires_at < before).returning(r.id))
        return len(result.all())


class SqlaOidcIdentityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def get(self, issuer: str, subject: str) -> OidcIdentity | None:
        r = OidcIdentityRow
        row = await self._db.scalar(
            select(r)
            .where(r.issuer == issuer, r.subject == subject)
            .execution_options(populate_existing=True)
        )
        return None if row is None else _identity(row)

    async def add(self, identity: OidcIdentity) -> None:
        inserted = await self._db.scalar(
            pg_insert(OidcIdentityRow)
            .values(
                id=new_id(),
                issuer=identity.issuer,
                subject=identity.subject,
                user_id=identity.user_id,
                created_at=identity.created_at,
            )
            .on_conflict_do_nothing(constraint="uq_oidc_identities_issuer_subject")
            .returning(OidcIdentityRow.id)
        )
        if inserted is None:
            raise Conflict("This identity is linked to an account already.")

    async def for_user(self, user_id: UUID) -> list[OidcIdentity]:
        r = OidcIdentityRow
        rows = await self._db.scalars(
            select(r)
            .where(r.user_id == user_id)
            .order_by(r.created_at, r.id)
            .execution_options(populate_existing=True)
        )
        return [_identity(row) for row in rows]

    async def delete(self, issuer: str, subject: str) -> bool:
        r = OidcIdentityRow
        gone = await self._db.scalar(
            delete(r).where(r.issuer == issuer, r.subject == subject).returning(r.id)
        )
        return gone is not None


def _identity(row: OidcIdentityRow) -> OidcIdentity:
    return OidcIdentity(
        issuer=row.issuer, subject=row.subject, user_id=row.user_id, created_at=row.created_at
    )
