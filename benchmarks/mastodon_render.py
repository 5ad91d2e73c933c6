"""What writing a home page costs in the app API's shape beside the native one: the same page
of cards (20 items, 3 photos each, some shares) written as the native ``FeedPage`` and as
Mastodon's array of ``Status`` (shares as reblogs), CPU per page.

    uv run python benchmarks/mastodon_render.py --pages 2000

Both read the same read model through the same ``HomeFeed`` use case, so the bytes written
are the difference between the two endpoints (the rest of a request, the overlay and the
presentations, is common). "first" is a page whose Mastodon heads are not memoized yet (a
post's presentation is translated once per process), "warm" every later page.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import msgspec

from social.adapters.http.feed.schemas import feed_page_response
from social.adapters.http.media.schemas import MediaOut, MediaVariantOut
from social.adapters.http.presenting import AccountContentOut, PostContentOut
from social.adapters.mastodon.entities import Entities, array
from social.adapters.mastodon.timelines_controllers import feed_item_json
from social.domain.accounts.model import AccountStatus
from social.domain.feed.home_feed import FeedItemView
from social.domain.feed.model import FeedEntry, FeedItemKind
from social.domain.graph.model import Relationship
from social.domain.reads.model import AccountCard, AccountState, PostCard, PostState, ViewerFlags
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Cursor, Page

NOW = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
SIGNED = "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=bench%2F20261203&X-Amz-Signature="


def presented(body: msgspec.Struct) -> bytes:
    return msgspec.json.encode(body)[:-1]


def media(rng: random.Random) -> MediaOut:
    media_id = new_id()
    variants = [
        MediaVariantOut(
            name=name,
            width=width,
            height=width * 3 // 4,
            url=f"https://s3.example/media/{media_id}/{name}.jpg{SIGNED}{rng.getrandbits(128):x}",
        )
        for name, width in (("thumb", 150), ("small", 640), ("large", 1080))
    ]
    return MediaOut(
        id=media_id,
        kind="image",
        status="ready",
        alt_text="a photo",
        width=1080,
        height=810,
        blurhash="LKO2?U%2Tw=w]~RBVZRi};RPxuwH",
        url=variants[-1].url,
        variants=variants,
        preview_url=variants[1].url,
    )


def account(name: str) -> AccountCard:
    account_id = new_id()
    content = AccountContentOut(
        id=account_id,
        username=name,
        display_name=name.title(),
        bio="Photos of #travel and #food, with @friend",
        website=None,
        avatar=None,
        created_at=NOW,
    )
    state = AccountState(account_id, 1, AccountStatus.ACTIVE, False, 120, 300, 180)
    return AccountCard(state, presented(content), Relationship(following=True))


def page(rng: random.Random, authors: list[AccountCard]) -> list[FeedItemView]:
    items = []
    for i in range(20):
        author = authors[i % len(authors)]
        post_id = new_id()
        content = PostContentOut(
            id=post_id,
            caption=f"Day {i} in Lisbon #travel #food with @{authors[0].state.id.hex[:8]}\nso good",
            tags=["travel", "food"],
            mentions=[],
            place=None,
            media=[media(rng) for _ in range(3)],
            comments_enabled=True,
            created_at=NOW - timedelta(minutes=i),
            edited_at=None,
        )
        state = PostState(post_id, author.state.id, 1, 42, 7, 3)
        card = PostCard(state, presented(content), author, ViewerFlags(liked=i % 3 == 0))
        shared = i % 5 == 4
        entry_id = new_id() if shared else post_id
        sharer = authors[(i + 1) % len(authors)] if shared else None
        entry = FeedEntry(
            entry_id,
            FeedItemKind.SHARE if shared else FeedItemKind.POST,
            post_id,
            (sharer or author).state.id,
            author.state.id,
            NOW - timedelta(minutes=i),
        )
        items.append(FeedItemView(entry, card, sharer))
    return items


def per_page(write: object, pages: list[list[FeedItemView]], rounds: int) -> float:
    started = time.process_time()
    for n in range(rounds):
        write(pages[n % len(pages)])  # type: ignore[operator]
    return (time.process_time() - started) / rounds * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000, help="pages written per figure")
    parser.add_argument("--distinct", type=int, default=50, help="distinct pages cycled")
    args = parser.parse_args()
    rng = random.Random(7)
    authors = [account(f"user{i}") for i in range(8)]
    pages = [page(rng, authors) for _ in range(args.distinct)]
    cursor = Cursor(NOW, UUID(int=1))

    def native(items: list[FeedItemView]) -> bytes:
        return bytes(feed_page_response(Page(items, cursor)).content)

    entities = Entities("https://social.example")

    def mastodon(items: list[FeedItemView]) -> bytes:
        return array([feed_item_json(entities, view) for view in items])

    first = []
    for items in pages:
        started = time.process_time()
        mastodon(items)
        first.append((time.process_time() - started) * 1e6)
    print("== A home page of 20 items (3 photos each, 4 shares), CPU per page")
    figures = {"native FeedPage": per_page(native, pages, args.pages)}
    figures["Mastodon, warm"] = per_page(mastodon, pages, args.pages)
    for name, micros in figures.items():
        print(f"{name:<18} {micros:8.0f} µs")
    print(f"{'Mastodon, first':<18} {statistics.median(first):8.0f} µs (median; translated once)")
    sizes = [len(native(pages[0])), len(mastodon(pages[0]))]
    print(f"bytes per page: native {sizes[0]:,}, Mastodon {sizes[1]:,}")


if __name__ == "__main__":
    main()
