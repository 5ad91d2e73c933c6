"""Pushing notifications to devices (NOTIF-3), on fakes: ``Notify`` queues one ``DeliverPush``
per device that wants the kind, and delivering one re-reads everything at send time — a
withdrawn notification, a block, a mute, a post gone private or a device gone sends nothing; the
payload names the actor and the kind only; the push service's answer decides what follows."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from uuid import UUID

import pytest

from social.adapters.jobs.registry import run_job
from social.domain.accounts.model import AccountStatus
from social.domain.interactions.comment_on_post import CommentCommand
from social.domain.notifications.jobs import DeliverPush
from social.domain.notifications.model import Notification
from social.domain.notifications.push_ports import PushOutcome, PushSubscription
from social.domain.notifications.push_subscriptions import SubscribePushCommand
from social.domain.posts.create_post import CreatePostCommand
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.shared.errors import Unavailable
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import SendNotification, WithdrawNotification
from tests.fakes.media import FAKE_IMAGE
from tests.fakes.push import RecordingPushSender, browser_keys
from tests.unit.harness import Accounts, build_accounts, ready_media

TTL_S = 86_400  # the default push_ttl_s


@pytest.fixture
def sender() -> RecordingPushSender:
    return RecordingPushSender()


@pytest.fixture
def accounts(sender: RecordingPushSender) -> Accounts:
    return build_accounts(push=sender)


async def a_post(accounts: Accounts, author: Viewer, caption: str = "hello") -> UUID:
    media = await ready_media(accounts, author, FAKE_IMAGE)
    view = await accounts.create_post.execute(author, CreatePostCommand(caption, (media.id,)))
    post_id: UUID = view.state.id
    return post_id


async def a_device(
    accounts: Accounts, viewer: Viewer, name: str = "phone", kinds: list[str] | None = None
) -> PushSubscription:
    p256dh, auth = browser_keys()
    command = SubscribePushCommand(f"https://push.example.net/{name}", p256dh, auth, kinds)
    device: PushSubscription = await accounts.subscribe_push.execute(viewer, command)
    return device


async def queued_pushes(accounts: Accounts) -> list[DeliverPush]:
    """Run the notification jobs queued so far; the pushes they queued (not run)."""
    await accounts.run_jobs(SendNotification)
    return [job for job in accounts.store.jobs if isinstance(job, DeliverPush)]


async def deliver(accounts: Accounts, jobs: list[DeliverPush]) -> list[Any]:
    return [await run_job(accounts.uc, job) for job in jobs]


def notification(accounts: Accounts, job: DeliverPush) -> Notification:
    return accounts.store.notifications[job.notification_id]


def payload(sender: RecordingPushSender, n: int = 0) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(sender.sent[n][1].payload)
    return found


async def test_each_new_notification_is_queued_for_each_device_wanting_its_kind(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    every = await a_device(accounts, alice, "every")
    follows = await a_device(accounts, alice, "follows", ["follow"])
    await a_device(accounts, carol, "carols")  # not the recipient: nothing for her
    post = await a_post(accounts, alice)
    await accounts.like_post.execute(bob, post)
    await accounts.follow_user.execute(bob, "alice")
    jobs = await queued_pushes(accounts)
    assert [(notification(accounts, j).kind.value, j.subscription_id) for j in jobs] == [
        ("like", every.id),
        ("follow", every.id),
        ("follow", follows.id),
    ]
    await accounts.like_post.execute(bob, post)  # the same like again: no new notification
    assert await queued_pushes(accounts) == jobs


async def test_nothing_is_queued_for_an_account_without_devices(accounts: Accounts) -> None:
    await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.follow_user.execute(bob, "alice")
    assert await queued_pushes(accounts) == []
    assert len(accounts.store.notifications) == 1


async def test_a_delivered_push_names_the_actor_and_the_kind(
    accounts: Accounts, sender: RecordingPushSender
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    bob_user, _, bob = await accounts.sign_up("bob")
    device = await a_device(accounts, alice)
    post = await a_post(accounts, alice)
    await accounts.like_post.execute(bob, post)
    (job,) = await queued_pushes(accounts)
    assert await deliver(accounts, [job]) == ["delivered"]
    (sent_to, message) = sender.sent[0]
    assert sent_to == device
    assert payload(sender) == {
        "notification_id": str(job.notification_id),
        "kind": "like",
        "actor": {"id": str(bob_user.id), "username": "bob", "display_name": ""},
        "post_id": str(post),
        "title": "New like",
        "body": "bob liked your post",
    }
    assert (message.ttl_s, message.urgency) == (TTL_S, "normal")
    assert message.topic is not None and len(message.topic) == 22


async def test_the_payload_never_carries_a_caption_or_a_comments_text(
    accounts: Accounts, sender: RecordingPushSender
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await a_device(accounts, alice)
    post = await a_post(accounts, bob, "a caption about the surprise party for @alice")
    await accounts.comment_on_post.execute(bob, post, CommentCommand("@alice the code is 4711"))
    jobs = await queued_pushes(accounts)
    await deliver(accounts, jobs)
    assert [payload(sender, n)["body"] for n in range(2)] == [
        "bob mentioned you",
        "bob mentioned you",
    ]
    for _, message in sender.sent:
        assert b"surprise" not in message.payload and b"4711" not in message.payload


async def test_a_follow_request_is_urgent_and_a_comment_has_no_topic(
    accounts: Accounts, sender: RecordingPushSender
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await a_device(accounts, alice)
    post = await a_post(accounts, alice)
    await accounts.comment_on_post.execute(bob, post, CommentCommand("hi"))
    await accounts.update_profile.execute(alice, UpdateProfileCommand(is_private=True))
    await accounts.follow_user.execute(bob, "alice")
    await deliver(accounts, await queued_pushes(accounts))
    assert [
        (payload(sender, n)["kind"], m.urgency, m.topic) for n, (_, m) in enumerate(sender.sent)
    ] == [
        ("comment", "normal", None),
        ("follow_request", "high", None),
    ]


async def test_likes_of_one_post_share_a_topic_and_another_posts_do_not(
    accounts: Accounts, sender: RecordingPushSender
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    await a_device(accounts, alice)
    first, second = await a_post(accounts, alice), await a_post(accounts, alice)
    await accounts.like_post.execute(bob, first)
    await accounts.like_post.execute(carol, first)
    await accounts.like_post.execute(bob, second)
    await accounts.share_post.execute(bob, first)
    await deliver(accounts, await queued_pushes(accounts))
    topics = [message.topic for _, message in sender.sent]
    assert topics[0] == topics[1]
    assert len(set(topics)) == 3 and None not in topics


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
