"""Fakes of the two-factor ports (``domain/accounts/two_factor_ports.py``): the repository on a
unit of work's copy of the store, with PostgreSQL's rules (compare-and-set of the last step,
single-use codes), and a transparent ``OneTimeCodes``."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote
from uuid import UUID

from social.domain.accounts.two_factor import TotpEnrolment

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["FakeOneTimeCodes", "InMemoryTwoFactorRepository"]


class InMemoryTwoFactorRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def get(self, user_id: UUID) -> TotpEnrolment | None:
        return self._w.totp.get(user_id)

    async def start(self, enrolment: TotpEnrolment) -> None:
        self._w.totp[enrolment.user_id] = enrolment

    async def enable(
        self, user_id: UUID, *, step: int, recovery_hashes: Sequence[bytes], at: datetime
    ) -> None:
        self._w.totp[user_id] = replace(self._w.totp[user_id], last_step=step)
        self._drop_codes(user_id)
        for code_hash in recovery_hashes:
            self._w.recovery_codes[(user_id, code_hash)] = None
        self._set_flag(user_id, enabled=True)

    async def claim_step(self, user_id: UUID, step: int) -> bool:
        enrolment = self._w.totp.get(user_id)
        if enrolment is None or (enrolment.last_step is not None and enrolment.last_step >= step):
            return False
        self._w.totp[user_id] = replace(enrolment, last_step=step)
        return True

    async def use_recovery_code(self, user_id: UUID, code_hash: bytes, at: datetime) -> bool:
        key = (user_id, code_hash)
        if key not in self._w.recovery_codes or self._w.recovery_codes[key] is not None:
            return False
        self._w.recovery_codes[key] = at
        return True

    async def disable(self, user_id: UUID) -> None:
        self._w.totp.pop(user_id, None)
        self._drop_codes(user_id)
        self._set_flag(user_id, enabled=False)

    def _drop_codes(self, user_id: UUID) -> None:
        for key in [k for k in self._w.recovery_codes if k[0] == user_id]:
            del self._w.recovery_codes[key]

    def _set_flag(self, user_id: UUID, *, enabled: bool) -> None:
        user = self._w.users.get(user_id)
        if user is not None:
            self._w.users[user_id] = replace(user, two_factor_enabled=enabled)


class FakeOneTimeCodes:
    """Secrets ``SECRET1``, ``SECRET2``…; a step's code is six digits of a hash of the secret and
    the step; 30-second steps. Readable in tests (``code_at``) and different per step."""

    def __init__(self, *, interval_s: int = 30) -> None:
        self._interval = interval_s
        self._made = 0

    def new_secret(self) -> str:
        self._made += 1
        return f"SECRET{self._made}"

    def provisioning_uri(self, secret: str, *, account: str, issuer: str) -> str:
        label = quote(f"{issuer}:{account}")
        return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}"

    def time_step(self, at: datetime) -> int:
        return int(at.timestamp()) // self._interval

    def code_at(self, secret: str, step: int) -> str:
        digest = hashlib.sha256(f"{secret}:{step}".encode()).digest()
        return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"
