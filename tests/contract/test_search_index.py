"""The ``SearchIndex`` contract: the fake, PostgreSQL and OpenSearch give the same answers.

Each test runs once per adapter; the OpenSearch one skips (or fails under
``SOCIAL_REQUIRE_SERVICES=1``) without ``SOCIAL_TEST_OPENSEARCH_URL``.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.postgres.database import Database
from social.adapters.search.opensearch_index import OpenSearchCheck, OpenSearchIndex
from social.adapters.search.postgres_index import PostgresSearchCheck, PostgresSearchIndex
from social.domain.search.model import GeoPoint, PostDocument, Visibility
from social.domain.search.ports import SearchIndex
from social.domain.shared.errors import Unavailable
from social.domain.shared.pagination import Cursor, PageRequest
from tests.fakes.search import InMemorySearchIndex

BASE = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
WIB = timezone(timedelta(hours=7))  # a client's zone: order is by instant, not wall time


@pytest.fixture
def memory_index() -> InMemorySearchIndex:
    return InMemorySearchIndex()


@pytest.fixture
def postgres_index(database: Database) -> PostgresSearchIndex:
    return PostgresSearchIndex(database.sessions)


@pytest.fixture
async def opensearch_index(opensearch_url: str) -> AsyncIterator[OpenSearchIndex]:
    """A fresh index per test, so tests never see each other's documents."""
    name = f"social-test-posts-{secrets.token_hex(6)}"
    index = OpenSearchIndex(opensearch_url, index_name=name)
    try:
        yield index
    finally:
        await index.client.indices.delete(index=name, ignore_unavailable=True)
        await index.close()


@pytest.fixture(params=["memory", "postgres", "opensearch"])
def index(request: pytest.FixtureRequest) -> SearchIndex:
    """The adapter under test, before ``ensure_index``."""
    adapter: SearchIndex = request.getfixturevalue(f"{request.param}_index")
    return adapter


@pytest.fixture
async def search(index: SearchIndex) -> SearchIndex:
    """The adapter under test, ready for writes."""
    await index.ensure_index()
    return index


def post(
    *tags: str,
    at: datetime = BASE,
    visibility: Visibility = Visibility.PUBLIC,
    post_id: UUID | None = None,
) -> PostDocument:
    return PostDocument(
        post_id=post_id or uuid.uuid4(),
        author_id=uuid.uuid4(),
        caption=f"Senja di pantai, café au lait {' '.join('#' + t for t in tags)}",
        tags=tags,
        created_at=at,
        visibility=visibility,
        place_name="Pantai Kuta",
        location=GeoPoint(latitude=-8.7184, longitude=115.1686),
    )


async def put(index: SearchIndex, *documents: PostDocument) -> None:
    for document in documents:
        await index.upsert(document)
    await index.refresh()


async def ids(index: SearchIndex, tag: str) -> list[UUID]:
    page = await index.posts_by_tag(tag, PageRequest(limit=100))
    assert page.next_cursor is None
    return list(page.items)


def newest_first(*documents: PostDocument) -> list[UUID]:
    return [d.post_id for d in sorted(documents, key=lambda d: (d.created_at, d.post_id))][::-1]


async def test_ensure_index_is_idempotent_even_when_racing(index: SearchIndex) -> None:
    await asyncio.gather(index.ensure_index(), index.ensure_index())
    await index.ensure_index()
    document = post("sunset")
    await put(index, document)
    await index.ensure_index()  # must not wipe what is there

    assert await ids(index, "sunset") == [document.post_id]


@pytest.mark.parametrize("query", ["sunset", "Sunset", "#sunset", "#SUNSET", " #Sunset "])
async def test_finds_posts_by_tag_case_insensitively_with_optional_hash(
    search: SearchIndex, query: str
) -> None:
    tagged = post("sunset", "beach")
    await put(search, tagged, post("sunrise"), post("sunsets"))

    assert await ids(search, query) == [tagged.post_id]


async def test_stored_tags_are_normalized_too(search: SearchIndex) -> None:
    document = post("#Travel", "travel", "")
    await put(search, document)

    assert await ids(search, "travel") == [document.post_id]


async def test_upsert_replaces_the_document(search: SearchIndex) -> None:
    first = post("sunset", "beach")
    await put(search, first)
    await put(search, post("beach", post_id=first.post_id, at=BASE + timedelta(seconds=1)))

    assert await ids(search, "sunset") == []
    assert await ids(search, "beach") == [first.post_id]


async def test_delete_removes_and_deleting_twice_is_fine(search: SearchIndex) -> None:
    gone, kept = post("sunset"), post("sunset", at=BASE - timedelta(seconds=1))
    await put(search, gone, kept)

    await search.delete(gone.post_id)
    await search.delete(gone.post_id)
    await search.delete(uuid.uuid4())
    await search.refresh()

    assert await ids(search, "sunset") == [kept.post_id]


