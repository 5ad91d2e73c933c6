"""The ``SearchIndex`` contract, continued: text, places, people, tag counts, trending, rebuild.

Every test runs on the fake, PostgreSQL and OpenSearch (fixtures in ``conftest.py``). The stemmed
words are ones where PostgreSQL's Snowball configurations, OpenSearch's stemmers and the fake's
small stripper agree (checked against each engine's own analysis); queries hold no stop words
and never mix languages in one query (the fake would accept that, the engines not).
"""

from __future__ import annotations

import asyncio
import re
import secrets
import uuid
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import TypeVar
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from social.adapters.http.pagination import decode_key_cursor, decode_time_cursor, encode_cursor
from social.adapters.postgres import migrations
from social.adapters.postgres.database import Database
from social.adapters.search.opensearch_index import INDEX_BODY, OpenSearchIndex
from social.adapters.search.postgres_index import PostgresSearchIndex
from social.domain.search.model import PostDocument, TagCount, UserDocument, Visibility
from social.domain.search.ports import SearchIndex
from social.domain.shared.errors import Invalid, Unavailable
from social.domain.shared.pagination import Cursor, KeyCursor, PageRequest
from tests.conftest import create_database, drop_database

T = TypeVar("T")
BASE = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
WIB = timezone(timedelta(hours=7))
HIDDEN = Visibility.HIDDEN
HIDDEN_KINDS = [Visibility.FOLLOWERS, Visibility.HIDDEN]


def doc(
    caption: str = "",
    *tags: str,
    at: datetime = BASE,
    visibility: Visibility = Visibility.PUBLIC,
    post_id: UUID | None = None,
    place: str | None = None,
) -> PostDocument:
    return PostDocument(
        post_id=post_id or uuid.uuid4(),
        author_id=uuid.uuid4(),
        caption=caption,
        tags=tags,
        created_at=at,
        visibility=visibility,
        place_name=place,
    )


def tagged(
    *tags: str, at: datetime = BASE, visibility: Visibility = Visibility.PUBLIC
) -> PostDocument:
    return doc("tagged", *tags, at=at, visibility=visibility)


def person(username: str, display_name: str = "", user_id: UUID | None = None) -> UserDocument:
    return UserDocument(
        user_id=user_id or uuid.uuid4(), username=username, display_name=display_name
    )


async def put(index: SearchIndex, *documents: PostDocument) -> None:
    for document in documents:
        await index.upsert(document)
    await index.refresh()


async def put_users(index: SearchIndex, *users: UserDocument) -> None:
    for user in users:
        await index.upsert_user(user)
    await index.refresh()


def newest_first(*documents: PostDocument) -> list[UUID]:
    return [d.post_id for d in sorted(documents, key=lambda d: (d.created_at, d.post_id))][::-1]


def by_username(*users: UserDocument) -> list[UUID]:
    return [u.user_id for u in sorted(users, key=lambda u: u.username)]


async def matching(index: SearchIndex, query: str) -> list[UUID]:
    page = await index.posts_matching(query, PageRequest(limit=100))
    assert page.next_cursor is None
    return list(page.items)


async def at_place(index: SearchIndex, name: str) -> list[UUID]:
    page = await index.posts_at_place(name, PageRequest(limit=100))
    assert page.next_cursor is None
    return list(page.items)


async def people(index: SearchIndex, prefix: str) -> list[UUID]:
    page = await index.users_by_prefix(prefix, PageRequest(limit=100))
    assert page.next_cursor is None
    return list(page.items)


async def counts(index: SearchIndex, prefix: str, limit: int = 100) -> list[tuple[str, int]]:
    return [(t.name, t.posts_count) for t in await index.tags_by_prefix(prefix, limit)]


def later(seconds: float) -> datetime:
    return BASE + timedelta(seconds=seconds)


# Text: every word, accents and case folded, English and Indonesian stems.


