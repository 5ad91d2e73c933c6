"""Signed-in devices (AUTH-9) on fakes: what a session remembers, listing, revoking."""

from __future__ import annotations

from dataclasses import replace

import pytest

from social.domain.accounts.devices import MAX_USER_AGENT, Device, coarse_ip
from social.domain.accounts.log_in import LogInCommand
from social.domain.accounts.model import IssuedTokens
from social.domain.accounts.register_user import RegisterUserCommand
from social.domain.shared.errors import AuthenticationFailed, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id
from tests.unit.harness import PASSWORD, Accounts

PHONE = Device.of_client("Phone/1.0", "198.51.100.23")
LAPTOP = Device.of_client("Laptop/2.0", "2001:db8:1234:5678::9")


def test_addresses_are_kept_only_as_their_network() -> None:
    assert coarse_ip("203.0.113.57") == "203.0.113.0/24"
    assert coarse_ip("2001:db8:1234:5678:9abc::1") == "2001:db8:1234::/48"
    assert coarse_ip("::ffff:192.0.2.200") == "192.0.2.0/24"  # IPv4-mapped counts as IPv4
    assert coarse_ip("testclient") is None
    assert coarse_ip("") is None and coarse_ip(None) is None


def test_the_user_agent_is_cleaned_and_cut() -> None:
    device = Device.of_client("  Agent\x00\n/1 " + "x" * 1000, None)
    assert device.user_agent.startswith("Agent/1 ")
    assert len(device.user_agent) == MAX_USER_AGENT
    assert Device.of_client(None, None) == Device("", None)


async def _two_devices(accounts: Accounts) -> tuple[IssuedTokens, Viewer]:
    """alice signs up on her phone, then signs in on her laptop a minute later."""
    await accounts.register.execute(
        RegisterUserCommand(
            username="alice", email="alice@example.com", password=PASSWORD, device=PHONE
        )
    )
    accounts.clock.advance(seconds=60)
    laptop = await accounts.log_in.execute(LogInCommand("alice", PASSWORD, device=LAPTOP))
    return laptop, await accounts.authenticate.execute(laptop.access_token)


async def test_the_list_shows_each_device_newest_first_and_which_is_current(
    accounts: Accounts,
) -> None:
    _, viewer = await _two_devices(accounts)
    listed = await accounts.list_sessions.execute(viewer)
    assert [(s.user_agent, s.ip, s.current) for s in listed] == [
        ("Laptop/2.0", "2001:db8:1234::/48", True),
        ("Phone/1.0", "198.51.100.0/24", False),
    ]
    assert all(s.last_used_at == s.created_at for s in listed)


async def test_a_refresh_is_the_sessions_last_use(accounts: Accounts) -> None:
    laptop, viewer = await _two_devices(accounts)
    accounts.clock.advance(minutes=10)
    await accounts.refresh.execute(laptop.refresh_token)
    current = (await accounts.list_sessions.execute(viewer))[0]
    assert current.current and current.last_used_at == accounts.clock.now()
    assert current.created_at < current.last_used_at


async def test_revoked_and_expired_sessions_are_not_listed(accounts: Accounts) -> None:
    _, _, viewer = await accounts.sign_up()
    other = await accounts.log_in.execute(LogInCommand("alice", PASSWORD))
    await accounts.log_out.execute(await accounts.authenticate.execute(other.access_token), None)
    assert [s.id for s in await accounts.list_sessions.execute(viewer)] == [viewer.session_id]
    accounts.clock.advance(days=31)  # the refresh token expired: the device is signed out
    assert await accounts.list_sessions.execute(viewer) == []


async def test_revoking_a_session_ends_its_tokens_at_once(accounts: Accounts) -> None:
    _, phone, phone_viewer = await accounts.sign_up()
    laptop = await accounts.log_in.execute(LogInCommand("alice", PASSWORD))
    viewer = await accounts.authenticate.execute(laptop.access_token)
    await accounts.revoke_session.execute(viewer, phone_viewer.session_id)
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute(phone.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.authenticate.execute(phone.access_token)
    assert await accounts.authenticate.execute(laptop.access_token) == viewer
    assert accounts.store.sessions[phone_viewer.session_id].revoke_reason == "revoked-by-owner"
    await accounts.revoke_session.execute(viewer, phone_viewer.session_id)  # again: a no-op


async def test_someone_elses_or_an_unknown_session_is_not_found(accounts: Accounts) -> None:
    _, alice_tokens, alice = await accounts.sign_up("alice")
    _, _, mallory = await accounts.sign_up("mallory")
    for session_id in (alice.session_id, new_id()):
        with pytest.raises(NotFound):
            await accounts.revoke_session.execute(mallory, session_id)
    assert await accounts.authenticate.execute(alice_tokens.access_token) == alice
    assert [s.id for s in await accounts.list_sessions.execute(mallory)] == [mallory.session_id]


async def test_revoking_the_others_keeps_the_current_one(accounts: Accounts) -> None:
    _, phone, _ = await accounts.sign_up()
    tablet = await accounts.log_in.execute(LogInCommand("alice", PASSWORD))
    laptop = await accounts.log_in.execute(LogInCommand("alice", PASSWORD))
    viewer = await accounts.authenticate.execute(laptop.access_token)
    assert await accounts.revoke_other_sessions.execute(viewer) == 2
    for gone in (phone, tablet):
        with pytest.raises(AuthenticationFailed):
            await accounts.authenticate.execute(gone.access_token)
        with pytest.raises(AuthenticationFailed):
            await accounts.refresh.execute(gone.refresh_token)
    assert [s.id for s in await accounts.list_sessions.execute(viewer)] == [viewer.session_id]
    assert await accounts.revoke_other_sessions.execute(viewer) == 0


async def test_sessions_from_before_the_devices_were_kept_list_their_creation(
    accounts: Accounts,
) -> None:
    _, _, viewer = await accounts.sign_up()
    old = accounts.store.sessions[viewer.session_id]
    accounts.store.sessions[old.id] = replace(old, last_used_at=None, user_agent="", ip=None)
    (listed,) = await accounts.list_sessions.execute(viewer)
    assert (listed.last_used_at, listed.user_agent, listed.ip) == (old.created_at, "", None)
