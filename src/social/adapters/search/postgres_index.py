"""The search index in PostgreSQL: the embedded mode's stand-in for OpenSearch (core SQL only)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Double,
    Subquery,
    delete,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.postgres.tables import SearchPostDocumentRow
from social.domain.search.model import (
    EARTH_RADIUS_M,
    GeoPoint,
    PostDocument,
    Visibility,
    check_radius_km,
    normalize_tag,
    normalize_tags,
)
from social.domain.shared.errors import Unavailable
from social.domain.shared.pagination import (
    Page,
    PageRequest,
    RankCursor,
    RankedPageRequest,
    keyset_page,
)

__all__ = ["PostgresSearchCheck", "PostgresSearchIndex"]

_TABLE = SearchPostDocumentRow.__tablename__
_Row = SearchPostDocumentRow
_BOX_MARGIN_DEG = 1e-6
"""About 11 cm: rounding must never let the bounding box cut off what the exact filter keeps."""
_HALF = literal(0.5, Double)  # exact in binary: the same value as the domain's ``/ 2``


class PostgresSearchIndex:
    """Documents live in ``search_post_documents`` (created by the migrations, never here).

    Writes are visible as soon as they commit, so ``refresh`` has nothing to do.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def ensure_index(self) -> None:
        """Fail fast at start-up when the migrations have not created the table."""
        async with self._sessions() as session:
            found = await session.scalar(text("SELECT to_regclass(:name)"), {"name": _TABLE})
        if found is None:
            raise Unavailable(
                f"table {_TABLE} is missing: run `social migrate`", dependency="search"
            )

    async def upsert(self, document: PostDocument) -> None:
        values = _values(document)
        statement = insert(_Row).values(id=document.post_id, **values)
        statement = statement.on_conflict_do_update(
            index_elements=[_Row.id], set_={name: statement.excluded[name] for name in values}
        )
        async with self._sessions.begin() as session:
            await session.execute(statement)

    async def delete(self, post_id: UUID) -> None:
        async with self._sessions.begin() as session:
            await session.execute(delete(_Row).where(_Row.id == post_id))

    async def posts_by_tag(self, tag: str, page: PageRequest) -> Page[UUID]:
        """Keyset over ``(created_at, id)`` descending; one extra row says a next page exists."""
        wanted = normalize_tag(tag)
        if not wanted:
            return Page(items=[], next_cursor=None)
        query = (
            select(_Row.id, _Row.created_at)
            .where(_Row.tags.contains([wanted]), _Row.visibility == Visibility.PUBLIC.value)
            .order_by(_Row.created_at.desc(), _Row.id.desc())
            .limit(page.limit + 1)
        )
        if page.after is not None:
            query = query.where(
                tuple_(_Row.created_at, _Row.id) < tuple_(page.after.at, page.after.id)
            )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return keyset_page(list(rows), page.limit)

    async def posts_near(
        self, center: GeoPoint, radius_km: float, page: RankedPageRequest
    ) -> Page[UUID]:
        """Keyset over ``(distance, id)`` ascending, the distance computed in SQL each time (the
        same inputs give the same float8, so a cursor's rank matches its row exactly)."""
        near = _near(center, radius_km)
        query = (
            select(near.c.id, near.c.distance)
            .where(near.c.distance <= radius_km * 1000)
            .order_by(near.c.distance, near.c.id)
            .limit(page.limit + 1)
        )
        if page.after is not None:
            query = query.where(
                tuple_(near.c.distance, near.c.id)
                > tuple_(literal(page.after.rank, Double), literal(page.after.id))
            )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        items = rows[: page.limit]
        more = len(rows) > page.limit
        next_cursor = RankCursor(rank=items[-1][1], id=items[-1][0]) if more else None
        return Page(items=[post_id for post_id, _ in items], next_cursor=next_cursor)

    async def posts_near_recent(
        self, center: GeoPoint, radius_km: float, page: PageRequest
    ) -> Page[UUID]:
        """The same set as ``posts_near``, keyset over ``(created_at, id)`` descending."""
        near = _near(center, radius_km)
        query = (
            select(near.c.id, near.c.created_at)
            .where(near.c.distance <= radius_km * 1000)
            .order_by(near.c.created_at.desc(), near.c.id.desc())
            .limit(page.limit + 1)
        )
        if page.after is not None:
            query = query.where(
                tuple_(near.c.created_at, near.c.id) < tuple_(page.after.at, page.after.id)
            )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return keyset_page(list(rows), page.limit)

    async def refresh(self) -> None:
        """Nothing to do: a committed row is immediately visible."""


