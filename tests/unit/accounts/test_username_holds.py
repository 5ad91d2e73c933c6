"""Held usernames (issue 15, deliver 8) on fakes: a deleted account's username stays taken for
``SOCIAL_USERNAME_HOLD_DAYS`` after its purge, then anybody may register it."""

from __future__ import annotations

import pytest

from social.domain.accounts.register_user import RegisterUserCommand
from social.domain.shared.errors import Conflict
from social.domain.shared.jobs import PurgeDeletedAccount
from tests.unit.accounts.mail_harness import build_mail_accounts
from tests.unit.harness import PASSWORD, Accounts


def _again(username: str) -> RegisterUserCommand:
    return RegisterUserCommand(username=username, email="new@example.com", password=PASSWORD)


async def _deleted_and_purged(accounts: Accounts, username: str) -> None:
    _, _, viewer = await accounts.sign_up(username)
    await accounts.delete_account.execute(viewer, PASSWORD)
    await accounts.run_jobs(PurgeDeletedAccount)
    assert not accounts.store.users


async def test_a_purged_username_is_taken_until_the_hold_ends() -> None:
    accounts, _ = build_mail_accounts(username_hold_days=30)
    await _deleted_and_purged(accounts, "alice")
    accounts.clock.advance(days=29)
    with pytest.raises(Conflict) as taken:
        await accounts.register.execute(_again("ALICE"))
    assert taken.value.field == "username" and str(taken.value) == "This username is taken."
    accounts.clock.advance(days=1, seconds=1)
    assert await accounts.purge_expired_account_records.execute() == 1
    assert accounts.store.username_holds == {}
    user, _ = await accounts.register.execute(_again("alice"))
    assert user.username == "alice"


async def test_no_hold_when_the_setting_is_zero() -> None:
    accounts, _ = build_mail_accounts(username_hold_days=0)
    await _deleted_and_purged(accounts, "alice")
    await accounts.register.execute(_again("alice"))


async def test_the_purge_of_records_forgets_expired_tokens() -> None:
    accounts, _ = build_mail_accounts()
    await accounts.sign_up("alice")
    await accounts.run_jobs()
    assert len(accounts.store.account_tokens) == 1
    assert await accounts.purge_expired_account_records.execute() == 0
    accounts.clock.advance(hours=25)
    assert await accounts.purge_expired_account_records.execute() == 1
    assert accounts.store.account_tokens == {}
