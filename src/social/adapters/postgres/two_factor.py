"""Two-factor state in PostgreSQL (AUTH-7): the TOTP secret sealed at rest, the replay guard as
an atomic compare-and-set of the last accepted time step, single-use recovery codes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.account_tables import UserRow
from social.adapters.postgres.two_factor_tables import RecoveryCodeRow, TotpCredentialRow
from social.adapters.security.totp_secret_cipher import TotpSecretCipher
from social.domain.accounts.two_factor import TotpEnrolment
from social.domain.shared.ids import new_id

__all__ = ["SqlaTwoFactorRepository"]

_CREDENTIAL = TotpCredentialRow
_CODES = RecoveryCodeRow


class SqlaTwoFactorRepository:
    """Plain statements (no ORM identity map): each write is one atomic SQL statement."""

    def __init__(self, session: AsyncSession, cipher: TotpSecretCipher | None) -> None:
        self._db = session
        self._cipher = cipher

    @property
    def _sealer(self) -> TotpSecretCipher:
        if self._cipher is None:
            raise RuntimeError("this unit of work was opened without a TOTP secret cipher")
        return self._cipher

    async def get(self, user_id: UUID) -> TotpEnrolment | None:
        query = select(
            _CREDENTIAL.id,
            _CREDENTIAL.secret_ciphertext,
            _CREDENTIAL.secret_key_id,
            _CREDENTIAL.last_step,
            _CREDENTIAL.created_at,
        ).where(_CREDENTIAL.user_id == user_id)
        row = (await self._db.execute(query)).first()
        if row is None:
            return None
        secret = self._sealer.decrypt(
            row.secret_ciphertext, row.secret_key_id, context=row.id.bytes
        )
        return TotpEnrolment(
            user_id=user_id, secret=secret, created_at=row.created_at, last_step=row.last_step
        )

    async def start(self, enrolment: TotpEnrolment) -> None:
        row_id = new_id()
        sealed, key_id = self._sealer.encrypt(enrolment.secret, context=row_id.bytes)
        owner = _CREDENTIAL.user_id == enrolment.user_id
        await self._db.execute(delete(_CREDENTIAL).where(owner))
        await self._db.execute(
            insert(_CREDENTIAL).values(
                id=row_id,
                user_id=enrolment.user_id,
                secret_ciphertext=sealed,
                secret_key_id=key_id,
                last_step=enrolment.last_step,
                created_at=enrolment.created_at,
            )
        )

    async def enable(
        self, user_id: UUID, *, step: int, recovery_hashes: Sequence[bytes], at: datetime
    ) -> None:
        await self._db.execute(
            update(_CREDENTIAL).where(_CREDENTIAL.user_id == user_id).values(last_step=step)
        )
        await self._db.execute(delete(_CODES).where(_CODES.user_id == user_id))
        if recovery_hashes:
            await self._db.execute(
                insert(_CODES),
                [
                    {"id": new_id(), "user_id": user_id, "code_hash": code_hash, "created_at": at}
                    for code_hash in recovery_hashes
                ],
            )
        await self._set_flag(user_id, enabled=True)

    async def claim_step(self, user_id: UUID, step: int) -> bool:
        claimed = await self._db.execute(
            update(_CREDENTIAL)
            .where(
                _CREDENTIAL.user_id == user_id,
                or_(_CREDENTIAL.last_step.is_(None), _CREDENTIAL.last_step < step),
            )
            .values(last_step=step)
            .returning(_CREDENTIAL.id)
        )
        return claimed.first() is not None

    async def use_recovery_code(self, user_id: UUID, code_hash: bytes, at: datetime) -> bool:
        used = await self._db.execute(
            update(_CODES)
            .where(
                _CODES.user_id == user_id,
                _CODES.code_hash == code_hash,
                _CODES.used_at.is_(None),
            )
            .values(used_at=at)
            .returning(_CODES.id)
        )
        return used.first() is not None

    async def disable(self, user_id: UUID) -> None:
        await self._db.execute(delete(_CODES).where(_CODES.user_id == user_id))
        await self._db.execute(delete(_CREDENTIAL).where(_CREDENTIAL.user_id == user_id))
        await self._set_flag(user_id, enabled=False)

    async def _set_flag(self, user_id: UUID, *, enabled: bool) -> None:
        await self._db.execute(
            update(UserRow).where(UserRow.id == user_id).values(two_factor_enabled=enabled)
        )