class PostgresSearchCheck:
    """Readiness probe for the embedded search: the table must exist and answer."""

    name = "search"

    def __init__(self, index: PostgresSearchIndex) -> None:
        self._index = index

    async def check(self) -> None:
        await self._index.ensure_index()


def _values(document: PostDocument) -> dict[str, object]:
    location = document.location
    return {
        "author_id": document.author_id,
        "caption": document.caption,
        "tags": normalize_tags(document.tags),
        "created_at": document.created_at,
        "visibility": document.visibility.value,
        "place_name": document.place_name,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
    }


@dataclass(frozen=True, slots=True)
class _Box:
    """Latitude and longitude ranges holding every point of a spherical cap."""

    latitudes: tuple[float, float]
    longitudes: tuple[tuple[float, float], ...]


def _bounding_box(center: GeoPoint, radius_m: float) -> _Box:
    """A cap reaching a pole spans every longitude; one crossing the antimeridian splits in two.

    Otherwise its widest longitude offset is ``asin(sin δ / cos φ)`` (at the tangent points, not
    at the center's latitude), δ being the angular radius and φ the center's latitude.
    """
    delta = math.degrees(radius_m / EARTH_RADIUS_M) + _BOX_MARGIN_DEG
    south, north = center.latitude - delta, center.latitude + delta
    if south <= -90.0 or north >= 90.0:
        return _Box((max(south, -90.0), min(north, 90.0)), ((-180.0, 180.0),))
    ratio = math.sin(math.radians(delta)) / math.cos(math.radians(center.latitude))
    offset = math.degrees(math.asin(min(1.0, ratio))) + _BOX_MARGIN_DEG
    west, east = center.longitude - offset, center.longitude + offset
    if west < -180.0:
        return _Box((south, north), ((west + 360.0, 180.0), (-180.0, east)))
    if east > 180.0:
        return _Box((south, north), ((west, 180.0), (-180.0, east - 360.0)))
    return _Box((south, north), ((west, east),))


def _near(center: GeoPoint, radius_km: float) -> Subquery:
    """Public located rows in the bounding box (the partial index on ``(latitude, longitude)``),
    each with its exact distance in metres; callers keep those within the radius."""
    check_radius_km(radius_km)
    box = _bounding_box(center, radius_km * 1000)
    public = literal(Visibility.PUBLIC.value, literal_execute=True)  # inline: matches the index
    return (
        select(_Row.id, _Row.created_at, _distance_m(center).label("distance"))
        .where(
            _Row.visibility == public,
            _Row.latitude.between(*box.latitudes),
            or_(*(_Row.longitude.between(west, east) for west, east in box.longitudes)),
        )
        .subquery("near")
    )


def _distance_m(center: GeoPoint) -> ColumnElement[float]:
    """The domain's haversine (``distance_m``) from ``center`` to the row, in SQL."""
    latitude = func.radians(_Row.latitude, type_=Double)
    half_dlat = func.radians(_Row.latitude - _param(center.latitude), type_=Double) * _HALF
    half_dlon = func.radians(_Row.longitude - _param(center.longitude), type_=Double) * _HALF
    h = _squared_sin(half_dlat) + _param(math.cos(math.radians(center.latitude))) * func.cos(
        latitude, type_=Double
    ) * _squared_sin(half_dlon)
    root = func.least(_param(1.0), func.sqrt(h, type_=Double), type_=Double)
    return _param(2 * EARTH_RADIUS_M) * func.asin(root, type_=Double)


def _squared_sin(angle: ColumnElement[float]) -> ColumnElement[float]:
    return func.power(func.sin(angle, type_=Double), _param(2.0), type_=Double)


def _param(value: float) -> ColumnElement[float]:
    return literal(value, Double)
