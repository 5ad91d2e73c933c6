"""What two-factor authentication needs from the outside world: TOTP arithmetic (RFC 6238) and
the storage of enrolments and recovery codes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.accounts.ports import AccountsUnitOfWork
from social.domain.accounts.two_factor import TotpEnrolment

__all__ = [
    "OneTimeCodes",
    "TwoFactorRepository",
    "TwoFactorUnitOfWork",
    "TwoFactorUnitOfWorkFactory",
]


class OneTimeCodes(Protocol):
    """TOTP (RFC 6238): secrets, provisioning URIs, time steps and the code of a step."""

    def new_secret(self) -> str:
        """A fresh random secret, base32 (at least 160 bits)."""
        ...

    def provisioning_uri(self, secret: str, *, account: str, issuer: str) -> str:
        """``otpauth://totp/<issuer>:<account>?secret=…&issuer=…`` for authenticator apps."""
        ...

    def time_step(self, at: datetime) -> int:
        """The number of the time step ``at`` falls in."""
        ...

    def code_at(self, secret: str, step: int) -> str:
        """The code of ``secret`` for time step ``step``."""
        ...


class TwoFactorRepository(Protocol):
    async def get(self, user_id: UUID) -> TotpEnrolment | None:
        """The account's enrolment (pending or confirmed), its secret decrypted."""
        ...

    async def start(self, enrolment: TotpEnrolment) -> None:
        """Store a pending enrolment, replacing an earlier pending one of the account."""
        ...

    async def enable(
        self, user_id: UUID, *, step: int, recovery_hashes: Sequence[bytes], at: datetime
    ) -> None:
        """Turn two-factor on: the account's flag set, ``step`` remembered as the last one
        accepted, the recovery codes (hashed) stored in place of any earlier ones."""
        ...

    async def claim_step(self, user_id: UUID, step: int) -> bool:
        """Remember ``step`` as the last one accepted if it is after the last one (an atomic
        compare-and-set); ``False`` when it is not (a replayed or older code)."""
        ...

    async def use_recovery_code(self, user_id: UUID, code_hash: bytes, at: datetime) -> bool:
        """Mark the unused code with this hash used; ``False`` if there is none (wrong, used)."""
        ...

    async def disable(self, user_id: UUID) -> None:
        """Turn two-factor off: the flag cleared, the enrolment and recovery codes erased."""
        ...


class TwoFactorUnitOfWork(AccountsUnitOfWork, Protocol):
    @property
    def two_factor(self) -> TwoFactorRepository: ...


TwoFactorUnitOfWorkFactory = Callable[[], TwoFactorUnitOfWork]
