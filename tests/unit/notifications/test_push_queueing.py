"""Pushing notifications to devices (NOTIF-3), on fakes: ``Notify`` queues one ``DeliverPush``
per device that wants the kind; a push names the actor and the kind only, with a topic per
group and an urgency per kind."""

from __future__ import annotations

import pytest

from social.domain.interactions.comment_on_post import CommentCommand
from social.domain.profiles.update_profile import UpdateProfileCommand
from tests.fakes.push import RecordingPushSender
from tests.unit.harness import Accounts, build_accounts
from tests.unit.notifications.pushing import (
    TTL_S,
    a_device,
    a_post,
    deliver,
    notification,
    payload,
    queued_pushes,
)


@pytest.fixture
def sender() -> RecordingPushSender:
    return RecordingPushSender()


@pytest.fixture
def accounts(sender: RecordingPushSender) -> Accounts:
    return build_accounts(push=sender)


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
