"""Registration and sign-in rules (AUTH-1, AUTH-2) on fakes."""

from __future__ import annotations

import pytest

from social.domain.accounts.log_in import LogInCommand
from social.domain.accounts.model import AccountStatus
from social.domain.accounts.register_user import RegisterUserCommand
from social.domain.shared.errors import AuthenticationFailed, Conflict, Invalid
from social.domain.shared.identity import Role
from tests.unit.harness import PASSWORD, Accounts


async def test_registering_creates_an_active_user_signed_in(accounts: Accounts) -> None:
    user, tokens, viewer = await accounts.sign_up("Alice")
    assert user.username == "alice"
    assert user.email == "alice@example.com"
    assert user.role is Role.USER and user.status is AccountStatus.ACTIVE
    assert user.password_hash != PASSWORD and user.password_hash.endswith(PASSWORD)
    assert viewer.user_id == user.id
    assert tokens.refresh_token and tokens.expires_in == 900


async def test_every_invalid_field_is_reported_at_once(accounts: Accounts) -> None:
    with pytest.raises(Invalid) as caught:
        await accounts.register.execute(
            RegisterUserCommand(
                username="a!", email="nope", password="short", display_name="x" * 60
            )
        )
    assert {e.field for e in caught.value.errors} == {
        "username",
        "email",
        "password",
        "display_name",
    }
    assert accounts.store.users == {}


@pytest.mark.parametrize(
    ("username", "email", "field"),
    [("ALICE", "other@example.com", "username"), ("other", "Alice@Example.com", "email")],
)
async def test_username_and_email_are_unique_case_insensitively(
    accounts: Accounts, username: str, email: str, field: str
) -> None:
    await accounts.sign_up("alice")
    with pytest.raises(Conflict) as caught:
        await accounts.register.execute(
            RegisterUserCommand(username=username, email=email, password=PASSWORD)
        )
    assert caught.value.field == field


@pytest.mark.parametrize("login", ["alice", "ALICE", "alice@example.com", " Alice@EXAMPLE.com "])
async def test_log_in_by_username_or_email(accounts: Accounts, login: str) -> None:
    await accounts.sign_up("alice")
    tokens = await accounts.log_in.execute(LogInCommand(login=login, password=PASSWORD))
    viewer = await accounts.authenticate.execute(tokens.access_token)
    assert viewer.role is Role.USER


async def test_unknown_account_and_wrong_password_fail_alike(accounts: Accounts) -> None:
    await accounts.sign_up("alice")
    with pytest.raises(AuthenticationFailed) as unknown:
        await accounts.log_in.execute(LogInCommand(login="nobody", password=PASSWORD))
    with pytest.raises(AuthenticationFailed) as wrong:
        await accounts.log_in.execute(LogInCommand(login="alice", password="wrong password"))
    assert unknown.value.message == wrong.value.message
    # the unknown account still cost one (dummy) verification: same work, same time
    assert accounts.hasher.dummy_verifications == 1
    assert accounts.hasher.verifications == 1


async def test_suspended_accounts_cannot_log_in(accounts: Accounts) -> None:
    user, _, _ = await accounts.sign_up("alice")
    from dataclasses import replace

    accounts.store.users[user.id] = replace(user, status=AccountStatus.SUSPENDED)
    with pytest.raises(AuthenticationFailed):
        await accounts.log_in.execute(LogInCommand(login="alice", password=PASSWORD))


async def test_an_outdated_hash_is_upgraded_on_log_in(accounts: Accounts) -> None:
    user, _, _ = await accounts.sign_up("alice")
    accounts.hasher.version = 2
    await accounts.log_in.execute(LogInCommand(login="alice", password=PASSWORD))
    upgraded = accounts.store.users[user.id].password_hash
    assert upgraded.startswith("v2$") and upgraded.endswith(f"${PASSWORD}")
