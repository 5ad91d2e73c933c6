"""The refresh grace window (issue 13): the same refresh token presented again shortly after its
rotation (two tabs, a retry after a lost answer) gets the same new pair; later, or once the
new pair has been used, it is a leak and ends the session. On the fake clock: no waiting."""

from __future__ import annotations

import pytest

from social.domain.shared.errors import AuthenticationFailed
from tests.unit.harness import Accounts

GRACE_S = 30  # Settings.accounts.refresh_reuse_grace_s


async def test_a_repeat_within_the_window_returns_the_same_pair(accounts: Accounts) -> None:
    _, first, viewer = await accounts.sign_up()
    rotated = await accounts.refresh.execute(first.refresh_token)
    tokens_after_rotation = dict(accounts.store.tokens)
    accounts.clock.advance(seconds=GRACE_S)  # the last moment of the window
    again = await accounts.refresh.execute(first.refresh_token)
    assert again == rotated  # both tokens, the expiry, everything
    assert accounts.store.tokens == tokens_after_rotation  # nothing issued a second time
    assert (await accounts.authenticate.execute(again.access_token)).session_id == (
        viewer.session_id
    )
    following = await accounts.refresh.execute(again.refresh_token)  # the family goes on
    assert following.refresh_token not in {first.refresh_token, rotated.refresh_token}
    assert next(iter(accounts.store.sessions.values())).revoked_at is None


async def test_a_repeat_after_the_window_revokes_the_family(accounts: Accounts) -> None:
    _, first, _ = await accounts.sign_up()
    rotated = await accounts.refresh.execute(first.refresh_token)
    accounts.clock.advance(seconds=GRACE_S + 1)
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute(first.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute(rotated.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.authenticate.execute(rotated.access_token)
    assert next(iter(accounts.store.sessions.values())).revoke_reason == "refresh-token-reuse"


async def test_a_repeat_once_the_new_pair_was_used_revokes_the_family(accounts: Accounts) -> None:
    _, first, _ = await accounts.sign_up()
    rotated = await accounts.refresh.execute(first.refresh_token)
    latest = await accounts.refresh.execute(rotated.refresh_token)
    with pytest.raises(AuthenticationFailed):  # within the window, but the successor moved on
        await accounts.refresh.execute(first.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute(latest.refresh_token)
    assert next(iter(accounts.store.sessions.values())).revoke_reason == "refresh-token-reuse"


async def test_a_repeat_in_a_revoked_session_is_refused(accounts: Accounts) -> None:
    _, first, viewer = await accounts.sign_up()
    rotated = await accounts.refresh.execute(first.refresh_token)
    await accounts.log_out.execute(viewer, rotated.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.refresh.execute(first.refresh_token)
