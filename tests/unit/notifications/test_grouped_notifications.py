"""Grouped notifications on fakes (NOTIF-4): the grouping rule and its wire form, groups
through likes, unlikes, shares and follows, hidden actors, marking a group read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest

from social.domain.accounts.model import AccountStatus
from social.domain.interactions.comment_on_post import CommentCommand
from social.domain.notifications.grouped_notifications import ACTORS_LOOKED_AT, GroupView
from social.domain.notifications.model import Notification, group_key, parse_group_key
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id
from social.domain.shared.notification_kinds import NotificationKind as Kind
from social.domain.shared.pagination import Cursor, Page, PageRequest
from tests.fakes.reads import shown
from tests.unit.harness import Accounts
from tests.unit.notifications.test_browse_notifications import a_post

POST = UUID("0190a0b0-0000-7000-8000-000000000001")
ID = UUID("0190a0b0-0000-7000-8000-0000000000ff")
MIDNIGHT = datetime(2026, 3, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "at", "post_id", "expected"),
    [
        (Kind.LIKE, MIDNIGHT, POST, f"like:{POST}"),
        (Kind.SHARE, MIDNIGHT, POST, f"share:{POST}"),
        (Kind.LIKE, MIDNIGHT, None, f"like:{ID}"),  # no post to group on: alone
        (Kind.FOLLOW, MIDNIGHT, None, "follow:2026-03-02"),
        (Kind.FOLLOW, MIDNIGHT - timedelta(microseconds=1), None, "follow:2026-03-01"),
        (
            Kind.FOLLOW,
            datetime(2026, 3, 2, 4, tzinfo=timezone(timedelta(hours=5))),
            None,
            "follow:2026-03-01",
        ),  # 04:00 at UTC+5
        (Kind.COMMENT, MIDNIGHT, POST, f"comment:{ID}"),
        (Kind.REPLY, MIDNIGHT, POST, f"reply:{ID}"),
        (Kind.MENTION, MIDNIGHT, POST, f"mention:{ID}"),
        (Kind.FOLLOW_REQUEST, MIDNIGHT, None, f"follow_request:{ID}"),
    ],
)
def test_the_grouping_rule(kind: Kind, at: datetime, post_id: UUID | None, expected: str) -> None:
    assert group_key(kind, ID, at, post_id) == expected
    note = Notification(ID, new_id(), kind, new_id(), at, post_id)
    assert note.group_key == expected
    assert parse_group_key(expected) == expected  # what is listed can be sent back


def test_a_group_id_is_read_back_in_its_canonical_form() -> None:
    assert parse_group_key(f"like:{str(POST).upper()}") == f"like:{POST}"
    assert parse_group_key(f"share:{POST.hex}") == f"share:{POST}"


@pytest.mark.parametrize(
    "text",
    ["", "like", f"like:{POST}x", f"poke:{POST}", "follow:2026-02-30", "like:2026-03-01",
     f" like:{POST}", "follow:26-03-01", f"LIKE:{POST}", "like:" + "a" * 36],
)  # fmt: skip
def test_anything_else_is_not_a_group(text: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_group_key(text)
    assert caught.value.errors[0].field == "group_id"


async def groups(accounts: Accounts, viewer: Viewer, limit: int = 20) -> list[GroupView]:
    await accounts.run_jobs()
    page: Page[GroupView, Cursor]
    page = await accounts.list_notification_groups.execute(viewer, PageRequest(limit=limit))
    return page.items


def names(view: GroupView) -> list[str]:
    return [shown(actor)["username"] for actor in view.actors]


async def like(accounts: Accounts, fan: Viewer, post: UUID) -> None:
    """A like a second after the last, notified at once (notifications take the job's time)."""
    accounts.clock.advance(seconds=1)
    await accounts.like_post.execute(fan, post)
    await accounts.run_jobs()


async def fans(accounts: Accounts, count: int, prefix: str = "fan") -> list[Viewer]:
    return [(await accounts.sign_up(f"{prefix}{i}"))[2] for i in range(count)]


async def test_likes_unlikes_shares_follows_and_comments(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    people = await fans(accounts, 5)
    first, second = await a_post(accounts, alice), await a_post(accounts, alice)
    for fan in people:
        await like(accounts, fan, first)
    (liked,) = await groups(accounts, alice)
    assert (liked.group.key, liked.group.kind, liked.group.post_id) == (
        f"like:{first}",
        Kind.LIKE,
        first,
    )
    assert (names(liked), liked.actors_count, liked.group.read) == (
        ["fan4", "fan3", "fan2"],
        5,
        False,
    )
    assert liked.group.latest_at == accounts.clock.now()
    await accounts.unlike_post.execute(people[4], first)  # withdrawn: the group stays whole
    (liked,) = await groups(accounts, alice)
    assert (names(liked), liked.actors_count) == (["fan3", "fan2", "fan1"], 4)
    assert liked.group.latest_at == accounts.clock.now() - timedelta(seconds=1)

    steps: list[Callable[[], Awaitable[object]]] = [
        lambda: accounts.share_post.execute(people[0], first),
        lambda: accounts.like_post.execute(people[0], second),
        lambda: accounts.follow_user.execute(people[0], "alice"),
        lambda: accounts.follow_user.execute(people[1], "alice"),
        lambda: accounts.comment_on_post.execute(people[1], first, CommentCommand("nice")),
        lambda: accounts.comment_on_post.execute(people[1], first, CommentCommand("nice")),
    ]
    for step in steps:  # a second apart, each notified at once
        accounts.clock.advance(seconds=1)
        await step()
        await accounts.run_jobs()
    found = await groups(accounts, alice)
    assert [(g.group.kind.value, names(g), g.actors_count) for g in found] == [
        ("comment", ["fan1"], 1),  # each comment alone
        ("comment", ["fan1"], 1),
        ("follow", ["fan1", "fan0"], 2),  # follows of one day together
        ("like", ["fan0"], 1),
        ("share", ["fan0"], 1),
        ("like", ["fan3", "fan2", "fan1"], 4),
    ]
    assert found[2].group.key == f"follow:{accounts.clock.now().date().isoformat()}"
    paged = [g for limit in (1, 4) for g in await _walk(accounts, alice, limit)]
    assert paged == found + found  # pages of one or four: no repeat, no skip


async def _walk(accounts: Accounts, viewer: Viewer, limit: int) -> list[GroupView]:
    seen: list[GroupView] = []
    after = None
    while True:
        page = await accounts.list_notification_groups.execute(viewer, PageRequest(limit, after))
        seen += page.items
        if page.next_cursor is None:
            return seen
        after = page.next_cursor


async def test_hidden_actors_are_neither_shown_nor_counted(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    people = await fans(accounts, 5)
    post = await a_post(accounts, alice)
    for fan in people:
        await like(accounts, fan, post)
    await accounts.follow_user.execute(people[4], "alice")
    await accounts.block_user.execute(alice, "fan4")  # blocked since: its follow too goes
    await accounts.mute_user.execute(alice, "fan2")
    suspended = accounts.store.users[people[0].user_id]
    accounts.store.users[suspended.id] = replace(suspended, status=AccountStatus.SUSPENDED)
    (liked,) = await groups(accounts, alice)
    assert (names(liked), liked.actors_count) == (["fan3", "fan1"], 2)
    await accounts.block_user.execute(people[1], "alice")  # blocked the other way
    await accounts.block_user.execute(alice, "fan3")
    assert await groups(accounts, alice) == []  # nobody left to show: as the flat list
    await accounts.unmute_user.execute(alice, "fan2")
    (liked,) = await groups(accounts, alice)
    assert (names(liked), liked.actors_count, liked.group.count) == (["fan2"], 1, 5)


async def test_past_the_newest_actors_looked_at_a_hidden_one_still_counts(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    people = await fans(accounts, ACTORS_LOOKED_AT + 2)
    post = await a_post(accounts, alice)
    for fan in people:
        await like(accounts, fan, post)
    await accounts.block_user.execute(alice, "fan0")  # the oldest: not looked at
    await accounts.block_user.execute(alice, f"fan{ACTORS_LOOKED_AT + 1}")  # the newest
    (liked,) = await groups(accounts, alice)
    assert liked.actors_count == ACTORS_LOOKED_AT + 1
    assert names(liked) == [f"fan{ACTORS_LOOKED_AT - i}" for i in range(3)]


async def test_marking_a_group_read(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    people = await fans(accounts, 3)
    post, bobs = await a_post(accounts, alice), await a_post(accounts, bob)
    for fan in people:
        await accounts.like_post.execute(fan, post)
        await accounts.like_post.execute(fan, bobs)
        await accounts.follow_user.execute(fan, "alice")
    await accounts.run_jobs()
    assert await accounts.unread_count.execute(alice) == 6
    liked = f"like:{post}"
    assert await accounts.mark_group_read.execute(bob, liked) == 0  # another's group
    assert await accounts.mark_group_read.execute(alice, f"like:{bobs}") == 0
    assert await accounts.mark_group_read.execute(alice, f"like:{str(post).upper()}") == 3
    assert await accounts.mark_group_read.execute(alice, liked) == 0
    assert await accounts.unread_count.execute(alice) == 3
    assert await accounts.unread_count.execute(bob) == 3
    assert [(g.group.kind, g.group.read) for g in await groups(accounts, alice)] == [
        (Kind.FOLLOW, False),
        (Kind.LIKE, True),
    ]
    with pytest.raises(Invalid):
        await accounts.mark_group_read.execute(alice, "like:everything")
    accounts.clock.advance(seconds=1)
    _, _, late = await accounts.sign_up("late")
    await accounts.like_post.execute(late, post)  # unread again, and first
    first, _ = await groups(accounts, alice)
    assert (first.group.key, first.group.read, first.actors_count) == (liked, False, 4)
    assert first.group.latest_at == accounts.clock.now()
