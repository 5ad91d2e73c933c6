"""Use cases of the accounts context wired to in-memory fakes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from social.domain.accounts.authenticate import Authenticate
from social.domain.accounts.change_password import ChangePassword
from social.domain.accounts.get_me import GetMe
from social.domain.accounts.log_in import LogIn
from social.domain.accounts.log_out import LogOut
from social.domain.accounts.model import IssuedTokens, User, Viewer
from social.domain.accounts.purge_expired_sessions import PurgeExpiredSessions
from social.domain.accounts.refresh_session import RefreshSession
from social.domain.accounts.register_user import RegisterUser, RegisterUserCommand
from social.domain.accounts.rules import AccountLimits
from social.domain.accounts.update_profile import UpdateProfile
from social.domain.profiles.view_profile import ViewProfile
from tests.fakes.accounts import (
    AccountsStore,
    FakePasswordHasher,
    FakeTokenIssuer,
    InMemoryActiveSessionLookup,
    InMemoryUnitOfWork,
)
from tests.fakes.clock import MutableClock

PASSWORD = "a sturdy passphrase 42"


@dataclass
class Accounts:
    store: AccountsStore
    clock: MutableClock
    hasher: FakePasswordHasher
    register: RegisterUser
    log_in: LogIn
    refresh: RefreshSession
    log_out: LogOut
    change_password: ChangePassword
    get_me: GetMe
    update_profile: UpdateProfile
    view_profile: ViewProfile
    authenticate: Authenticate
    purge: PurgeExpiredSessions

    async def sign_up(self, username: str = "alice") -> tuple[User, IssuedTokens, Viewer]:
        user, tokens = await self.register.execute(
            RegisterUserCommand(
                username=username, email=f"{username}@example.com", password=PASSWORD
            )
        )
        return user, tokens, await self.authenticate.execute(tokens.access_token)


@pytest.fixture
def accounts() -> Accounts:
    store, clock, hasher = AccountsStore(), MutableClock(), FakePasswordHasher()
    limits, ttl = AccountLimits(), timedelta(days=30)
    tokens = FakeTokenIssuer(clock)
    sessions = InMemoryActiveSessionLookup(store)

    def uow() -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(store)

    common = {"uow": uow, "clock": clock}
    return Accounts(
        store=store,
        clock=clock,
        hasher=hasher,
        register=RegisterUser(
            **common, hasher=hasher, tokens=tokens, limits=limits, refresh_ttl=ttl
        ),
        log_in=LogIn(**common, hasher=hasher, tokens=tokens, refresh_ttl=ttl),
        refresh=RefreshSession(**common, tokens=tokens, refresh_ttl=ttl, sessions=sessions),
        log_out=LogOut(**common, sessions=sessions),
        change_password=ChangePassword(**common, hasher=hasher, limits=limits, sessions=sessions),
        get_me=GetMe(uow=uow),
        update_profile=UpdateProfile(**common, limits=limits),
        view_profile=ViewProfile(uow=uow),
        authenticate=Authenticate(tokens=tokens, sessions=sessions),
        purge=PurgeExpiredSessions(**common),
    )