@pytest.mark.parametrize("query", ["kopi", "Kópi", "KOPI", "kôpí"])
async def test_text_matches_with_accents_folded_both_ways(search: SearchIndex, query: str) -> None:
    plain = doc("Pagi ini kopi susu di Ubud", at=later(1))
    accented = doc("Kópi tubruk di Kintamani", at=later(2))
    await put(search, plain, accented, doc("Teh manis di Bandung"))

    assert await matching(search, query) == [accented.post_id, plain.post_id]


async def test_text_requires_every_word(search: SearchIndex) -> None:
    milk = doc("Kopi susu gula aren", at=later(1))
    black = doc("Kopi hitam tanpa gula", at=later(2))
    await put(search, milk, black, doc("Susu segar"))

    assert await matching(search, "kopi susu") == [milk.post_id]
    assert await matching(search, "gula kopi") == [black.post_id, milk.post_id]
    assert await matching(search, "susu hitam") == []
    assert await matching(search, "kopi teh") == []


STEMS = {
    "running-finds-run": ("I run along the beach", "running"),
    "run-finds-running": ("Morning running along the beach", "run"),
    "cat-finds-cats": ("Two cats asleep", "cat"),
    "cats-finds-cat": ("A cat asleep", "cats"),
    "walking-finds-walked": ("We walked home", "walking"),
    "makan-finds-makanan": ("Makanan enak di Jogja", "makan"),
    "makanan-finds-makan": ("Ayo makan bersama", "makanan"),
    "berlari-finds-lari": ("Lari pagi keliling taman", "berlari"),
    "lari-finds-berlari": ("Pagi ini berlari di pantai", "lari"),
    "jalan-finds-perjalanan": ("Perjalanan panjang ke Bromo", "jalan"),
    "minum-finds-minuman": ("Minuman segar", "minum"),
}


@pytest.mark.parametrize("case", STEMS.values(), ids=STEMS.keys())
async def test_text_accepts_english_and_indonesian_stems(
    search: SearchIndex, case: tuple[str, str]
) -> None:
    caption, query = case
    found = doc(caption)
    await put(search, found, doc("Kopi tubruk di Kintamani"), doc("Something else entirely"))

    assert await matching(search, query) == [found.post_id]


async def test_text_never_returns_non_public_posts(search: SearchIndex) -> None:
    public = doc("Senja di pantai")
    hidden_later = doc("Senja di pantai", at=later(3))
    others = [doc("Senja di pantai", at=later(i), visibility=v) for i, v in enumerate(HIDDEN_KINDS)]
    await put(search, public, hidden_later, *others)
    hidden = doc("Senja di pantai", at=later(3), post_id=hidden_later.post_id, visibility=HIDDEN)
    await put(search, hidden)  # moderation hides a post that was public

    assert await matching(search, "senja") == [public.post_id]


async def test_text_follows_edits_and_deletes(search: SearchIndex) -> None:
    edited, deleted = doc("Kopi pagi", at=later(1)), doc("Kopi sore", at=later(2))
    await put(search, edited, deleted)
    await put(search, doc("Teh pagi", at=later(1), post_id=edited.post_id))
    await search.delete(deleted.post_id)
    await search.refresh()

    assert await matching(search, "kopi") == []
    assert await matching(search, "teh") == [edited.post_id]


@pytest.mark.parametrize("query", ["", "   ", "!!!", "#", "@ ."])
async def test_a_text_without_words_gives_an_empty_page(search: SearchIndex, query: str) -> None:
    await put(search, doc("Kopi pagi"))

    page = await search.posts_matching(query, PageRequest(limit=10))

    assert page.items == []
    assert page.next_cursor is None


