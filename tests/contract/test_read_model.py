"""One suite for the read model's database side (the viewer's overlay and the contents of
presentations), on the fake and on PostgreSQL: states and counters read fresh, the six ties
and three flags, standing shares, and revisions that change exactly when what a presentation
shows changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from social.domain.accounts.model import AccountStatus, User
from social.domain.graph.model import Follow, FollowRequest, Ties
from social.domain.interactions.model import Share
from social.domain.media.model import MediaItem, MediaKind, MediaPurpose, MediaStatus, Variant
from social.domain.posts.model import Place, Post
from social.domain.reads.model import AccountState, Overlay, PostState, ViewerFlags
from social.domain.shared.ids import new_id
from tests.contract.stores import Backend, users

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def image(owner: User, purpose: MediaPurpose = MediaPurpose.POST, **changes: Any) -> MediaItem:
    item = MediaItem(
        id=new_id(),
        owner_id=owner.id,
        kind=MediaKind.IMAGE,
        purpose=purpose,
        status=MediaStatus.READY,
        created_at=NOW,
        width=1080,
        height=1350,
        blurhash="LEHV6nWB2yk8pyo0adR*.7kCMdnj",
        variants=(
            Variant("thumb", 150, 150, f"media/{owner.id}/x/thumb.jpg", "image/jpeg"),
            Variant("large", 1080, 1350, f"media/{owner.id}/x/large.jpg", "image/jpeg"),
        ),
    )
    return replace(item, **changes)


async def publish(backend: Backend, author: User, caption: str = "", media: int = 2) -> Post:
    items = [image(author) for _ in range(media)]
    post = Post(
        id=new_id(),
        author_id=author.id,
        caption=caption,
        tags=("beach",),
        mentions=(),
        media_ids=tuple(m.id for m in items),
        created_at=NOW,
        place=Place("Lisbon", 38.7223, -9.1393),
    )
    async with backend.uow() as uow:
        for item in items:
            await uow.media.add(item)
        await uow.posts.add(post)
        await uow.commit()
    return post


async def overlay(backend: Backend, viewer: User | None, **ids: Any) -> Overlay:
    return await backend.overlay.overlay(viewer.id if viewer else None, **ids)


async def test_states_counters_and_flags_come_fresh(backend: Backend) -> None:
    alice, bob, carol = await users(backend, "alice", "bob", "carol")
    liked, saved = await publish(backend, alice), await publish(backend, alice)
    share = Share(new_id(), liked.id, bob.id, NOW)
    gone = Share(new_id(), saved.id, carol.id, NOW)
    async with backend.uow() as uow:
        await uow.interactions.add_like(liked.id, bob.id, NOW)
        await uow.interactions.add_like(liked.id, carol.id, NOW)
        await uow.interactions.add_bookmark(saved.id, bob.id, NOW)
        await uow.interactions.add_share(share)
        await uow.interactions.add_share(gone)
        await uow.graph.add_follow(Follow(new_id(), carol.id, alice.id, NOW))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.interactions.remove_share(saved.id, carol.id) is not None
        await uow.commit()
    seen = await overlay(
        backend,
        bob,
        post_ids=[liked.id, saved.id, new_id()],
        account_ids=[carol.id, new_id()],
        share_ids=[share.id, gone.id, new_id()],
    )
    assert set(seen.posts) == {liked.id, saved.id}
    first = seen.posts[liked.id]
    assert (first.author_id, first.likes_count, first.comments_count, first.shares_count) == (
        alice.id,
        2,
        0,
        1,
    )
    assert seen.posts[saved.id].shares_count == 0
    assert set(seen.accounts) == {alice.id, carol.id}  # the authors come along
    author = seen.accounts[alice.id]
    assert (author.status, author.is_private, author.posts_count, author.followers_count) == (
        AccountStatus.ACTIVE,
        False,
        2,
        1,
    )
    assert seen.accounts[carol.id].following_count == 1
    assert seen.flags.get(liked.id, ViewerFlags()) == ViewerFlags(liked=True, shared=True)
    assert seen.flags.get(saved.id, ViewerFlags()) == ViewerFlags(bookmarked=True)
    assert seen.shares == {share.id}
    anonymous = await overlay(backend, None, post_ids=[liked.id], account_ids=[carol.id])
    assert set(anonymous.posts) == {liked.id} and set(anonymous.accounts) == {alice.id, carol.id}
    assert not anonymous.flags and not anonymous.ties
    assert await overlay(backend, bob) == Overlay()


async def test_every_tie_in_both_directions(backend: Backend) -> None:
    me, followed, follower, wanted, blocked, blocker, muted, stranger = await users(
        backend, "me", "followed", "follower", "wanted", "blocked", "blocker", "muted", "other"
    )
    async with backend.uow() as uow:
        await uow.graph.add_follow(Follow(new_id(), me.id, followed.id, NOW))
        await uow.graph.add_follow(Follow(new_id(), follower.id, me.id, NOW))
        await uow.graph.add_request(FollowRequest(new_id(), me.id, wanted.id, NOW))
        await uow.graph.add_block(me.id, blocked.id, NOW)
        await uow.graph.add_block(blocker.id, me.id, NOW)
        await uow.graph.add_mute(me.id, muted.id, NOW)
        await uow.commit()
    others = [followed, follower, wanted, blocked, blocker, muted, stranger, me]
    seen = await overlay(backend, me, account_ids=[o.id for o in others])
    assert {o.username: seen.ties.get(o.id, Ties()) for o in others} == {
        "followed": Ties(following=True),
        "follower": Ties(followed_by=True),
        "wanted": Ties(requested=True),
        "blocked": Ties(blocking=True),
        "blocker": Ties(blocked_by=True),
        "muted": Ties(muting=True),
        "other": Ties(),
        "me": Ties(),
    }
    reverse = await overlay(backend, followed, account_ids=[me.id])
    assert reverse.ties[me.id] == Ties(followed_by=True)


async def test_accounts_come_whatever_their_status(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    async with backend.uow() as uow:
        await uow.users.update(replace(alice, status=AccountStatus.SUSPENDED, is_private=True))
        await uow.commit()
    seen = await overlay(backend, bob, account_ids=[alice.id])
    assert seen.accounts[alice.id].status is AccountStatus.SUSPENDED
    assert seen.accounts[alice.id].is_private and not seen.accounts[alice.id].is_active
    named = await backend.overlay.account_named(bob.id, "alice")
    assert list(named.accounts) == [alice.id]
    assert await backend.overlay.account_named(bob.id, "nobody") == Overlay()
    assert list((await backend.overlay.account_named(None, "bob")).accounts) == [bob.id]


async def revisions(backend: Backend, post: Post, user: User) -> tuple[int, int]:
    seen = await overlay(backend, None, post_ids=[post.id], account_ids=[user.id])
    post_state: PostState = seen.posts[post.id]
    account: AccountState = seen.accounts[user.id]
    return post_state.revision, account.revision


async def test_revisions_change_with_what_presentations_show(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    post = await publish(backend, alice, "first")
    start = await revisions(backend, post, alice)
    async with backend.uow() as uow:  # counters and edges: not part of a presentation
        await uow.interactions.add_like(post.id, bob.id, NOW)
        await uow.graph.add_follow(Follow(new_id(), bob.id, alice.id, NOW))
        await uow.commit()
    assert await revisions(backend, post, alice) == start
    async with backend.uow() as uow:
        await uow.posts.update(replace(post, caption="edited", edited_at=NOW + timedelta(1)))
        await uow.commit()
    edited = await revisions(backend, post, alice)
    assert edited[0] != start[0] and edited[1] == start[1]
    async with backend.uow() as uow:
        await uow.users.update(replace(alice, display_name="Alice A."))
        await uow.commit()
    renamed = await revisions(backend, post, alice)
    assert renamed[0] == edited[0] and renamed[1] != edited[1]
    avatar = image(alice, MediaPurpose.AVATAR, status=MediaStatus.PROCESSING, variants=())
    async with backend.uow() as uow:
        await uow.media.add(avatar)
        await uow.users.update(replace(alice, display_name="Alice A.", avatar_media_id=avatar.id))
        await uow.commit()
    with_avatar = await revisions(backend, post, alice)
    assert with_avatar[1] != renamed[1]
    async with backend.uow() as uow:  # the avatar's processing ends: its owner shows it
        await uow.media.update(replace(avatar, status=MediaStatus.READY))
        await uow.commit()
    processed = await revisions(backend, post, alice)
    assert processed[1] != with_avatar[1] and processed[0] == with_avatar[0]
    async with backend.uow() as uow:  # a media item of the post changes: the post does
        first = await uow.media.get(post.media_ids[0])
        assert first is not None
        await uow.media.update(replace(first, alt_text="the sea"))
        await uow.commit()
    assert (await revisions(backend, post, alice))[0] != processed[0]


async def test_contents_say_what_is_presented(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    avatar = image(alice, MediaPurpose.AVATAR)
    async with backend.uow() as uow:
        await uow.media.add(avatar)
        await uow.users.update(replace(alice, bio="hello", avatar_media_id=avatar.id))
        await uow.commit()
    post = await publish(backend, alice, "#beach day", media=3)
    seen = await overlay(backend, bob, post_ids=[post.id], account_ids=[bob.id])
    (content,) = await backend.contents.posts([post.id, new_id()])
    assert (content.id, content.revision) == (post.id, seen.posts[post.id].revision)
    assert (content.caption, content.tags, content.place) == (post.caption, post.tags, post.place)
    assert [m.id for m in content.media] == list(post.media_ids)  # in the post's order
    assert [v.name for v in content.media[0].variants] == ["thumb", "large"]
    assert (content.comments_enabled, content.created_at, content.edited_at) == (True, NOW, None)
    accounts = {a.id: a for a in await backend.contents.accounts([alice.id, bob.id, new_id()])}
    assert set(accounts) == {alice.id, bob.id}
    mine = accounts[alice.id]
    assert (mine.username, mine.bio, mine.revision) == (
        "alice",
        "hello",
        seen.accounts[alice.id].revision,
    )
    assert mine.avatar is not None and mine.avatar.id == avatar.id
    assert accounts[bob.id].avatar is None
    assert await backend.contents.posts([]) == [] and await backend.contents.accounts([]) == []