async def test_non_public_documents_are_never_returned(search: SearchIndex) -> None:
    public = post("sunset")
    later_hidden = post("sunset", at=BASE + timedelta(seconds=3))
    await put(
        search,
        public,
        later_hidden,
        post("sunset", visibility=Visibility.FOLLOWERS, at=BASE + timedelta(seconds=1)),
        post("sunset", visibility=Visibility.HIDDEN, at=BASE + timedelta(seconds=2)),
    )
    await put(  # moderation hides a post that was public
        search,
        post(
            "sunset",
            at=later_hidden.created_at,
            visibility=Visibility.HIDDEN,
            post_id=later_hidden.post_id,
        ),
    )

    assert await ids(search, "sunset") == [public.post_id]


async def test_newest_first_with_ties_broken_by_id(search: SearchIndex) -> None:
    tied = [post("sunset", at=BASE + timedelta(seconds=1)) for _ in range(4)]
    microseconds_apart = [post("sunset", at=BASE + timedelta(microseconds=m)) for m in (0, 1, 2)]
    other_zone = post("sunset", at=(BASE + timedelta(seconds=2)).astimezone(WIB))
    documents = [*tied, *microseconds_apart, other_zone]
    await put(search, *documents)

    assert await ids(search, "sunset") == newest_first(*documents)


@pytest.mark.parametrize("newer_between_pages", [False, True])
async def test_pagination_yields_every_id_once_in_order(
    search: SearchIndex, newer_between_pages: bool
) -> None:
    # groups of three share a timestamp, so page boundaries fall inside ties
    documents = [post("sunset", at=BASE + timedelta(microseconds=i // 3)) for i in range(25)]
    await put(search, *documents, post("other"))

    seen: list[UUID] = []
    pages = 0
    after: Cursor | None = None
    while True:
        page = await search.posts_by_tag("#Sunset", PageRequest(limit=10, after=after))
        seen += page.items
        pages += 1
        if page.next_cursor is None:
            break
        after = Cursor.decode(page.next_cursor.encode())  # as a client would send it back
        if newer_between_pages:
            await put(search, post("sunset", at=BASE + timedelta(hours=1, minutes=pages)))

    assert pages == 3
    assert seen == newest_first(*documents)


async def test_exactly_full_last_page_has_no_cursor(search: SearchIndex) -> None:
    documents = [post("sunset", at=BASE + timedelta(seconds=i)) for i in range(4)]
    await put(search, *documents)

    first = await search.posts_by_tag("sunset", PageRequest(limit=2))
    assert first.next_cursor is not None
    second = await search.posts_by_tag("sunset", PageRequest(limit=2, after=first.next_cursor))

    assert first.items + second.items == newest_first(*documents)
    assert second.next_cursor is None


@pytest.mark.parametrize("tag", ["nobody-uses-this", "", "#", "   "])
async def test_a_tag_no_document_has_gives_an_empty_page(search: SearchIndex, tag: str) -> None:
    await put(search, post("sunset"))

    page = await search.posts_by_tag(tag, PageRequest(limit=10))

    assert page.items == []
    assert page.next_cursor is None


# Adapter-specific behaviour beyond the port: readiness checks and error translation.


async def test_postgres_search_check_passes_on_a_migrated_database(database: Database) -> None:
    await PostgresSearchCheck(PostgresSearchIndex(database.sessions)).check()


async def test_postgres_ensure_index_fails_when_the_table_is_missing(database: Database) -> None:
    async with database.engine.connect() as connection:
        transaction = await connection.begin()
        try:
            await connection.execute(text("DROP TABLE search_post_documents"))
            sessions = async_sessionmaker(bind=connection, class_=AsyncSession)
            with pytest.raises(Unavailable) as raised:
                await PostgresSearchIndex(sessions).ensure_index()
        finally:
            await transaction.rollback()

    assert raised.value.dependency == "search"


async def test_opensearch_check_passes_on_a_live_cluster(opensearch_index: OpenSearchIndex) -> None:
    await OpenSearchCheck(opensearch_index).check()


async def test_unreachable_opensearch_is_unavailable() -> None:
    index = OpenSearchIndex("http://127.0.0.1:9", index_name="unreachable", timeout_s=2)
    try:
        with pytest.raises(Unavailable) as raised:
            await index.posts_by_tag("sunset", PageRequest())
        with pytest.raises(Unavailable):
            await OpenSearchCheck(index).check()
    finally:
        await index.close()

    assert raised.value.dependency == "search"
