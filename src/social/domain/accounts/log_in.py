"""Sign in with username or email and a password (AUTH-2)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from social.domain.accounts.devices import Device
from social.domain.accounts.model import IssuedTokens, User
from social.domain.accounts.ports import AccountsUnitOfWork, PasswordHasher, TokenIssuer
from social.domain.accounts.second_factor import SecondFactor
from social.domain.accounts.sessions import start_session
from social.domain.accounts.two_factor import OtpRequired
from social.domain.accounts.two_factor_ports import TwoFactorUnitOfWork, TwoFactorUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import AuthenticationFailed

__all__ = ["CheckedPassword", "LogIn", "LogInCommand", "upgrade_hash"]

_FAILED = "The login or password is incorrect."


@dataclass(frozen=True, slots=True)
class LogInCommand:
    login: str
    password: str
    otp: str | None = None
    """A TOTP code or an unused recovery code, for an account with two-factor on."""
    device: Device | None = None


@dataclass(frozen=True, slots=True)
class CheckedPassword:
    """An account whose password was just verified, and its hash redone with the current
    parameters when the stored one used older ones."""

    user: User
    new_hash: str | None = None


async def upgrade_hash(
    uow: AccountsUnitOfWork, current: User, checked: CheckedPassword, *, now: datetime
) -> User:
    """Store the redone hash, unless the password changed since it was checked; the caller
    commits."""
    if checked.new_hash is None or current.password_hash != checked.user.password_hash:
        return current
    current = replace(current, password_hash=checked.new_hash, updated_at=now)
    await uow.users.update(current)
    return current


class LogIn:
    """Rules: ``login`` is a username or an email (case-insensitive); every failure — unknown
    account, wrong password, suspended or deleted account — gives the same error after the same
    work (one password verification); a hash made with older parameters is upgraded. With
    two-factor on, the right password without ``otp`` is ``OtpRequired``, and a wrong, used or
    replayed code fails like a wrong password; only someone with the password learns that the
    account has two-factor on."""

    def __init__(
        self,
        *,
        uow: TwoFactorUnitOfWorkFactory,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        clock: Clock,
        refresh_ttl: timedelta,
        second_factor: SecondFactor | None = None,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._tokens = tokens
        self._clock = clock
        self._refresh_ttl = refresh_ttl
        self._second_factor = second_factor

    async def execute(self, command: LogInCommand) -> IssuedTokens:
        checked = await self.check_password(command.login, command.password)
        if checked.user.two_factor_enabled and not command.otp:
            raise OtpRequired("This account has two-factor authentication on: send `otp`.")
        now = self._clock.now()
        async with self._uow() as uow:
            current = await uow.users.get(checked.user.id)
            if current is None or not current.is_active:
                raise AuthenticationFailed(_FAILED)
            if current.two_factor_enabled and not await self._second_factor_passes(
                uow, current.id, command.otp
            ):
                raise AuthenticationFailed("The code is not valid (or was used already).")
            current = await upgrade_hash(uow, current, checked, now=now)
            tokens = await start_session(
                uow,
                self._tokens,
                current,
                now=now,
                refresh_ttl=self._refresh_ttl,
                device=command.device,
            )
            await uow.commit()
        return tokens

    async def check_password(self, login: str, password: str) -> CheckedPassword:
        """The account ``login`` names, if ``password`` is its password and it is active (the
        first step of every sign-in: this API's and the OAuth grants'); the same error after
        the same work otherwise. Two-factor is the caller's next step."""
        login = login.strip().lower()
        async with self._uow() as uow:
            user = await (
                uow.users.get_by_email(login) if "@" in login else uow.users.get_by_username(login)
            )
        if user is None:
            await self._hasher.verify_dummy(password)
            raise AuthenticationFailed(_FAILED)
        if not await self._hasher.verify(user.password_hash, password):
            raise AuthenticationFailed(_FAILED)
        if not user.is_active:
            raise AuthenticationFailed(_FAILED)
        new_hash = None
        if self._hasher.needs_rehash(user.password_hash):
            new_hash = await self._hasher.hash(password)
        return CheckedPassword(user=user, new_hash=new_hash)

    async def _second_factor_passes(
        self, uow: TwoFactorUnitOfWork, user_id: UUID, otp: str | None
    ) -> bool:
        if not otp:  # turned on between the two transactions
            raise OtpRequired("This account has two-factor authentication on: send `otp`.")
        return self._second_factor is not None and await self._second_factor.verify(
            uow, user_id, otp
        )
