"""The rules of suggested posts on the fresh overlay (DISC-2): whatever the listing hands over
(it may be a moment stale), a post shows only if the viewer may see it and it is still new to
them; the order and the cursor are the listing's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

from social.domain.accounts.model import AccountStatus
from social.domain.discovery.suggested_posts import SuggestedPosts
from social.domain.graph.model import Follow
from social.domain.posts.model import Post
from social.domain.shared.identity import Role, Viewer
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Page, PageRequest, RankCursor
from social.settings import Settings
from tests.contract.stores import make_user
from tests.fakes.accounts import AccountsStore
from tests.fakes.adapters import fake_adapters
from tests.fakes.interactions import Edge
from tests.fakes.reads import InMemoryListings
from tests.fakes.shared import MutableClock

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


class StaleListings(InMemoryListings):
    """Hands over the given ids as the listing's page, whatever they are."""

    def __init__(self, store: AccountsStore, ids: Sequence[UUID], cursor: RankCursor) -> None:
        super().__init__(store)
        self.ids, self.cursor = list(ids), cursor
        self.asked: list[tuple[UUID, datetime, PageRequest[RankCursor]]] = []

    async def suggested_posts(
        self, viewer_id: UUID, since: datetime, page: PageRequest[RankCursor]
    ) -> Page[UUID, RankCursor]:
        self.asked.append((viewer_id, since, page))
        return Page(self.ids, self.cursor)


async def test_only_posts_still_new_and_visible_to_the_viewer_show() -> None:
    store = AccountsStore()
    people = {
        name: make_user(name)
        for name in ("vic", "ann", "ben", "fay", "bob", "bea", "max", "mia", "lee", "sue")
    }
    people["pat"] = make_user("pat", is_private=True)
    people["sam"] = make_user("sam", status=AccountStatus.SUSPENDED)
    store.users.update({user.id: user for user in people.values()})
    posts = {
        name: Post(new_id(), user.id, f"by {name}", (), (), (), NOW)
        for name, user in people.items()
    }
    store.posts.update({post.id: post for post in posts.values()})
    vic = people["vic"].id

    def edge(who: str, post: str) -> Edge:
        return Edge(new_id(), posts[post].id, people[who].id, NOW)

    store.follows[(vic, people["fay"].id)] = Follow(new_id(), vic, people["fay"].id, NOW)
    store.blocks[(vic, people["bob"].id)] = NOW
    store.blocks[(people["bea"].id, vic)] = NOW
    store.mutes[(vic, people["max"].id)] = NOW
    store.mutes[(people["mia"].id, vic)] = NOW  # not a tie the overlay knows: the listing's
    store.likes[(vic, posts["lee"].id)] = edge("vic", "lee")
    store.shares[(vic, posts["sue"].id)] = edge("vic", "sue")
    gone = new_id()
    order = [gone, *(post.id for post in reversed(posts.values()))]  # sam first, vic last
    cursor = RankCursor(4.0, posts["ann"].id)
    listings = StaleListings(store, order, cursor)
    clock = MutableClock(NOW)
    adapters = fake_adapters(
        Settings.from_values(environment="test"), store=store, listings=listings, clock=clock
    )
    use_case = SuggestedPosts(reads=adapters.reads(), clock=clock, window=timedelta(days=7))
    viewer = Viewer(vic, Role.USER, new_id())
    page = await use_case.execute(viewer, PageRequest(limit=5))

    shown = [card.state.id for card in page.items]
    expected = ["mia", "ben", "ann"]
    assert shown == [posts[name].id for name in expected]
    assert page.next_cursor == cursor
    assert listings.asked == [(vic, NOW - timedelta(days=7), PageRequest(limit=5))]


async def test_an_empty_listing_page_needs_no_overlay() -> None:
    store = AccountsStore()
    listings = StaleListings(store, [], RankCursor(1.0, new_id()))
    adapters = fake_adapters(Settings.from_values(environment="test"), listings=listings)
    use_case = SuggestedPosts(reads=adapters.reads(), clock=adapters.clock, window=timedelta(1))
    page = await use_case.execute(Viewer(new_id(), Role.USER, new_id()), PageRequest())
    assert page == Page([], listings.cursor)
