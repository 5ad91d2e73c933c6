"""Refresh rotation, reuse detection, logout and password change (AUTH-3) on fakes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from social.domain.accounts.change_password import ChangePasswordCommand
from social.domain.accounts.log_in import LogInCommand
from social.domain.accounts.model import AccountStatus
from social.domain.shared.errors import AuthenticationFailed, Invalid
from tests.unit.harness import PASSWORD, Accounts


async def test_refresh_rotates_the_token(accounts: Accounts) -> None:
    _, first, viewer = await accounts.sign_up()
    second = await accounts.refresh.execute(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    again = await accounts.authenticate.execute(second.access_token)
    assert again.session_id == viewer.session_id


async def test_reusing_a_refresh_token_revokes_the_whole_family(accounts: Accounts) -> None:
    _, first, _ = await accounts.sign_up()
    second = await accounts.refresh.execute(first.refresh_token)
    accounts.clock.advance(seconds=31)  # past the grace window (see test_refresh_grace.py)
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute(first.refresh_token)  # the thief, or a replay
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute(second.refresh_token)  # the family is dead
    with pytest.raises(AuthenticationFailed):
        await accounts.authenticate.execute(second.access_token)
    session = next(iter(accounts.store.sessions.values()))
    assert session.revoke_reason == "refresh-token-reuse"


async def test_an_unknown_or_expired_refresh_token_is_refused(accounts: Accounts) -> None:
    _, tokens, _ = await accounts.sign_up()
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute("not-a-token")
    accounts.clock.advance(days=31)
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute(tokens.refresh_token)


async def test_a_suspended_user_cannot_refresh(accounts: Accounts) -> None:
    user, tokens, _ = await accounts.sign_up()
    accounts.store.users[user.id] = replace(user, status=AccountStatus.SUSPENDED)
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute(tokens.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.authenticate.execute(tokens.access_token)


async def test_logout_ends_the_session_and_is_idempotent(accounts: Accounts) -> None:
    _, tokens, viewer = await accounts.sign_up()
    await accounts.log_out.execute(viewer, tokens.refresh_token)
    await accounts.log_out.execute(viewer, tokens.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute(tokens.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.authenticate.execute(tokens.access_token)


async def test_logout_cannot_end_someone_elses_session(accounts: Accounts) -> None:
    _, alice_tokens, _ = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.log_out.execute(bob, alice_tokens.refresh_token)
    assert await accounts.refresh.execute(alice_tokens.refresh_token)


async def test_password_change_keeps_this_session_and_ends_the_others(accounts: Accounts) -> None:
    _, here, viewer = await accounts.sign_up()
    elsewhere = await accounts.log_in.execute(LogInCommand(login="alice", password=PASSWORD))
    await accounts.change_password.execute(
        viewer, ChangePasswordCommand(current_password=PASSWORD, new_password="brand new secret 7")
    )
    assert await accounts.authenticate.execute(here.access_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.authenticate.execute(elsewhere.access_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.log_in.execute(LogInCommand(login="alice", password=PASSWORD))
    assert await accounts.log_in.execute(LogInCommand(login="alice", password="brand new secret 7"))


@pytest.mark.parametrize(
    ("current", "new", "field"),
    [
        ("wrong password!", "brand new secret 7", "current_password"),
        (PASSWORD, "short", "new_password"),
        (PASSWORD, PASSWORD, "new_password"),
    ],
)
async def test_password_change_rules(
    accounts: Accounts, current: str, new: str, field: str
) -> None:
    _, _, viewer = await accounts.sign_up()
    with pytest.raises(Invalid) as caught:
        await accounts.change_password.execute(
            viewer, ChangePasswordCommand(current_password=current, new_password=new)
        )
    assert caught.value.errors[0].field == field


async def test_purge_forgets_expired_tokens_only(accounts: Accounts) -> None:
    _, old, _ = await accounts.sign_up("alice")
    accounts.clock.advance(days=20)
    _, fresh, _ = await accounts.sign_up("bob")
    accounts.clock.advance(days=15)
    assert await accounts.purge.execute() == 1
    assert await accounts.purge.execute() == 0
    assert len(accounts.store.sessions) == 1
    assert await accounts.refresh.execute(fresh.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute(old.refresh_token)
