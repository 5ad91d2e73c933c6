"""The home feed on fakes: fan-out, the read-time merge, fallbacks and the visibility rules
(FEED-1, FEED-3)."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from social.adapters.cache.memory_feed_store import InMemoryFeedStore
from social.domain.feed.home_feed import FeedItemView, HomeFeed
from social.domain.feed.model import FeedLimits
from social.domain.feed.ports import FeedStore
from social.domain.posts.create_post import CreatePostCommand
from social.domain.reads.model import PostCard
from social.domain.shared.errors import Unavailable
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest
from tests.fakes.media import FAKE_IMAGE
from tests.fakes.reads import shown
from tests.unit.feed.conftest import run_feed_jobs
from tests.unit.harness import Accounts, ready_media


async def post(accounts: Accounts, author: Viewer, caption: str) -> UUID:
    media = await ready_media(accounts, author, FAKE_IMAGE)
    accounts.clock.advance(seconds=1)
    card: PostCard = await accounts.create_post.execute(
        author, CreatePostCommand(caption, (media.id,))
    )
    return card.state.id


async def feed(accounts: Accounts, viewer: Viewer, limit: int = 20) -> list[str]:
    page = await accounts.home_feed.execute(viewer, PageRequest(limit=limit))
    return [item_label(item) for item in page.items]


def item_label(item: FeedItemView) -> str:
    who = f"{shown(item.shared_by)['username']}>" if item.shared_by else ""
    return who + str(shown(item.post)["caption"])


def feed_with(feeds: FeedStore, limits: FeedLimits, accounts: Accounts) -> HomeFeed:
    """The composition root's home feed on another store or with other limits."""
    home = accounts.uc.home_feed
    return HomeFeed(
        reads=home._reads, source=home._source, store=feeds, limits=limits, clock=accounts.clock
    )


def store(accounts: Accounts) -> InMemoryFeedStore:
    feeds = accounts.uc.home_feed._store  # the composition root's one store
    assert isinstance(feeds, InMemoryFeedStore)
    return feeds