@pytest.mark.parametrize("newer_between_pages", [False, True])
async def test_text_pages_newest_first_without_repeats(
    search: SearchIndex, newer_between_pages: bool
) -> None:
    # groups of three share a timestamp, so page boundaries fall inside ties
    documents = [
        doc(f"Kopi nomor {i}", at=BASE + timedelta(microseconds=i // 3)) for i in range(25)
    ]
    other_zone = doc("Kopi dari Jakarta", at=later(1).astimezone(WIB))
    await put(search, *documents, other_zone, doc("Teh manis"))

    seen: list[UUID] = []
    pages = 0
    after: Cursor | None = None
    while True:
        page = await search.posts_matching("KOPI", PageRequest(limit=10, after=after))
        seen += page.items
        pages += 1
        if page.next_cursor is None:
            break
        assert isinstance(page.next_cursor, Cursor)
        after = decode_time_cursor(encode_cursor(page.next_cursor))
        if newer_between_pages:  # before the cursor: never seen
            await put(search, doc("Kopi baru", at=later(3600 + pages)))

    assert pages == 3
    assert seen == newest_first(*documents, other_zone)


# Places: every word of the name, folded, no stemming.


async def test_posts_at_a_place_match_every_word_folded(search: SearchIndex) -> None:
    mount = doc("Sunrise", place="Mount Bromo", at=later(1))
    gunung = doc("Sunrise", place="Gunung Bromo", at=later(2))
    kuta = doc("Senja", place="Pantai Kutá", at=later(3))
    await put(
        search,
        mount,
        gunung,
        kuta,
        doc("Bromo", place=None),  # the caption is not the place
        doc("Sunrise", place="Mount Bromo", visibility=Visibility.FOLLOWERS),
    )

    assert await at_place(search, "bromo") == [gunung.post_id, mount.post_id]
    assert await at_place(search, "Mount BROMO") == [mount.post_id]
    assert await at_place(search, "kuta") == [kuta.post_id]
    assert await at_place(search, "Kutà pantai") == [kuta.post_id]
    assert await at_place(search, "mounts") == []  # no stemming in place names
    assert await at_place(search, "bro") == []  # whole words
    assert await at_place(search, "  ") == []


async def test_place_pages_use_the_newest_first_cursor(search: SearchIndex) -> None:
    documents = [doc("x", place="Pantai Kuta", at=later(i // 2)) for i in range(5)]
    await put(search, *documents)

    first = await search.posts_at_place("kuta", PageRequest(limit=3))
    assert isinstance(first.next_cursor, Cursor)
    second = await search.posts_at_place("kuta", PageRequest(limit=3, after=first.next_cursor))

    assert first.items + second.items == newest_first(*documents)
    assert second.next_cursor is None


# People: username prefix or display-name word prefix, ordered by username.


@pytest.mark.parametrize("prefix", ["bud", "BUD", "@bud", " @Bud ", "budi"])
async def test_users_by_username_prefix_case_insensitive_at_optional(
    search: SearchIndex, prefix: str
) -> None:
    budiman, budi = person("budiman"), person("budi")
    await put_users(search, budiman, budi, person("abud"), person("rina", "Rina Wulandari"))

    assert await people(search, prefix) == [budi.user_id, budiman.user_id]


async def test_users_by_display_name_word_prefix_folded(search: SearchIndex) -> None:
    siti = person("siti.n", "Sítí Nurhaliza")
    nur = person("nurul", "Nurul Áini")
    other = person("zack", "Zack Haliza")
    await put_users(search, siti, nur, other, person("andi", "Andi Siregar"))

    assert await people(search, "siti") == [siti.user_id]
    assert await people(search, "SÍT") == [siti.user_id]
    assert await people(search, "nur") == by_username(siti, nur)
    assert await people(search, "aini") == [nur.user_id]
    assert await people(search, "haliza") == [other.user_id]  # a word start, not a substring
    assert await people(search, "siti nur") == [siti.user_id]  # every word a prefix
    assert await people(search, "liza") == []


async def test_users_are_ordered_by_username_in_byte_order(search: SearchIndex) -> None:
    anab, ana_c, ana1, ana_dot_b = (person(n) for n in ("anab", "ana_c", "ana1", "ana.b"))
    bob = person("bob", "Ana Maria")  # found by the display name, sorted by the username
    await put_users(search, anab, bob, ana_c, ana1, ana_dot_b)

    expected = [ana_dot_b, ana1, ana_c, anab, bob]  # "." < "1" < "_" < "b", whatever the locale
    assert await people(search, "ana") == [u.user_id for u in expected]


async def test_users_page_by_key_cursor_without_repeats(search: SearchIndex) -> None:
    users = [person(f"dewi{i}") for i in range(5)]
    by_name = [person(f"a{i}", f"Dewi {i}") for i in range(2)]
    await put_users(search, *users, *by_name, person("budi"))

    seen: list[UUID] = []
    keys: list[str] = []
    after: KeyCursor | None = None
    while True:
        page = await search.users_by_prefix("dewi", PageRequest(limit=3, after=after))
        seen += page.items
        if page.next_cursor is None:
            break
        assert isinstance(page.next_cursor, KeyCursor)
        keys.append(page.next_cursor.key)
        after = decode_key_cursor(encode_cursor(page.next_cursor))

    assert seen == by_username(*users, *by_name)
    assert keys == ["dewi0", "dewi3"]  # the last username of each full page


async def test_users_follow_upserts_and_deletes(search: SearchIndex) -> None:
    renamed, gone = person("rina", "Rina Wulandari"), person("rini", "Rini Wulan")
    await put_users(search, renamed, gone)
    await put_users(search, person("tari", "Tari Putri", user_id=renamed.user_id))
    await search.delete_user(gone.user_id)
    await search.delete_user(gone.user_id)
    await search.delete_user(uuid.uuid4())
    await search.refresh()

    assert await people(search, "ri") == []
    assert await people(search, "wulan") == []
    assert await people(search, "putri") == [renamed.user_id]
    assert await people(search, "tar") == [renamed.user_id]


@pytest.mark.parametrize("prefix", ["", "   ", "@", " @ "])
async def test_a_blank_user_prefix_gives_an_empty_page(search: SearchIndex, prefix: str) -> None:
    await put_users(search, person("budi", "Budi Santoso"))

    page = await search.users_by_prefix(prefix, PageRequest())

    assert page.items == []
    assert page.next_cursor is None


# Tags: prefix lookups with exact public counts, trending, counts.


async def test_tags_by_prefix_counts_public_posts_most_used_first(search: SearchIndex) -> None:
    await put(
        search,
        *[tagged("sunset", "beach") for _ in range(3)],
        *[tagged("sun", "sundae") for _ in range(2)],
        tagged("sunrise"),
        tagged("#Sunrise", visibility=Visibility.FOLLOWERS),
        tagged("sunrise", visibility=Visibility.HIDDEN),
        tagged("sunny", visibility=Visibility.HIDDEN),
        tagged("unsun"),
    )

    expected = [("sunset", 3), ("sun", 2), ("sundae", 2), ("sunrise", 1)]
    assert await counts(search, "sun") == expected
    assert await counts(search, "#SUN ") == expected
    assert await counts(search, "sun", limit=2) == expected[:2]
    assert await counts(search, "sunr") == [("sunrise", 1)]
    assert await counts(search, "sunny") == []
    assert await counts(search, "") == []


async def test_tag_prefixes_are_literal(search: SearchIndex) -> None:
    await put(search, tagged("sun_set"), tagged("sunxset"), tagged("c++"), tagged("cxx"))
    await put(search, tagged("50%off"), tagged("500off"))

    assert await counts(search, "sun_") == [("sun_set", 1)]
    assert await counts(search, "c+") == [("c++", 1)]
    assert await counts(search, "50%") == [("50%off", 1)]
    assert await counts(search, "s.n") == []


async def test_tag_counts_follow_visibility_edits_and_deletes(search: SearchIndex) -> None:
    first, second, private = tagged("sunset"), tagged("sunset"), tagged("sunset")
    await put(search, first, second, replace_visibility(private, Visibility.FOLLOWERS))
    assert await search.tag_count("sunset") == 2

    await put(search, replace_visibility(first, Visibility.HIDDEN))  # moderation hides one
    assert await counts(search, "sun") == [("sunset", 1)]

    await put(search, private)  # the author's account becomes public
    await put(search, replace_visibility(first, Visibility.PUBLIC))
    assert await search.tag_count("sunset") == 3

    await put(search, doc("edited", "sunrise", post_id=second.post_id))  # tags edited
    assert await counts(search, "sun") == [("sunset", 2), ("sunrise", 1)]

    await put(search, doc("edited", "sunrise", post_id=second.post_id))  # the same again
    await search.delete(first.post_id)
    await search.delete(first.post_id)  # twice: counted once
    await search.refresh()
    assert await counts(search, "sun") == [("sunrise", 1), ("sunset", 1)]

    for post in (second, private):
        await search.delete(post.post_id)
    await search.refresh()
    assert await counts(search, "sun") == []
    assert await search.tag_count("sunset") == 0


def replace_visibility(post: PostDocument, visibility: Visibility) -> PostDocument:
    return PostDocument(
        post_id=post.post_id,
        author_id=post.author_id,
        caption=post.caption,
        tags=post.tags,
        created_at=post.created_at,
        visibility=visibility,
        place_name=post.place_name,
        location=post.location,
    )


async def test_tag_count_normalizes_the_tag(search: SearchIndex) -> None:
    await put(
        search,
        tagged("Travel", "beach"),
        tagged("travel"),
        tagged("travel", visibility=Visibility.HIDDEN),
    )

    assert await search.tag_count("#TRAVEL ") == 2
    assert await search.tag_count("beach") == 1
    assert await search.tag_count("nobody-uses-this") == 0
    assert await search.tag_count("#") == 0


async def test_trending_counts_public_posts_created_after_since(search: SearchIndex) -> None:
    since = later(0)
    await put(
        search,
        *[tagged("bromo", "sunrise", at=later(60 + i)) for i in range(3)],
        *[tagged("kuta", at=later(120 + i)) for i in range(2)],
        *[tagged("bali", at=later(180 + i)) for i in range(2)],
        tagged("ubud", at=later(1)),
        tagged("old", at=since),  # at ``since`` exactly: not after it
        *[tagged("old", at=since - timedelta(days=1)) for _ in range(5)],
        *[tagged("secret", at=later(5), visibility=v) for v in HIDDEN_KINDS * 3],
    )

    trending = await search.trending_tags(since.astimezone(WIB), 4)

    assert trending == [
        TagCount("bromo", 3), TagCount("sunrise", 3), TagCount("bali", 2), TagCount("kuta", 2)
    ]  # fmt: skip
    assert await search.trending_tags(later(120), 10) == [TagCount("bali", 2), TagCount("kuta", 1)]
    assert await search.trending_tags(later(3600), 10) == []


@pytest.mark.parametrize("limit", [0, -1, 101])
async def test_a_tag_limit_outside_1_to_100_is_invalid(search: SearchIndex, limit: int) -> None:
    with pytest.raises(Invalid) as by_prefix:
        await search.tags_by_prefix("sun", limit)
    with pytest.raises(Invalid) as trending:
        await search.trending_tags(BASE, limit)

    assert [e.field for e in by_prefix.value.errors + trending.value.errors] == ["limit"] * 2


# Rebuild: a fresh index replaces the old one at once; queries answer throughout.


async def each(items: Iterable[T]) -> AsyncIterator[T]:
    for item in items:
        yield item


async def test_rebuild_replaces_everything(search: SearchIndex) -> None:
    kept = doc("Kopi lama", "old", "shared", at=later(1))
    dropped = doc("Kopi dibuang", "old", "dropped", at=later(2))
    dropped_user, kept_user = person("lama", "Orang Lama"), person("tetap", "Orang Tetap")
    await put(search, kept, dropped)
    await put_users(search, dropped_user, kept_user)

    fresh = [doc(f"Kopi baru {i}", "new", "shared", at=later(10 + i)) for i in range(3)]
    rewritten = doc("Teh baru", "new", at=kept.created_at, post_id=kept.post_id)
    hidden = doc("Kopi rahasia", "new", "secret", at=later(20), visibility=Visibility.HIDDEN)
    renamed = person("tetap", "Orang Baru", user_id=kept_user.user_id)
    newcomer = person("baru", "Orang Datang")
    reported: list[int] = []

    total = await search.rebuild(
        each([*fresh, rewritten, hidden]),
        each([renamed, newcomer]),
        reported.append,
    )
    await search.refresh()

    assert total == 7
    assert reported and reported[-1] == 7 and reported == sorted(reported)
    assert await matching(search, "kopi") == newest_first(*fresh)
    assert await matching(search, "teh") == [kept.post_id]
    page = await search.posts_by_tag("old", PageRequest())
    assert page.items == []
    assert await counts(search, "s") == [("shared", 3)]
    assert await search.tag_count("new") == 4
    assert await search.tag_count("dropped") == 0
    assert await search.tag_count("secret") == 0
    assert await people(search, "orang") == by_username(newcomer, renamed)
    assert await people(search, "lama") == []
    assert await people(search, "tetap") == [kept_user.user_id]

    await put(search, doc("Kopi sesudah", "new", at=later(30)))  # writes go to the new index
    assert await search.tag_count("new") == 5


async def test_queries_keep_answering_during_a_rebuild(search: SearchIndex) -> None:
    old = [doc("Kopi lama", "old", at=later(i)) for i in range(3)]
    old_user = person("lama", "Orang Lama")
    await put(search, *old)
    await put_users(search, old_user)
    new = [doc("Teh baru", "new", at=later(100 + i)) for i in range(1100)]
    new_user = person("baru", "Orang Baru")
    midway, resume = asyncio.Event(), asyncio.Event()
    reported: list[int] = []

    async def posts() -> AsyncIterator[PostDocument]:
        for document in new:
            yield document
        midway.set()  # every post handed over: at least two batches written
        await resume.wait()

    rebuilding = asyncio.create_task(search.rebuild(posts(), each([new_user]), reported.append))
    try:
        await asyncio.wait_for(midway.wait(), timeout=60)
        assert reported and reported[-1] >= 1000  # written to the new index, not yet visible
        assert await matching(search, "kopi") == newest_first(*old)
        assert await matching(search, "teh") == []
        assert await people(search, "orang") == [old_user.user_id]
        assert await search.tag_count("old") == 3
        assert await counts(search, "new") == []
        assert await search.trending_tags(BASE - timedelta(days=1), 5) == [TagCount("old", 3)]
    finally:
        resume.set()
        total = await rebuilding

    await search.refresh()
    assert total == 1101
    assert await matching(search, "kopi") == []
    assert (await search.posts_matching("teh", PageRequest(limit=2))).items == newest_first(*new)[
        :2
    ]
    assert await people(search, "orang") == [new_user.user_id]
    assert await counts(search, "new") == [("new", 1100)]
    assert await search.tag_count("old") == 0


# Adapter-specific: OpenSearch aliases, unreachable services, the PostgreSQL migration.


async def behind(index: OpenSearchIndex, alias: str) -> list[str]:
    return sorted(await index.client.indices.get_alias(name=alias))


async def test_opensearch_indexes_are_aliases_over_physical_indexes(
    opensearch_index: OpenSearchIndex, opensearch_index_name: str
) -> None:
    name = opensearch_index_name
    await asyncio.gather(opensearch_index.ensure_index(), opensearch_index.ensure_index())
    await opensearch_index.ensure_index()

    posts, users = (
        await behind(opensearch_index, name),
        await behind(opensearch_index, f"{name}-users"),
    )
    assert [re.fullmatch(rf"{name}-\d{{20}}", p) is not None for p in posts] == [True]
    assert [re.fullmatch(rf"{name}-users-\d{{20}}", u) is not None for u in users] == [True]

    await opensearch_index.rebuild(each([doc("Kopi", "new")]), each([]), lambda _: None)

    assert (await behind(opensearch_index, name)) != posts
    assert (await behind(opensearch_index, f"{name}-users")) != users
    for gone in posts + users:
        assert not await opensearch_index.client.indices.exists(index=gone)


async def test_opensearch_rebuild_replaces_a_legacy_concrete_index(
    opensearch_index: OpenSearchIndex, opensearch_index_name: str
) -> None:
    """Deployments from before aliases have a concrete posts index under the alias's name."""
    name = opensearch_index_name
    await opensearch_index.client.indices.create(index=name, body=INDEX_BODY)
    legacy = doc("Kopi lama", "old")
    await opensearch_index.ensure_index()  # leaves it, adds the users index
    await put(opensearch_index, legacy)
    assert await matching(opensearch_index, "kopi") == [legacy.post_id]

    fresh = doc("Kopi baru", "new")
    await opensearch_index.rebuild(each([fresh]), each([person("baru")]), lambda _: None)

    assert await matching(opensearch_index, "kopi") == [fresh.post_id]
    assert await opensearch_index.tag_count("old") == 0
    assert [p.startswith(f"{name}-") for p in await behind(opensearch_index, name)] == [True]


async def test_unreachable_opensearch_is_unavailable_for_every_query() -> None:
    index = OpenSearchIndex("http://127.0.0.1:9", index_name="unreachable", timeout_s=2)
    calls = [
        index.ensure_index(),
        index.posts_matching("kopi", PageRequest()),
        index.posts_at_place("kuta", PageRequest()),
        index.users_by_prefix("budi", PageRequest()),
        index.upsert_user(person("budi")),
        index.delete_user(uuid.uuid4()),
        index.tags_by_prefix("sun", 10),
        index.trending_tags(BASE, 10),
        index.tag_count("sunset"),
        index.rebuild(each([]), each([]), lambda _: None),
    ]
    try:
        for call in calls:
            with pytest.raises(Unavailable) as raised:
                await call
            assert raised.value.dependency == "search"
    finally:
        await index.close()


@pytest.mark.parametrize("table", ["search_user_documents", "search_tag_counts"])
async def test_postgres_ensure_index_needs_every_search_table(
    database: Database, table: str
) -> None:
    async with database.engine.connect() as connection:
        transaction = await connection.begin()
        try:
            await connection.execute(text(f"DROP TABLE {table}"))
            sessions = async_sessionmaker(bind=connection, class_=AsyncSession)
            with pytest.raises(Unavailable):
                await PostgresSearchIndex(sessions).ensure_index()
        finally:
            await transaction.rollback()


async def test_postgres_migration_backfills_vectors_and_tag_counts(
    postgres_server_url: str,
) -> None:
    name = f"social_backfill_{secrets.token_hex(4)}"
    url = await create_database(postgres_server_url, name)
    engine = create_async_engine(url)
    try:
        await asyncio.to_thread(migrations.upgrade, url, "0007")
        rows = [
            ("Kópi susu di Ubud", ["kopi", "bali"], "public", "Pantai Kutá"),
            ("Makanan enak", ["kopi"], "public", None),
            ("Kopi rahasia", ["kopi", "secret"], "hidden", None),
        ]
        async with engine.begin() as connection:
            for caption, tags, visibility, place in rows:
                await connection.execute(
                    text(
                        "INSERT INTO search_post_documents (id, author_id, caption, tags, "
                        "created_at, visibility, place_name) VALUES (gen_random_uuid(), "
                        "gen_random_uuid(), :caption, :tags, now(), :visibility, :place)"
                    ),
                    {"caption": caption, "tags": tags, "visibility": visibility, "place": place},
                )
        await asyncio.to_thread(migrations.upgrade, url)

        index = PostgresSearchIndex(async_sessionmaker(engine, expire_on_commit=False))
        assert len(await matching(index, "kopi")) == 1
        assert len(await matching(index, "makan")) == 1
        assert len(await at_place(index, "kuta")) == 1
        assert await counts(index, "kopi") == [("kopi", 2)]
        assert await index.tag_count("bali") == 1
        assert await index.tag_count("secret") == 0
    finally:
        await engine.dispose()
        await drop_database(postgres_server_url, name)
