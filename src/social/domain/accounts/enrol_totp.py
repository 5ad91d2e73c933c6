"""Turning two-factor authentication on (AUTH-7): enrolment, then confirmation by a first code."""

from __future__ import annotations

from social.domain.accounts.jobs import SecurityEvent, SendSecurityNotice
from social.domain.accounts.model import User
from social.domain.accounts.ports import PasswordHasher
from social.domain.accounts.second_factor import SecondFactor
from social.domain.accounts.two_factor import (
    RECOVERY_CODES,
    TotpEnrolment,
    TotpProvisioning,
    hash_recovery_code,
    new_recovery_code,
)
from social.domain.accounts.two_factor_ports import OneTimeCodes, TwoFactorUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Conflict, Invalid, NotFound
from social.domain.shared.identity import Viewer

__all__ = ["ConfirmTotpEnrolment", "StartTotpEnrolment"]

_ALREADY_ON = "Two-factor authentication is already on."


def _active(user: User | None) -> User:
    if user is None or not user.is_active:
        raise NotFound("The account does not exist.")
    return user


class StartTotpEnrolment:
    """Rules: the password must be given again (as for deleting the account); an account with
    two-factor on must turn it off first; starting again replaces a pending enrolment, so only
    the secret handed out last can be confirmed. Nothing changes for signing in until then."""

    def __init__(
        self,
        *,
        uow: TwoFactorUnitOfWorkFactory,
        hasher: PasswordHasher,
        codes: OneTimeCodes,
        clock: Clock,
        issuer: str,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._codes = codes
        self._clock = clock
        self._issuer = issuer

    async def execute(self, viewer: Viewer, password: str) -> TotpProvisioning:
        async with self._uow() as uow:
            user = _active(await uow.users.get(viewer.user_id))
        if not await self._hasher.verify(user.password_hash, password):
            raise Invalid.field("password", "is not correct")
        if user.two_factor_enabled:
            raise Conflict(_ALREADY_ON)
        secret = self._codes.new_secret()
        async with self._uow() as uow:
            current = _active(await uow.users.get(viewer.user_id, for_update=True))
            if current.two_factor_enabled:
                raise Conflict(_ALREADY_ON)
            await uow.two_factor.start(
                TotpEnrolment(user_id=current.id, secret=secret, created_at=self._clock.now())
            )
            await uow.commit()
        uri = self._codes.provisioning_uri(secret, account=user.username, issuer=self._issuer)
        return TotpProvisioning(secret=secret, otpauth_uri=uri)


class ConfirmTotpEnrolment:
    """Rules: the first valid code of the pending secret turns two-factor on (its time step
    counts as used, so the same code cannot sign in afterwards); ten recovery codes are made
    and returned this once, only their hashes kept. Code checks count against the account's
    budget (``SecondFactor``)."""

    def __init__(
        self, *, uow: TwoFactorUnitOfWorkFactory, second_factor: SecondFactor, clock: Clock
    ) -> None:
        self._uow = uow
        self._second_factor = second_factor
        self._clock = clock

    async def execute(self, viewer: Viewer, code: str) -> list[str]:
        await self._second_factor.throttle(viewer.user_id)
        recovery = [new_recovery_code() for _ in range(RECOVERY_CODES)]
        async with self._uow() as uow:
            user = _active(await uow.users.get(viewer.user_id, for_update=True))
            if user.two_factor_enabled:
                raise Conflict(_ALREADY_ON)
            enrolment = await uow.two_factor.get(user.id)
            if enrolment is None:
                raise Conflict("No enrolment is pending: start one with POST /me/2fa/totp.")
            step = self._second_factor.matching_step(enrolment.secret, code)
            if step is None:
                raise Invalid.field("code", "is not the current code of the authenticator")
            hashes = [hash_recovery_code(user.id, c) for c in recovery]
            await uow.two_factor.enable(
                user.id, step=step, recovery_hashes=hashes, at=self._clock.now()
            )
            await uow.jobs.enqueue(SendSecurityNotice(user.id, SecurityEvent.TWO_FACTOR_ENABLED))
            await uow.commit()
        return recovery
