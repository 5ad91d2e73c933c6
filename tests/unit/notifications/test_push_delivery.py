"""Delivering one push (NOTIF-3), on fakes: everything is read again at send time — a
withdrawn notification, a block, a mute, a suspension, a post gone private or a device gone
sends nothing; the push service's answer decides what follows; the TTL counts from the
notification."""

from __future__ import annotations

from dataclasses import replace

import pytest

from social.adapters.jobs.registry import run_job
from social.domain.accounts.model import AccountStatus
from social.domain.notifications.push_ports import PushOutcome
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.shared.errors import Unavailable
from social.domain.shared.jobs import WithdrawNotification
from tests.fakes.push import RecordingPushSender
from tests.unit.harness import Accounts, build_accounts
from tests.unit.notifications.pushing import TTL_S, a_device, a_post, deliver, queued_pushes


@pytest.fixture
def sender() -> RecordingPushSender:
    return RecordingPushSender()


@pytest.fixture
def accounts(sender: RecordingPushSender) -> Accounts:
    return build_accounts(push=sender)


async def test_a_device_the_push_service_says_is_gone_is_removed(
    accounts: Accounts, sender: RecordingPushSender
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    gone = await a_device(accounts, alice, "old")
    kept = await a_device(accounts, alice, "new")
    sender.outcomes[gone.endpoint] = PushOutcome.GONE
    await accounts.follow_user.execute(bob, "alice")
    assert await deliver(accounts, await queued_pushes(accounts)) == ["gone", "delivered"]
    assert list(accounts.store.push_subscriptions) == [kept.id]


async def test_a_transient_failure_is_retried_and_a_refusal_is_not(
    accounts: Accounts, sender: RecordingPushSender
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    busy = await a_device(accounts, alice, "busy")
    refusing = await a_device(accounts, alice, "refusing")
    sender.outcomes[busy.endpoint] = PushOutcome.RETRY
    sender.outcomes[refusing.endpoint] = PushOutcome.REFUSED
    await accounts.follow_user.execute(bob, "alice")
    retried, refused = await queued_pushes(accounts)
    with pytest.raises(Unavailable):
        await run_job(accounts.uc, retried)
    assert await run_job(accounts.uc, refused) == "refused"
    assert set(accounts.store.push_subscriptions) == {busy.id, refusing.id}
    del sender.outcomes[busy.endpoint]  # the service is back: the retry delivers
    assert await run_job(accounts.uc, retried) == "delivered"


async def test_a_withdrawn_notification_is_not_pushed(
    accounts: Accounts, sender: RecordingPushSender
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await a_device(accounts, alice)
    post = await a_post(accounts, alice)
    await accounts.like_post.execute(bob, post)
    jobs = await queued_pushes(accounts)
    await accounts.unlike_post.execute(bob, post)
    await accounts.run_jobs(WithdrawNotification)  # before the push
    assert await deliver(accounts, jobs) == [None]
    assert sender.sent == []


@pytest.mark.parametrize("change", ["recipient blocks", "actor blocks", "recipient mutes"])
async def test_nothing_is_pushed_from_an_actor_blocked_or_muted_since(
    accounts: Accounts, sender: RecordingPushSender, change: str
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await a_device(accounts, alice)
    await accounts.follow_user.execute(bob, "alice")
    jobs = await queued_pushes(accounts)
    if change == "recipient blocks":
        await accounts.block_user.execute(alice, "bob")
    elif change == "actor blocks":
        await accounts.block_user.execute(bob, "alice")
    else:
        await accounts.mute_user.execute(alice, "bob")
    assert await deliver(accounts, jobs) == [None]
    assert sender.sent == []


@pytest.mark.parametrize("who", ["actor", "recipient"])
async def test_nothing_is_pushed_when_an_account_was_suspended_since(
    accounts: Accounts, sender: RecordingPushSender, who: str
) -> None:
    alice_user, _, alice = await accounts.sign_up("alice")
    bob_user, _, bob = await accounts.sign_up("bob")
    await a_device(accounts, alice)
    await accounts.follow_user.execute(bob, "alice")
    jobs = await queued_pushes(accounts)
    user = bob_user if who == "actor" else alice_user
    accounts.store.users[user.id] = replace(user, status=AccountStatus.SUSPENDED)
    assert await deliver(accounts, jobs) == [None]
    assert sender.sent == []


async def test_a_post_the_recipient_can_no_longer_see_is_not_pushed(
    accounts: Accounts, sender: RecordingPushSender
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await a_device(accounts, alice)
    await a_post(accounts, bob, "look @alice")
    jobs = await queued_pushes(accounts)
    await accounts.update_profile.execute(bob, UpdateProfileCommand(is_private=True))
    assert await deliver(accounts, jobs) == [None]
    assert sender.sent == []


async def test_a_device_gone_or_no_longer_wanting_the_kind_gets_nothing(
    accounts: Accounts, sender: RecordingPushSender
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    dropped = await a_device(accounts, alice, "dropped")
    await a_device(accounts, alice, "changed")
    await accounts.follow_user.execute(bob, "alice")
    jobs = await queued_pushes(accounts)
    await accounts.unsubscribe_push.execute(alice, dropped.id)
    await a_device(accounts, alice, "changed", ["mention"])
    assert await deliver(accounts, jobs) == [None, None]
    assert sender.sent == []


async def test_a_late_push_carries_what_is_left_of_its_ttl_and_none_once_past(
    accounts: Accounts, sender: RecordingPushSender
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await a_device(accounts, alice)
    await accounts.follow_user.execute(bob, "alice")
    (job,) = await queued_pushes(accounts)
    accounts.clock.advance(seconds=600)
    await deliver(accounts, [job])
    assert sender.sent[0][1].ttl_s == TTL_S - 600
    accounts.clock.advance(seconds=TTL_S)
    assert await deliver(accounts, [job]) == [None]
    assert len(sender.sent) == 1
