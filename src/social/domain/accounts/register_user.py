"""Register a new account (AUTH-1) and sign it in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.domain.accounts.devices import Device
from social.domain.accounts.jobs import SendEmailVerification
from social.domain.accounts.model import AccountStatus, IssuedTokens, User
from social.domain.accounts.ports import PasswordHasher, TokenIssuer, UnitOfWorkFactory
from social.domain.accounts.rules import (
    AccountLimits,
    parse_display_name,
    parse_email,
    parse_username,
    validate_password,
)
from social.domain.accounts.sessions import start_session
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Conflict, ErrorCollector
from social.domain.shared.identity import Role
from social.domain.shared.ids import new_id
from social.domain.shared.search_changes import ChangeKind

__all__ = ["RegisterUser", "RegisterUserCommand"]


@dataclass(frozen=True, slots=True)
class RegisterUserCommand:
    username: str
    email: str
    password: str
    display_name: str = ""
    device: Device | None = None


class RegisterUser:
    """Rules: every field valid (all problems reported at once); username and email unique,
    case-insensitively, and a deleted account's username stays taken while it is held; the
    address is mailed a verification link; the password is stored only as an argon2id hash;
    the new account starts a session at once."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        clock: Clock,
        limits: AccountLimits,
        refresh_ttl: timedelta,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._tokens = tokens
        self._clock = clock
        self._limits = limits
        self._refresh_ttl = refresh_ttl

    async def execute(self, command: RegisterUserCommand) -> tuple[User, IssuedTokens]:
        username, email, display_name = self._validate(command)
        async with self._uow() as uow:
            taken = await uow.users.get_by_username(username) is not None
            if taken or await uow.username_holds.is_held(username, self._clock.now()):
                raise Conflict("This username is taken.", field="username")
            if await uow.users.get_by_email(email) is not None:
                raise Conflict("An account with this email exists.", field="email")
        password_hash = await self._hasher.hash(command.password)
        now = self._clock.now()
        user = User(
            id=new_id(),
            username=username,
            email=email,
            password_hash=password_hash,
            display_name=display_name,
            bio="",
            website=None,
            is_private=False,
            role=Role.USER,
            status=AccountStatus.ACTIVE,
            created_at=now,
            updated_at=now,
        )
        async with self._uow() as uow:
            await uow.users.add(user)  # the unique constraints settle a race with the check above
            await uow.search_changes.record(ChangeKind.USER, user.id)
            await uow.jobs.enqueue(SendEmailVerification(user.id))
            tokens = await start_session(
                uow,
                self._tokens,
                user,
                now=now,
                refresh_ttl=self._refresh_ttl,
                device=command.device,
            )
            await uow.commit()
        return user, tokens

    def _validate(self, command: RegisterUserCommand) -> tuple[str, str, str]:
        limits, collector = self._limits, ErrorCollector()
        username = collector.check(lambda: parse_username(command.username, limits), "")
        email = collector.check(lambda: parse_email(command.email, limits), "")
        avoid = (username, email.partition("@")[0])
        collector.check(
            lambda: validate_password(command.password, limits, field="password", avoid=avoid), ""
        )
        display_name = collector.check(lambda: parse_display_name(command.display_name, limits), "")
        collector.raise_if_any()
        return username, email, display_name
