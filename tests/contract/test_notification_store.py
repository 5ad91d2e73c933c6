"""One suite for the ``NotificationRepository`` port, on the fake and on PostgreSQL: one
notification per (recipient, kind, actor, post, comment), withdrawal, the newest-first pages,
the unread count, marking read, and the cascade from deleted posts and comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from social.domain.accounts.model import User
from social.domain.notifications.model import Notification
from social.domain.posts.model import Post
from social.domain.reads.model import Comment
from social.domain.shared.ids import new_id
from social.domain.shared.notification_kinds import NotificationKind
from social.domain.shared.pagination import Cursor, Page, PageRequest
from tests.contract.stores import Backend, users

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
SECOND = timedelta(seconds=1)
LIKE, COMMENT, REPLY = NotificationKind.LIKE, NotificationKind.COMMENT, NotificationKind.REPLY
FOLLOW, MENTION, SHARE = NotificationKind.FOLLOW, NotificationKind.MENTION, NotificationKind.SHARE


async def posts(backend: Backend, author: User, count: int) -> list[Post]:
    made = [Post(new_id(), author.id, "", (), (), (), NOW) for _ in range(count)]
    async with backend.uow() as uow:
        for post in made:
            await uow.posts.add(post)
        await uow.commit()
    return made


async def comments(backend: Backend, *made: Comment) -> None:
    async with backend.uow() as uow:
        for comment in made:
            await uow.comments.add(comment)
        await uow.commit()


def a_comment(post: Post, author: User, parent: Comment | None = None) -> Comment:
    parent_id = None if parent is None else parent.id
    return Comment(new_id(), post.id, author.id, f"by {author.username}", NOW, parent_id)


def note(
    recipient: User,
    kind: NotificationKind,
    actor: User,
    at: datetime = NOW,
    *,
    post: Post | None = None,
    comment: Comment | None = None,
    id: UUID | None = None,
) -> Notification:
    return Notification(
        id=id or new_id(),
        recipient_id=recipient.id,
        kind=kind,
        actor_id=actor.id,
        created_at=at,
        post_id=None if post is None else post.id,
        comment_id=None if comment is None else comment.id,
    )


async def add(backend: Backend, *notifications: Notification) -> None:
    async with backend.uow() as uow:
        for notification in notifications:
            assert await uow.notifications.add(notification) == notification
        await uow.commit()


async def walk(backend: Backend, recipient: User, limit: int = 2) -> list[Notification]:
    """Every notification of the recipient, page by page (each in its own transaction)."""
    seen: list[Notification] = []
    after: Cursor | None = None
    for _ in range(100):
        async with backend.uow() as uow:
            page = await uow.notifications.page(recipient.id, PageRequest(limit=limit, after=after))
        seen += page.items
        if page.next_cursor is None:
            assert len(page.items) <= limit
            return seen
        assert len(page.items) == limit and isinstance(page.next_cursor, Cursor)
        after = page.next_cursor
    raise AssertionError("the listing never ended")


async def unread(backend: Backend, recipient: User) -> int:
    async with backend.uow() as uow:
        count: int = await uow.notifications.unread_count(recipient.id)
    return count


def newest_first(*notifications: Notification) -> list[Notification]:
    return sorted(notifications, key=lambda n: (n.created_at, n.id), reverse=True)


def read(*notifications: Notification) -> list[Notification]:
    return [replace(n, read=True) for n in notifications]


async def test_add_stores_one_notification_per_recipient_kind_actor_and_target(
    backend: Backend,
) -> None:
    alice, bob, carol = await users(backend, "alice", "bob", "carol")
    first, second = await posts(backend, alice, 2)
    on_first = a_comment(first, bob)
    await comments(backend, on_first)
    followed = note(alice, FOLLOW, bob, NOW + timedelta(microseconds=7))
    liked = note(alice, LIKE, bob, NOW - SECOND, post=first)
    commented = note(alice, COMMENT, bob, NOW - 2 * SECOND, post=first, comment=on_first)
    async with backend.uow() as uow:
        for notification in (followed, liked, commented):
            assert await uow.notifications.add(notification) == notification
        for again in (followed, liked, commented):  # the same action, a new id and time
            assert await uow.notifications.add(replace(again, id=new_id(), created_at=NOW)) is None
        await uow.commit()
    async with backend.uow() as uow:
        for again in (followed, liked, commented):  # also once committed, NULLs included
            assert await uow.notifications.add(replace(again, id=new_id())) is None
        await uow.commit()
    assert await walk(backend, alice, limit=10) == [followed, liked, commented]
    assert await unread(backend, alice) == 3
    others = [
        note(alice, FOLLOW, carol),  # another actor
        note(alice, SHARE, bob, post=first),  # another kind
        note(alice, LIKE, bob, post=second),  # another post
        note(alice, COMMENT, bob, post=first),  # no comment is another target
        note(alice, MENTION, bob, post=first, comment=on_first),
        note(carol, LIKE, bob, post=first),  # another recipient
    ]
    await add(backend, *others)
    assert await unread(backend, alice) == 8
    assert await walk(backend, carol) == [others[-1]]
    async with backend.uow() as uow:
        assert await uow.notifications.page(bob.id, PageRequest()) == Page([], None)
        assert await uow.notifications.page(new_id(), PageRequest()) == Page([], None)
        assert await uow.notifications.unread_count(new_id()) == 0


async def test_withdraw_removes_exactly_the_matching_ones(backend: Backend) -> None:
    alice, bob, carol, dave = await users(backend, "alice", "bob", "carol", "dave")
    first, second = await posts(backend, alice, 2)
    on_first, on_second = a_comment(first, bob), a_comment(second, bob)
    await comments(backend, on_first, on_second)
    bob_likes_first = note(alice, LIKE, bob, post=first)
    bob_likes_second = note(alice, LIKE, bob, post=second)
    carol_likes_first = note(alice, LIKE, carol, post=first)
    bob_comments_first = note(alice, COMMENT, bob, post=first, comment=on_first)
    bob_comments_second = note(alice, COMMENT, bob, post=second, comment=on_second)
    mentions = [note(person, MENTION, bob, post=first) for person in (alice, carol, dave)]
    bob_follows = note(alice, FOLLOW, bob)
    dave_follows = note(alice, FOLLOW, dave)
    await add(
        backend,
        bob_likes_first,
        bob_likes_second,
        carol_likes_first,
        bob_comments_first,
        bob_comments_second,
        *mentions,
        bob_follows,
        dave_follows,
    )
    async with backend.uow() as uow:
        n = uow.notifications
        assert await n.withdraw(LIKE, bob.id, post_id=first.id) == 1
        assert await n.withdraw(LIKE, bob.id, post_id=first.id) == 0
        assert await n.withdraw(LIKE, dave.id) == 0
        assert await n.withdraw(SHARE, bob.id) == 0
        assert await n.withdraw(COMMENT, bob.id, comment_id=new_id()) == 0
        assert await n.withdraw(COMMENT, bob.id, post_id=first.id, comment_id=on_second.id) == 0
        assert await n.withdraw(COMMENT, bob.id, post_id=second.id, comment_id=on_second.id) == 1
        assert await n.withdraw(MENTION, bob.id, recipient_id=bob.id) == 0
        assert await n.withdraw(MENTION, bob.id, recipient_id=dave.id, post_id=second.id) == 0
        assert await n.withdraw(MENTION, bob.id, recipient_id=dave.id, post_id=first.id) == 1
        assert await n.withdraw(MENTION, bob.id, post_id=first.id) == 2
        assert await n.withdraw(FOLLOW, bob.id, recipient_id=alice.id) == 1
        await uow.commit()
    left = newest_first(bob_likes_second, carol_likes_first, bob_comments_first, dave_follows)
    assert await walk(backend, alice, limit=10) == left
    assert await walk(backend, carol) == []
    assert await walk(backend, dave) == []
    async with backend.uow() as uow:
        assert await uow.notifications.withdraw(FOLLOW, bob.id) == 0
        assert await uow.notifications.withdraw(LIKE, bob.id) == 1  # any post, any recipient
        assert await uow.notifications.withdraw(COMMENT, bob.id) == 1
        await uow.commit()
    assert await walk(backend, alice) == newest_first(carol_likes_first, dave_follows)


async def test_pages_are_newest_first_with_ties_and_a_cursor_that_never_repeats(
    backend: Backend,
) -> None:
    alice, bob, *actors = await users(backend, "alice", "bob", *(f"actor{i}" for i in range(7)))
    times = [NOW - SECOND, NOW, NOW, NOW + SECOND, NOW, NOW - 2 * SECOND, NOW + SECOND]
    # random ids, so the tie-breaker is not the order of insertion
    mine = [note(alice, FOLLOW, a, at, id=uuid4()) for a, at in zip(actors, times, strict=True)]
    theirs = [note(bob, FOLLOW, a, at, id=uuid4()) for a, at in zip(actors, times, strict=True)]
    await add(backend, *mine[:4], *theirs, *mine[4:])
    expected = newest_first(*mine)
    assert await walk(backend, alice, limit=2) == expected
    assert await walk(backend, alice, limit=1) == expected
    assert await walk(backend, alice, limit=7) == expected
    assert await walk(backend, alice, limit=100) == expected
    assert await walk(backend, bob, limit=3) == newest_first(*theirs)
    async with backend.uow() as uow:
        first = await uow.notifications.page(alice.id, PageRequest(limit=3))
        assert first.items == expected[:3]
        last = expected[2]
        assert first.next_cursor == Cursor(last.created_at, last.id)
        rest = await uow.notifications.page(
            alice.id, PageRequest(limit=10, after=first.next_cursor)
        )
        assert rest == Page(expected[3:], None)


async def test_unread_count_and_marking_everything_read(backend: Backend) -> None:
    alice, bob, carol = await users(backend, "alice", "bob", "carol")
    (post,) = await posts(backend, alice, 1)
    mine = [
        note(alice, FOLLOW, bob, NOW - SECOND),
        note(alice, LIKE, bob, NOW, post=post),
        note(alice, FOLLOW, carol, NOW + SECOND),
    ]
    theirs = note(bob, FOLLOW, carol)
    await add(backend, *mine, theirs)
    assert await unread(backend, alice) == 3
    assert await unread(backend, bob) == 1
    async with backend.uow() as uow:
        assert await uow.notifications.mark_read(alice.id, None) == 3
        assert await uow.notifications.unread_count(alice.id) == 0
        assert await uow.notifications.mark_read(alice.id, None) == 0
        await uow.commit()
    assert await unread(backend, alice) == 0
    assert await walk(backend, alice) == read(*newest_first(*mine))
    assert await walk(backend, bob) == [theirs]
    assert await unread(backend, bob) == 1
    later = note(alice, SHARE, carol, NOW + 2 * SECOND, post=post)
    await add(backend, later)
    assert await unread(backend, alice) == 1
    async with backend.uow() as uow:
        assert await uow.notifications.mark_read(alice.id, None) == 1
        assert await uow.notifications.mark_read(carol.id, None) == 0
        await uow.commit()
    assert await walk(backend, alice, limit=10) == read(later, *newest_first(*mine))


async def test_mark_read_up_to_marks_that_one_and_every_older_one(backend: Backend) -> None:
    alice, bob, *actors = await users(backend, "alice", "bob", *(f"actor{i}" for i in range(6)))
    times = [NOW - SECOND, NOW, NOW, NOW, NOW + SECOND, NOW - 2 * SECOND]
    mine = [note(alice, FOLLOW, a, at, id=uuid4()) for a, at in zip(actors, times, strict=True)]
    theirs = note(bob, FOLLOW, actors[0])
    await add(backend, *mine, theirs)
    order = newest_first(*mine)  # [+1s, tie, tie, tie, -1s, -2s]
    mark = order[2]  # the middle one of three ties: it, the tie after it and the older ones
    async with backend.uow() as uow:
        n = uow.notifications
        assert await n.mark_read(alice.id, theirs.id) == 0  # another recipient's
        assert await n.mark_read(bob.id, mark.id) == 0
        assert await n.mark_read(alice.id, new_id()) == 0  # unknown
        assert await n.unread_count(alice.id) == 6
        assert await n.unread_count(bob.id) == 1
        assert await n.mark_read(alice.id, mark.id) == 4
        assert await n.mark_read(alice.id, mark.id) == 0
        assert await n.mark_read(alice.id, order[-1].id) == 0  # older ones are read already
        await uow.commit()
    assert await unread(backend, alice) == 2
    assert await walk(backend, alice) == [*order[:2], *read(*order[2:])]
    async with backend.uow() as uow:
        assert await uow.notifications.mark_read(alice.id, order[1].id) == 1
        await uow.commit()
    assert await walk(backend, alice) == [order[0], *read(*order[1:])]
    async with backend.uow() as uow:
        assert await uow.notifications.mark_read(alice.id, order[0].id) == 1
        assert await uow.notifications.unread_count(alice.id) == 0
        await uow.commit()
    assert await walk(backend, bob) == [theirs]
    assert await unread(backend, bob) == 1


async def test_deleting_a_post_or_a_comment_takes_its_notifications(backend: Backend) -> None:
    alice, bob, carol = await users(backend, "alice", "bob", "carol")
    first, second = await posts(backend, alice, 2)
    top = a_comment(first, bob)
    reply = a_comment(first, carol, parent=top)
    other = a_comment(first, carol)
    await comments(backend, top, reply, other)
    likes_first = note(alice, LIKE, bob, NOW + SECOND, post=first)  # the newest
    on_top = note(alice, COMMENT, bob, NOW - 5 * SECOND, post=first, comment=top)
    on_reply = note(bob, REPLY, carol, NOW - 4 * SECOND, post=first, comment=reply)
    on_other = note(alice, COMMENT, carol, NOW - 3 * SECOND, post=first, comment=other)
    likes_second = note(alice, LIKE, bob, NOW - 2 * SECOND, post=second)
    follows = note(alice, FOLLOW, bob, NOW - SECOND)
    bob_followed = note(bob, FOLLOW, carol, NOW - 6 * SECOND)
    await add(backend, likes_first, on_top, on_reply, on_other, likes_second, follows, bob_followed)
    async with backend.uow() as uow:
        assert await uow.comments.delete(top.id) == 2  # and its reply
        await uow.commit()
    assert await walk(backend, alice) == [likes_first, follows, likes_second, on_other]
    assert await walk(backend, bob) == [bob_followed]
    assert await unread(backend, bob) == 1
    async with backend.uow() as uow:
        assert await uow.posts.delete(first.id)
        # gone in the same transaction as the post, before the commit
        assert await uow.notifications.page(alice.id, PageRequest()) == Page(
            [follows, likes_second], None
        )
        await uow.commit()
    assert await walk(backend, alice) == [follows, likes_second]
    assert await unread(backend, alice) == 2
    async with backend.uow() as uow:
        n = uow.notifications
        assert await n.withdraw(LIKE, bob.id, post_id=first.id) == 0
        assert await n.withdraw(COMMENT, carol.id) == 0
        # ids that went with their post or comment are unknown: nothing older is marked
        assert await n.mark_read(alice.id, likes_first.id) == 0
        assert await n.mark_read(bob.id, on_reply.id) == 0
        assert await n.unread_count(alice.id) == 2
        assert await n.unread_count(bob.id) == 1
        assert await n.mark_read(alice.id, likes_second.id) == 1
        await uow.commit()
    assert await walk(backend, alice) == [follows, *read(likes_second)]
    assert await walk(backend, bob) == [bob_followed]


async def test_uncommitted_work_is_rolled_back(backend: Backend) -> None:
    alice, bob, carol = await users(backend, "alice", "bob", "carol")
    (post,) = await posts(backend, alice, 1)
    kept = [note(alice, FOLLOW, bob, NOW - SECOND), note(alice, LIKE, carol, NOW, post=post)]
    await add(backend, *kept)
    dropped = note(alice, LIKE, bob, NOW + SECOND, post=post)
    async with backend.uow() as uow:  # never committed
        assert await uow.notifications.add(dropped) == dropped
        assert await uow.notifications.mark_read(alice.id, None) == 3
        assert await uow.notifications.withdraw(FOLLOW, bob.id) == 1
    async with backend.uow() as uow:
        assert await uow.notifications.add(dropped) == dropped
        assert await uow.notifications.withdraw(LIKE, carol.id) == 1
        assert await uow.notifications.mark_read(alice.id, kept[0].id) == 1
        await uow.rollback()
        await uow.commit()
    assert await walk(backend, alice) == newest_first(*kept)
    assert await unread(backend, alice) == 2
    async with backend.uow() as uow:  # nothing of it lingers: the same action adds anew
        assert await uow.notifications.add(dropped) == dropped
        await uow.commit()
    assert await walk(backend, alice) == newest_first(dropped, *kept)


async def test_kinds_filter_newer_get_dismiss_and_clear(backend: Backend) -> None:
    alice, bob, *actors = await users(backend, "alice", "bob", *(f"actor{i}" for i in range(6)))
    (post,) = await posts(backend, alice, 1)
    times = [NOW - 2 * SECOND, NOW - SECOND, NOW, NOW, NOW + SECOND, NOW + 2 * SECOND]
    kinds = [FOLLOW, LIKE, FOLLOW, LIKE, SHARE, FOLLOW]
    mine = [
        note(alice, kind, actor, at, post=None if kind is FOLLOW else post, id=uuid4())
        for actor, at, kind in zip(actors, times, kinds, strict=True)
    ]
    theirs = note(bob, FOLLOW, actors[0])
    await add(backend, *mine, theirs)
    order = newest_first(*mine)
    follows = [n for n in order if n.kind is FOLLOW]
    async with backend.uow() as uow:
        n = uow.notifications
        first = await n.page(alice.id, PageRequest(limit=2), kinds={FOLLOW})
        assert first.items == follows[:2]
        rest = await n.page(alice.id, PageRequest(limit=2, after=first.next_cursor), [FOLLOW])
        assert rest == Page(follows[2:], None)
        both = await n.page(alice.id, PageRequest(limit=10), kinds=[LIKE, SHARE])
        assert both.items == [x for x in order if x.kind is not FOLLOW]
        assert (await n.page(alice.id, PageRequest(), kinds=[MENTION])).items == []

        oldest = order[-1]
        since = Cursor(oldest.created_at, oldest.id)
        assert await n.newer(alice.id, since, 2) == order[:2]
        assert await n.newer(alice.id, since, 2, closest=True) == order[-3:-1]
        assert await n.newer(alice.id, since, 10) == order[:-1]
        assert await n.newer(alice.id, since, 10, [FOLLOW], closest=True) == follows[:-1]
        newest = order[0]
        assert await n.newer(alice.id, Cursor(newest.created_at, newest.id), 5) == []

        assert await n.get(alice.id, mine[0].id) == mine[0]
        assert await n.get(bob.id, mine[0].id) is None
        assert await n.get(alice.id, new_id()) is None
        assert not await n.dismiss(bob.id, mine[0].id)
        assert await n.dismiss(alice.id, mine[0].id)
        assert not await n.dismiss(alice.id, mine[0].id)
        await uow.commit()
    assert await walk(backend, alice, limit=10) == [x for x in order if x != mine[0]]
    async with backend.uow() as uow:
        assert await uow.notifications.clear(alice.id) == 5
        assert await uow.notifications.clear(alice.id) == 0
        await uow.commit()
    assert await walk(backend, alice) == []
    assert await walk(backend, bob) == [theirs]
