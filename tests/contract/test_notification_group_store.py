"""The ``NotificationRepository`` port's groups (NOTIF-4), on the fake and on PostgreSQL: likes
and shares of one post, follows of one UTC day, anything else alone; the newest group first
by its newest notification, pages that never repeat or skip; counts, actors and the read
state read from the rows there now (a withdrawn like, a deleted post); marking a group read.
(Beside ``test_notification_store.py``, whose helpers it uses, to keep modules small.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

from social.domain.accounts.model import User
from social.domain.notifications.model import Notification, NotificationGroup
from social.domain.shared.ids import new_id
from social.domain.shared.notification_kinds import NotificationKind
from social.domain.shared.pagination import Cursor, PageRequest
from tests.contract.stores import Backend, users
from tests.contract.test_notification_store import (
    COMMENT,
    FOLLOW,
    LIKE,
    MENTION,
    NOW,
    SECOND,
    SHARE,
    a_comment,
    add,
    comments,
    note,
    posts,
    unread,
)

HOUR = timedelta(hours=1)
REQUEST = NotificationKind.FOLLOW_REQUEST


def group(
    key: str,
    members: list[Notification],
    count: int | None = None,
    *,
    actors: int = 3,
    read: bool = False,
) -> NotificationGroup:
    """What a group of these notifications (newest first) should read as."""
    head = members[0]
    return NotificationGroup(
        key=key,
        kind=head.kind,
        post_id=head.post_id,
        count=len(members) if count is None else count,
        actor_ids=tuple(n.actor_id for n in members[:actors]),
        latest_at=head.created_at,
        latest_id=head.id,
        read=read,
    )


async def walk_groups(
    backend: Backend, recipient: User, limit: int = 2, actors: int = 3
) -> list[NotificationGroup]:
    """Every group of the recipient, page by page (each in its own transaction)."""
    seen: list[NotificationGroup] = []
    after: Cursor | None = None
    for _ in range(100):
        async with backend.uow() as uow:
            page = await uow.notifications.groups(
                recipient.id, PageRequest(limit=limit, after=after), actors=actors
            )
        seen += page.items
        if page.next_cursor is None:
            assert len(page.items) <= limit
            return seen
        assert len(page.items) == limit
        last = page.items[-1]
        assert page.next_cursor == Cursor(last.latest_at, last.latest_id)
        after = page.next_cursor
    raise AssertionError("the listing never ended")


async def test_likes_shares_and_follows_group_and_the_rest_stand_alone(backend: Backend) -> None:
    alice, bob, *a = await users(backend, "alice", "bob", *(f"actor{i}" for i in range(5)))
    first, second = await posts(backend, alice, 2)
    on_first = [a_comment(first, a[0]), a_comment(first, a[0])]
    await comments(backend, *on_first)
    likes = [note(alice, LIKE, a[i], NOW + i * SECOND, post=first) for i in range(5)]
    other_like = note(alice, LIKE, a[0], NOW + 5 * SECOND, post=second)
    shares = [note(alice, SHARE, a[i], NOW - (i + 1) * SECOND, post=first) for i in (1, 2)]
    today = [note(alice, FOLLOW, a[i], NOW - i * HOUR) for i in (1, 2)]  # 11:00, 10:00 UTC
    yesterday = note(alice, FOLLOW, a[3], NOW - 13 * HOUR)  # 23:00 UTC the day before
    said = [
        note(alice, COMMENT, a[0], NOW - (3 + i) * SECOND, post=first, comment=c)
        for i, c in enumerate(on_first)
    ]
    mention = note(alice, MENTION, a[1], NOW - 14 * HOUR, post=first)
    request = note(alice, REQUEST, a[4], NOW - 15 * HOUR)
    bobs = note(bob, LIKE, a[0], NOW + HOUR, post=first)  # another recipient's
    await add(backend, *likes, other_like, *shares, *today, yesterday, *said, mention, request)
    await add(backend, bobs)

    expected = [
        group(f"like:{second.id}", [other_like]),
        group(f"like:{first.id}", likes[::-1]),  # count 5, the three newest actors
        group(f"share:{first.id}", shares),
        group(f"comment:{said[0].id}", [said[0]]),  # a comment is its own group
        group(f"comment:{said[1].id}", [said[1]]),
        group("follow:2026-03-01", today),
        group("follow:2026-02-28", [yesterday]),
        group(f"mention:{mention.id}", [mention]),
        group(f"follow_request:{request.id}", [request]),
    ]
    assert expected[1].count == 5 and expected[1].actor_ids == (a[4].id, a[3].id, a[2].id)
    for limit in (1, 2, 4, 9, 100):
        assert await walk_groups(backend, alice, limit) == expected
    one_actor = [replace(g, actor_ids=g.actor_ids[:1]) for g in expected]
    assert await walk_groups(backend, alice, 3, actors=1) == one_actor
    assert (await walk_groups(backend, alice, 100, actors=10))[1].actor_ids == tuple(
        n.actor_id for n in likes[::-1]
    )
    assert await walk_groups(backend, bob) == [group(f"like:{first.id}", [bobs])]
    async with backend.uow() as uow:
        assert (await uow.notifications.groups(new_id(), PageRequest())).items == []


async def test_a_group_is_read_from_the_rows_there_now(backend: Backend) -> None:
    alice, *a = await users(backend, "alice", *(f"actor{i}" for i in range(5)))
    first, second = await posts(backend, alice, 2)
    likes = [note(alice, LIKE, a[i], NOW + i * SECOND, post=first) for i in range(5)]
    shares = [note(alice, SHARE, a[i], NOW - (i + 1) * SECOND, post=first) for i in (0, 1)]
    other = note(alice, LIKE, a[0], NOW + 2500 * timedelta(milliseconds=1), post=second)
    await add(backend, *likes, *shares, other)
    async with backend.uow() as uow:  # the newest like is withdrawn: the group steps back
        assert await uow.notifications.withdraw(LIKE, a[4].id, post_id=first.id) == 1
        await uow.commit()
    liked = group(f"like:{first.id}", likes[3::-1])
    assert liked.count == 4 and liked.actor_ids == (a[3].id, a[2].id, a[1].id)
    shared = group(f"share:{first.id}", shares)
    assert await walk_groups(backend, alice, 1) == [
        liked,
        group(f"like:{second.id}", [other]),
        shared,
    ]
    async with backend.uow() as uow:  # three of the four go: an older one takes the lead
        for actor in (a[3], a[2], a[0]):
            assert await uow.notifications.withdraw(LIKE, actor.id, post_id=first.id) == 1
        await uow.commit()
    assert await walk_groups(backend, alice) == [
        group(f"like:{second.id}", [other]),
        group(f"like:{first.id}", [likes[1]]),
        shared,
    ]
    async with backend.uow() as uow:  # an emptied group is no more
        assert await uow.notifications.withdraw(LIKE, a[0].id, post_id=second.id) == 1
        await uow.commit()
    assert await walk_groups(backend, alice) == [group(f"like:{first.id}", [likes[1]]), shared]
    async with backend.uow() as uow:  # the post's notifications go with it
        assert await uow.posts.delete(first.id)
        assert (await uow.notifications.groups(alice.id, PageRequest())).items == []
        await uow.commit()
    assert await walk_groups(backend, alice) == []


async def test_marking_a_group_read(backend: Backend) -> None:
    alice, bob, *a = await users(backend, "alice", "bob", *(f"actor{i}" for i in range(4)))
    (post,) = await posts(backend, alice, 1)
    (bobs_post,) = await posts(backend, bob, 1)
    likes = [note(alice, LIKE, a[i], NOW + i * SECOND, post=post) for i in range(3)]
    follows = [note(alice, FOLLOW, a[i], NOW - (i + 1) * SECOND) for i in range(2)]
    bobs = note(bob, LIKE, a[0], NOW, post=bobs_post)
    await add(backend, *likes, *follows, bobs)
    liked, followed = f"like:{post.id}", "follow:2026-03-01"
    async with backend.uow() as uow:
        n = uow.notifications
        assert await n.mark_group_read(alice.id, f"like:{bobs_post.id}") == 0  # bob's group
        assert await n.mark_group_read(bob.id, liked) == 0
        assert await n.mark_group_read(alice.id, f"like:{uuid4()}") == 0  # no such group
        assert await n.mark_read(alice.id, likes[0].id) == 3  # the oldest like and older
        assert await n.mark_group_read(alice.id, liked) == 2  # the two still unread
        assert await n.mark_group_read(alice.id, liked) == 0
        await uow.commit()
    assert await unread(backend, alice) == 0
    assert await unread(backend, bob) == 1
    assert await walk_groups(backend, alice) == [
        group(liked, likes[::-1], read=True),
        group(followed, follows, read=True),
    ]
    later = note(alice, LIKE, a[3], NOW + HOUR, post=post)  # a new like: unread again, newer
    another = note(alice, FOLLOW, a[2], NOW + 2 * HOUR)
    await add(backend, later, another)
    assert await walk_groups(backend, alice) == [
        group(followed, [another, *follows], 3),
        group(liked, [later, *likes[::-1]], 4),
    ]
    async with backend.uow() as uow:
        assert await uow.notifications.mark_group_read(alice.id, followed) == 1
        await uow.rollback()  # not kept
        assert await uow.notifications.mark_group_read(alice.id, liked) == 1
        await uow.commit()
    assert await unread(backend, alice) == 1
    assert [g.read for g in await walk_groups(backend, alice)] == [False, True]


async def test_ties_between_groups_break_on_the_newest_notification_id(backend: Backend) -> None:
    alice, *a = await users(backend, "alice", *(f"actor{i}" for i in range(6)))
    made = await posts(backend, alice, 6)
    # random ids, so the tie-breaker is not the order of insertion
    likes = [note(alice, LIKE, a[i], NOW, post=made[i], id=uuid4()) for i in range(6)]
    await add(backend, *likes)
    heads = sorted(likes, key=lambda n: n.id, reverse=True)
    expected = [group(f"like:{n.post_id}", [n]) for n in heads]
    for limit in (1, 2, 5):
        assert await walk_groups(backend, alice, limit) == expected
