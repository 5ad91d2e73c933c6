"""Turning two-factor authentication off (AUTH-7): needs both the password and a code."""

from __future__ import annotations

from social.domain.accounts.jobs import SecurityEvent, SendSecurityNotice
from social.domain.accounts.ports import PasswordHasher
from social.domain.accounts.second_factor import SecondFactor
from social.domain.accounts.two_factor_ports import TwoFactorUnitOfWorkFactory
from social.domain.shared.errors import Conflict, Invalid, NotFound
from social.domain.shared.identity import Viewer

__all__ = ["DisableTwoFactor"]

_ALREADY_OFF = "Two-factor authentication is off."


class DisableTwoFactor:
    """Rules: the password first (a wrong one answers as for deleting the account, whatever
    the state of two-factor), then a second factor: a TOTP code or an unused recovery code
    (a lost phone must not lock the owner in), checked and spent like at sign-in. The secret
    and every recovery code are erased."""

    def __init__(
        self,
        *,
        uow: TwoFactorUnitOfWorkFactory,
        hasher: PasswordHasher,
        second_factor: SecondFactor,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._second_factor = second_factor

    async def execute(self, viewer: Viewer, password: str, otp: str) -> None:
        async with self._uow() as uow:
            user = await uow.users.get(viewer.user_id)
        if user is None or not user.is_active:
            raise NotFound("The account does not exist.")
        if not await self._hasher.verify(user.password_hash, password):
            raise Invalid.field("password", "is not correct")
        async with self._uow() as uow:
            current = await uow.users.get(viewer.user_id, for_update=True)
            if current is None or not current.is_active:
                raise NotFound("The account does not exist.")
            if not current.two_factor_enabled:
                raise Conflict(_ALREADY_OFF)
            if not await self._second_factor.verify(uow, current.id, otp):
                raise Invalid.field("otp", "is not a valid code")
            await uow.two_factor.disable(current.id)
            await uow.jobs.enqueue(
                SendSecurityNotice(current.id, SecurityEvent.TWO_FACTOR_DISABLED)
            )
            await uow.commit()
