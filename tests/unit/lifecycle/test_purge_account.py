"""Account deletion (AUTH-6) on fakes: a deleted account is gone at once, and the purge job
erases it."""

from __future__ import annotations

import pytest

from social.domain.accounts.log_in import LogInCommand
from social.domain.shared.errors import AuthenticationFailed, NotFound
from social.domain.shared.jobs import PurgeDeletedAccount
from tests.fakes.media import FAKE_IMAGE
from tests.unit.harness import PASSWORD, Accounts


async def test_a_deleted_account_is_gone_at_once_and_erased_by_the_job(accounts: Accounts) -> None:
    user, tokens, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.follow_user.execute(alice, "bob")
    await accounts.follow_user.execute(bob, "alice")
    await accounts.update_avatar.execute(alice, FAKE_IMAGE)
    await accounts.delete_account.execute(alice, PASSWORD)

    with pytest.raises(AuthenticationFailed):
        await accounts.authenticate.execute(tokens.access_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.log_in.execute(LogInCommand(login="alice", password=PASSWORD))
    with pytest.raises(NotFound):
        await accounts.view_profile.execute(bob, "alice")
    assert accounts.store.jobs[-1] == PurgeDeletedAccount(user.id)

    assert await accounts.purge_account.execute(user.id) is True
    assert user.id not in accounts.store.users
    assert accounts.storage.objects == {}
    assert accounts.store.follows == {} and accounts.store.media == {}
    assert accounts.user(bob).followers_count == accounts.user(bob).following_count == 0
    assert await accounts.purge_account.execute(user.id) is False  # idempotent


async def test_purge_leaves_active_accounts_alone(accounts: Accounts) -> None:
    user, _, _ = await accounts.sign_up("alice")
    assert await accounts.purge_account.execute(user.id) is False
    assert user.id in accounts.store.users