async def test_followed_posts_arrive_by_fan_out_newest_first(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    await accounts.follow_user.execute(bob, "alice")
    await run_feed_jobs(accounts)
    assert await feed(accounts, bob) == []  # builds bob's stored feed
    await post(accounts, alice, "one")
    await post(accounts, carol, "not followed")
    await post(accounts, bob, "mine")
    await run_feed_jobs(accounts)
    slice_ = await store(accounts).read(bob.user_id, None, 10)
    assert slice_ is not None and len(slice_.entries) == 2  # pushed, not rebuilt
    assert await feed(accounts, bob) == ["mine", "one"]


async def test_a_large_account_is_merged_at_read_time(accounts: Accounts) -> None:
    _, _, star = await accounts.sign_up("star")
    _, _, fan = await accounts.sign_up("fan")
    _, _, friend = await accounts.sign_up("friend")
    for viewer in (fan, friend):
        await accounts.follow_user.execute(viewer, "star")
    await accounts.follow_user.execute(fan, "friend")
    await run_feed_jobs(accounts)
    threshold = FeedLimits(fan_out_threshold=1)  # star has 2 followers: large
    home = feed_with(store(accounts), threshold, accounts)
    accounts.uc.fan_out._limits = threshold
    assert (await home.execute(fan, PageRequest())).items == []
    await post(accounts, star, "from the star")
    await post(accounts, friend, "from a friend")
    await run_feed_jobs(accounts)
    stored = await store(accounts).read(fan.user_id, None, 10)
    assert stored is not None and [e.actor_id for e in stored.entries] == [friend.user_id]
    page = await home.execute(fan, PageRequest())
    assert [item_label(i) for i in page.items] == ["from a friend", "from the star"]


async def test_shares_reach_the_sharers_followers_attributed(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    await accounts.follow_user.execute(carol, "bob")
    await run_feed_jobs(accounts)
    await feed(accounts, carol)
    original = await post(accounts, alice, "worth sharing")
    accounts.clock.advance(seconds=1)
    await accounts.share_post.execute(bob, original)
    await run_feed_jobs(accounts)
    assert await feed(accounts, carol) == ["bob>worth sharing"]
    await accounts.unshare_post.execute(bob, original)
    assert await feed(accounts, carol) == []  # at once, before the retract job
    await run_feed_jobs(accounts)
    assert (await store(accounts).read(carol.user_id, None, 10)).entries == []  # type: ignore[union-attr]


async def test_unfollow_mute_block_and_delete_take_effect_at_once(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, viewer = await accounts.sign_up("viewer")
    for name in ("alice", "bob"):
        await accounts.follow_user.execute(viewer, name)
    await run_feed_jobs(accounts)
    await feed(accounts, viewer)
    first = await post(accounts, alice, "alice 1")
    await post(accounts, bob, "bob 1")
    await run_feed_jobs(accounts)
    assert await feed(accounts, viewer) == ["bob 1", "alice 1"]
    await accounts.mute_user.execute(viewer, "bob")
    assert await feed(accounts, viewer) == ["alice 1"]
    await accounts.unmute_user.execute(viewer, "bob")
    await accounts.unfollow_user.execute(viewer, "bob")
    assert await feed(accounts, viewer) == ["alice 1"]
    await accounts.delete_post.execute(alice, first)
    assert await feed(accounts, viewer) == []
    await post(accounts, alice, "alice 2")
    await run_feed_jobs(accounts)
    await accounts.block_user.execute(alice, "viewer")
    assert await feed(accounts, viewer) == []


async def test_a_follow_rebuilds_the_feed_with_the_followees_posts(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await post(accounts, alice, "older post")
    assert await feed(accounts, bob) == []
    await run_feed_jobs(accounts)
    await accounts.follow_user.execute(bob, "alice")
    await run_feed_jobs(accounts)
    assert await feed(accounts, bob) == ["older post"]


async def test_pages_never_repeat_or_skip_while_posts_arrive(accounts: Accounts) -> None:
    _, _, author = await accounts.sign_up("author")
    _, _, reader = await accounts.sign_up("reader")
    await accounts.follow_user.execute(reader, "author")
    await run_feed_jobs(accounts)
    await feed(accounts, reader)
    for i in range(25):
        await post(accounts, author, f"old {i}")
    await run_feed_jobs(accounts)
    seen: list[str] = []
    page: Page[FeedItemView, Cursor] = await accounts.home_feed.execute(
        reader, PageRequest(limit=4)
    )
    while True:
        seen += [item_label(i) for i in page.items]
        await post(accounts, author, f"new {len(seen)}")  # arrives between two pages
        await run_feed_jobs(accounts)
        if page.next_cursor is None:
            break
        page = await accounts.home_feed.execute(reader, PageRequest(4, page.next_cursor))
    assert seen == [f"old {i}" for i in reversed(range(25))]


async def test_beyond_the_stored_bound_the_database_continues(accounts: Accounts) -> None:
    _, _, author = await accounts.sign_up("author")
    _, _, reader = await accounts.sign_up("reader")
    await accounts.follow_user.execute(reader, "author")
    small = FeedLimits(max_length=5)
    home = feed_with(InMemoryFeedStore(5), small, accounts)
    for i in range(12):
        await post(accounts, author, f"p{i}")
    seen: list[str] = []
    after = None
    while True:
        page = await home.execute(reader, PageRequest(limit=3, after=after))
        seen += [item_label(i) for i in page.items]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == [f"p{i}" for i in reversed(range(12))]


class DownFeedStore(InMemoryFeedStore):
    """A store whose every call fails, as Redis does when it is stopped."""

    async def read(self, *args: object, **kwargs: object) -> None:
        raise Unavailable("feed store down", dependency="feed")

    async def replace(self, *args: object, **kwargs: object) -> None:
        raise Unavailable("feed store down", dependency="feed")


async def test_a_down_store_falls_back_to_the_database(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.follow_user.execute(bob, "alice")
    await post(accounts, alice, "still here")
    home = feed_with(DownFeedStore(), FeedLimits(), accounts)
    page = await home.execute(bob, PageRequest())
    assert [item_label(i) for i in page.items] == ["still here"]
    assert replace(page, items=[]).next_cursor is None
