"""The ``SearchIndex`` contract: the fake, PostgreSQL and OpenSearch give the same answers.

Tags and places here; text, people, tag counts and rebuilds in ``test_search_queries.py``. Each
test runs once per adapter (fixtures in ``conftest.py``); the OpenSearch one skips (or fails
under ``SOCIAL_REQUIRE_SERVICES=1``) without ``SOCIAL_TEST_OPENSEARCH_URL``.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.http.pagination import decode_rank_cursor, decode_time_cursor, encode_cursor
from social.adapters.postgres.database import Database
from social.adapters.search.opensearch_index import OpenSearchCheck, OpenSearchIndex
from social.adapters.search.postgres_index import PostgresSearchCheck, PostgresSearchIndex
from social.domain.search.model import GeoPoint, PostDocument, Visibility, distance_m
from social.domain.search.ports import SearchIndex
from social.domain.shared.errors import Invalid, Unavailable
from social.domain.shared.pagination import Cursor, PageRequest, RankCursor

BASE = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
WIB = timezone(timedelta(hours=7))  # a client's zone: order is by instant, not wall time
KUTA = GeoPoint(latitude=-8.7184, longitude=115.1686)


def post(
    *tags: str,
    at: datetime = BASE,
    visibility: Visibility = Visibility.PUBLIC,
    post_id: UUID | None = None,
    location: GeoPoint | None = KUTA,
) -> PostDocument:
    return PostDocument(
        post_id=post_id or uuid.uuid4(),
        author_id=uuid.uuid4(),
        caption=f"Senja di pantai, café au lait {' '.join('#' + t for t in tags)}",
        tags=tags,
        created_at=at,
        visibility=visibility,
        place_name="Pantai Kuta",
        location=location,
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
        after = decode_time_cursor(
            encode_cursor(page.next_cursor)
        )  # as a client would send it back
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


# Distance search: "posts near a point", nearest first or newest first.

MONAS = GeoPoint(-6.1754, 106.8272)  # Jakarta; distances from here in km:
KOTA_TUA = GeoPoint(-6.1352, 106.8133)  # 4.7
SENAYAN = GeoPoint(-6.2183, 106.8022)  # 5.5
ANCOL = GeoPoint(-6.1223, 106.8332)  # 5.9
BEKASI = GeoPoint(-6.2383, 106.9756)  # 17.8
TANGERANG = GeoPoint(-6.1783, 106.6319)  # 21.6
DEPOK = GeoPoint(-6.4025, 106.7942)  # 25.5
BOGOR = GeoPoint(-6.5950, 106.8166)  # 46.7
ALUN_ALUN = GeoPoint(-6.9218, 107.6071)  # Bandung, 119.6 from Monas; from here in km:
GEDUNG_SATE = GeoPoint(-6.9025, 107.6188)  # 2.5
CIMAHI = GeoPoint(-6.8722, 107.5425)  # 9.0
LEMBANG = GeoPoint(-6.8117, 107.6175)  # 12.3
JAKARTA_AND_BANDUNG = [
    KOTA_TUA, SENAYAN, ANCOL, BEKASI, TANGERANG, DEPOK, BOGOR, GEDUNG_SATE, CIMAHI, LEMBANG
]  # fmt: skip


def east_west(sign: int, *points: tuple[float, float]) -> list[GeoPoint]:
    """Points mirrored across the prime meridian (``sign=-1``) or not."""
    return [GeoPoint(latitude, sign * longitude) for latitude, longitude in points]


def north_south(sign: int, *points: tuple[float, float]) -> list[GeoPoint]:
    """Points mirrored across the equator (``sign=-1``) or not."""
    return [GeoPoint(sign * latitude, longitude) for latitude, longitude in points]


# (center, radius_km, the points within it nearest first, points outside it)
NEAR_CASES = {
    "jakarta-5km": (MONAS, 5, [KOTA_TUA], JAKARTA_AND_BANDUNG[1:]),
    "jakarta-10km": (MONAS, 10, [KOTA_TUA, SENAYAN, ANCOL], JAKARTA_AND_BANDUNG[3:]),
    "jakarta-50km": (MONAS, 50, JAKARTA_AND_BANDUNG[:7], JAKARTA_AND_BANDUNG[7:]),
    "bandung-10km": (ALUN_ALUN, 10, [GEDUNG_SATE, CIMAHI], [*JAKARTA_AND_BANDUNG[:7], LEMBANG]),
    **{
        f"antimeridian-{side}": (  # 7.8, 14.5, 18.9 km in; 35.6, 36.7 out
            GeoPoint(0, sign * 179.93),
            25,
            east_west(sign, (0, 180), (0, 179.8), (0, -179.9)),
            east_west(sign, (0, -179.75), (0, 179.6), (0, 0)),
        )
        for side, sign in (("east", 1), ("west", -1))
    },
    "antimeridian-22km-in": (GeoPoint(0, 179.9), 25, [GeoPoint(0, -179.9)], []),
    "antimeridian-22km-out": (GeoPoint(0, 179.9), 20, [], [GeoPoint(0, -179.9)]),
    **{
        f"{pole}-pole": (  # the cap holds the pole: 15.7, 16.7, 20.5, 22.2 km in; 33.4 out
            GeoPoint(sign * 89.9, 0),
            30,
            north_south(sign, (89.9, 90), (89.95, 180), (89.9, -135), (89.7, 0)),
            north_south(sign, (89.6, 0), (89.8, 180), (0, 0)),
        )
        for pole, sign in (("north", 1), ("south", -1))
    },
    "near-the-pole": (  # the box is ±64° of longitude wide there, not ±51.6° (δ / cos φ)
        GeoPoint(89.5, 0),
        50,
        [GeoPoint(89.78, -58), GeoPoint(89.79, 60)],  # 47.4, 48.4 km
        [GeoPoint(89.5, 70), GeoPoint(89.9, 180)],  # 63.8, 66.7 km
    ),
}


async def near(index: SearchIndex, center: GeoPoint, radius_km: float) -> list[UUID]:
    page = await index.posts_near(center, radius_km, PageRequest(limit=100))
    assert page.next_cursor is None
    return list(page.items)


async def near_recent(index: SearchIndex, center: GeoPoint, radius_km: float) -> list[UUID]:
    page = await index.posts_near_recent(center, radius_km, PageRequest(limit=100))
    assert page.next_cursor is None
    return list(page.items)


def placed(*locations: GeoPoint) -> list[PostDocument]:
    """One post per location, created in an order unrelated to their distances."""
    count = len(locations)
    return [
        post("place", location=location, at=BASE + timedelta(seconds=(7 * i) % (count + 1)))
        for i, location in enumerate(locations)
    ]


@pytest.mark.parametrize("case", NEAR_CASES.values(), ids=NEAR_CASES.keys())
async def test_posts_near_finds_exactly_the_posts_within_the_radius(
    search: SearchIndex,
    case: tuple[GeoPoint, float, list[GeoPoint], list[GeoPoint]],
) -> None:
    center, radius_km, inside, outside = case
    within = placed(*inside)
    await put(search, *within, *placed(*outside))

    assert await near(search, center, radius_km) == [d.post_id for d in within]
    assert await near_recent(search, center, radius_km) == newest_first(*within)


async def test_posts_near_puts_the_nearest_first_with_ties_broken_by_id(
    search: SearchIndex,
) -> None:
    here = post("place", location=MONAS)
    kota_tua = [post("place", location=KOTA_TUA) for _ in range(3)]
    senayan = [post("place", location=SENAYAN, at=BASE - timedelta(hours=1)) for _ in range(2)]
    ancol = post("place", location=ANCOL, at=BASE + timedelta(hours=1))
    await put(search, ancol, *senayan, here, *kota_tua)

    expected = [here.post_id]
    expected += sorted(d.post_id for d in kota_tua)
    expected += sorted(d.post_id for d in senayan)
    expected += [ancol.post_id]
    assert await near(search, MONAS, 10) == expected


async def test_a_distance_cursor_ranks_by_the_last_items_distance_in_metres(
    search: SearchIndex,
) -> None:
    first, second = post("place", location=KOTA_TUA), post("place", location=SENAYAN)
    await put(search, first, second, post("place", location=ANCOL))

    page = await search.posts_near(MONAS, 10, PageRequest(limit=2))

    assert page.items == [first.post_id, second.post_id]
    assert isinstance(page.next_cursor, RankCursor)
    assert page.next_cursor.id == second.post_id
    assert page.next_cursor.rank == pytest.approx(distance_m(MONAS, SENAYAN), rel=0.005)
    assert distance_m(GeoPoint(0, 179.9), GeoPoint(0, -179.9)) == pytest.approx(22_239, abs=1)


def six_around_monas() -> list[PostDocument]:
    """Three places, two posts each, pairs sharing a timestamp: page boundaries (limit 2) fall
    inside distance ties and time ties alike."""
    return [
        post("place", location=location, at=BASE + timedelta(microseconds=i // 2))
        for i, location in enumerate([KOTA_TUA, ANCOL, SENAYAN, KOTA_TUA, SENAYAN, ANCOL])
    ]


@pytest.mark.parametrize("nearer_between_pages", [False, True])
async def test_walking_near_pages_by_distance_yields_every_id_once(
    search: SearchIndex, nearer_between_pages: bool
) -> None:
    documents = six_around_monas()
    await put(search, *documents, post("place", location=BOGOR))

    seen: list[UUID] = []
    pages = 0
    after: RankCursor | None = None
    while True:
        page = await search.posts_near(MONAS, 10, PageRequest(limit=2, after=after))
        seen += page.items
        pages += 1
        if page.next_cursor is None:
            break
        assert isinstance(page.next_cursor, RankCursor)
        after = decode_rank_cursor(
            encode_cursor(page.next_cursor)
        )  # as a client would send it back
        if nearer_between_pages:  # before the cursor: never seen
            await put(search, post("place", location=MONAS))

    nearest_first = [KOTA_TUA, SENAYAN, ANCOL]
    rank = {d.post_id: nearest_first.index(d.location or MONAS) for d in documents}
    assert pages == 3
    assert seen == sorted(rank, key=lambda post_id: (rank[post_id], post_id))


def spiral_around(center: GeoPoint, count: int) -> list[GeoPoint]:
    """Points from 100 m to about 21 km away, densest near the center, on a turning spiral:
    nearest-first pages have to cross every ring an adapter may search in."""
    points = []
    for i in range(count):
        distance_deg = 0.0009 * 1.12**i
        angle = i * 2.4
        points.append(
            GeoPoint(
                center.latitude + distance_deg * math.sin(angle),
                center.longitude + distance_deg * math.cos(angle),
            )
        )
    return points


@pytest.mark.parametrize("limit", [1, 3, 7])
async def test_nearest_first_pages_cross_any_radius_in_exact_distance_order(
    search: SearchIndex, limit: int
) -> None:
    documents = placed(*spiral_around(MONAS, 48))
    await put(search, *documents)
    radius_km = 20
    within = [d for d in documents if d.location and distance_m(MONAS, d.location) <= 20_000]
    expected = sorted(within, key=lambda d: (distance_m(MONAS, d.location or MONAS), d.post_id))

    seen: list[UUID] = []
    after: RankCursor | None = None
    while True:
        page = await search.posts_near(MONAS, radius_km, PageRequest(limit=limit, after=after))
        assert len(page.items) == limit or page.next_cursor is None
        seen += page.items
        if page.next_cursor is None:
            break
        assert isinstance(page.next_cursor, RankCursor)
        after = decode_rank_cursor(encode_cursor(page.next_cursor))

    assert 30 < len(expected) < len(documents)
    assert seen == [d.post_id for d in expected]


@pytest.mark.parametrize("newer_between_pages", [False, True])
async def test_walking_near_pages_by_time_yields_every_id_once(
    search: SearchIndex, newer_between_pages: bool
) -> None:
    documents = six_around_monas()
    await put(search, *documents, post("place", location=BOGOR))

    seen: list[UUID] = []
    pages = 0
    after: Cursor | None = None
    while True:
        page = await search.posts_near_recent(MONAS, 10, PageRequest(limit=2, after=after))
        seen += page.items
        pages += 1
        if page.next_cursor is None:
            break
        assert isinstance(page.next_cursor, Cursor)
        after = decode_time_cursor(encode_cursor(page.next_cursor))
        if newer_between_pages:  # before the cursor: never seen
            await put(search, post("place", location=MONAS, at=BASE + timedelta(hours=pages)))

    assert pages == 3
    assert seen == newest_first(*documents)


async def test_posts_near_never_returns_non_public_or_unlocated_posts(
    search: SearchIndex,
) -> None:
    public = post("place", location=KOTA_TUA)
    hidden_later = post("place", location=KOTA_TUA, at=BASE + timedelta(seconds=1))
    moved_away = post("place", location=SENAYAN, at=BASE + timedelta(seconds=2))
    moved_here = post("place", location=LEMBANG, at=BASE - timedelta(seconds=1))  # 112 km off
    await put(
        search,
        public,
        hidden_later,
        moved_away,
        moved_here,
        post("place", location=KOTA_TUA, visibility=Visibility.FOLLOWERS),
        post("place", location=KOTA_TUA, visibility=Visibility.HIDDEN),
        post("place", location=None, at=BASE + timedelta(seconds=3)),
    )
    await put(  # moderation hides one; two authors edit their post's place
        search,
        post(
            "place", location=KOTA_TUA, visibility=Visibility.HIDDEN, post_id=hidden_later.post_id
        ),
        post("place", location=None, at=moved_away.created_at, post_id=moved_away.post_id),
        post("place", location=ANCOL, at=moved_here.created_at, post_id=moved_here.post_id),
    )

    assert await near(search, MONAS, 50) == [public.post_id, moved_here.post_id]
    assert await near_recent(search, MONAS, 50) == [public.post_id, moved_here.post_id]


async def test_a_deleted_post_is_no_longer_near(search: SearchIndex) -> None:
    gone, kept = post("place", location=KOTA_TUA), post("place", location=SENAYAN)
    await put(search, gone, kept)

    await search.delete(gone.post_id)
    await search.refresh()

    assert await near(search, MONAS, 10) == [kept.post_id]
    assert await near_recent(search, MONAS, 10) == [kept.post_id]


@pytest.mark.parametrize("radius_km", [0, -1, 50.001, 1000, math.nan, math.inf, -math.inf])
async def test_a_radius_outside_0_to_50_km_is_invalid(
    search: SearchIndex, radius_km: float
) -> None:
    await put(search, post("place", location=KOTA_TUA))

    with pytest.raises(Invalid) as ranked:
        await search.posts_near(MONAS, radius_km, PageRequest())
    with pytest.raises(Invalid) as recent:
        await search.posts_near_recent(MONAS, radius_km, PageRequest())

    assert [e.field for e in ranked.value.errors + recent.value.errors] == ["radius_km"] * 2


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
            await index.posts_near(MONAS, 10, PageRequest())
        with pytest.raises(Unavailable):
            await index.posts_near_recent(MONAS, 10, PageRequest())
        with pytest.raises(Unavailable):
            await OpenSearchCheck(index).check()
    finally:
        await index.close()

    assert raised.value.dependency == "search"
