"""The search index in OpenSearch: production's engine for tags and places now, full text next.

The mappings are laid out for the later slices already (caption analyzers that fold accents and
stem English and Indonesian, the place name, a ``geo_point``), so adding those queries needs no
reindex. ``created_at`` is ``date_nanos``: a plain ``date`` keeps milliseconds only and would order
posts a few microseconds apart differently from PostgreSQL and break ties on the wrong key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from opensearchpy import AsyncOpenSearch, NotFoundError, RequestError, TransportError
from opensearchpy import ConnectionError as SearchConnectionError

from social.domain.search.model import (
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

__all__ = ["INDEX_BODY", "OpenSearchCheck", "OpenSearchIndex"]

_DEPENDENCY = "search"
_UNAVAILABLE_STATUSES = frozenset({429, 502, 503, 504})
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_PUBLIC = {"term": {"visibility": Visibility.PUBLIC.value}}
_NEWEST_FIRST = [{"created_at": {"order": "desc"}}, {"post_id": {"order": "desc"}}]


def _analyzer(*filters: str) -> dict[str, Any]:
    return {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding", *filters],
    }


INDEX_BODY: dict[str, Any] = {
    "settings": {
        "number_of_shards": 1,
        "auto_expand_replicas": "0-1",  # green on one node, one replica once there are two
        "analysis": {
            "filter": {
                "english_possessive": {"type": "stemmer", "language": "possessive_english"},
                "english_stop": {"type": "stop", "stopwords": "_english_"},
                "english_stemmer": {"type": "stemmer", "language": "english"},
                "indonesian_stop": {"type": "stop", "stopwords": "_indonesian_"},
                "indonesian_stemmer": {"type": "stemmer", "language": "indonesian"},
            },
            "analyzer": {
                "folded": _analyzer(),
                "folded_english": _analyzer(
                    "english_possessive", "english_stop", "english_stemmer"
                ),
                "folded_indonesian": _analyzer("indonesian_stop", "indonesian_stemmer"),
            },
        },
    },
    "mappings": {
        "_meta": {"schema_version": 1},
        "dynamic": "strict",
        "properties": {
            "post_id": {"type": "keyword"},
            "author_id": {"type": "keyword"},
            "caption": {
                "type": "text",
                "analyzer": "folded",
                "fields": {
                    "en": {"type": "text", "analyzer": "folded_english"},
                    "id": {"type": "text", "analyzer": "folded_indonesian"},
                },
            },
            "tags": {"type": "keyword"},
            "created_at": {"type": "date_nanos"},
            "visibility": {"type": "keyword"},
            "place_name": {
                "type": "text",
                "analyzer": "folded",
                "fields": {"keyword": {"type": "keyword", "ignore_above": 256}},
            },
            "location": {"type": "geo_point"},
        },
    },
}


class OpenSearchIndex:
    """Posts as documents whose ``_id`` is the post id, so an upsert is a plain index call."""

    def __init__(self, url: str, *, index_name: str, timeout_s: float = 10.0) -> None:
        self._index = index_name
        self._client = AsyncOpenSearch(hosts=[url], timeout=timeout_s, max_retries=2)

    @property
    def client(self) -> AsyncOpenSearch:
        """The shared client, for the readiness check and administration (reindex, tests)."""
        return self._client

    async def close(self) -> None:
        await self._client.close()

    async def ensure_index(self) -> None:
        """Create the index if missing; losing the race to another starting process is fine."""
        with _translate_errors():
            if await self._client.indices.exists(index=self._index):
                return
            try:
                await self._client.indices.create(index=self._index, body=INDEX_BODY)
            except RequestError as exc:
                if exc.error != "resource_already_exists_exception":
                    raise

    async def upsert(self, document: PostDocument) -> None:
        with _translate_errors():
            await self._client.index(
                index=self._index, id=str(document.post_id), body=_source(document)
            )

    async def delete(self, post_id: UUID) -> None:
        with _translate_errors(), suppress(NotFoundError):  # already gone: nothing to do
            await self._client.delete(index=self._index, id=str(post_id))

    async def posts_by_tag(self, tag: str, page: PageRequest) -> Page[UUID]:
        """Filters only (no scoring); sort values carry the keyset, ``search_after`` resumes it."""
        wanted = normalize_tag(tag)
        if not wanted:
            return Page(items=[], next_cursor=None)
        return await self._newest_first([{"term": {"tags": wanted}}, _PUBLIC], page)

    async def posts_near(
        self, center: GeoPoint, radius_km: float, page: RankedPageRequest
    ) -> Page[UUID]:
        """``geo_distance`` filter, sorted by the arc distance in metres then by id; the distance
        sort value is the cursor's rank, handed back verbatim to ``search_after``."""
        by_distance = {
            "_geo_distance": {
                "location": _lat_lon(center),
                "order": "asc",
                "unit": "m",
                "distance_type": "arc",
                "mode": "min",
            }
        }
        body = _filtered(_near(center, radius_km), page.limit)
        body["sort"] = [by_distance, {"post_id": {"order": "asc"}}]
        if page.after is not None:
            body["search_after"] = [page.after.rank, str(page.after.id)]
        hits = await self._search(body)
        rows = [(UUID(hit["sort"][1]), float(hit["sort"][0])) for hit in hits]
        items = rows[: page.limit]
        more = len(rows) > page.limit
        next_cursor = RankCursor(rank=items[-1][1], id=items[-1][0]) if more else None
        return Page(items=[post_id for post_id, _ in items], next_cursor=next_cursor)

    async def posts_near_recent(
        self, center: GeoPoint, radius_km: float, page: PageRequest
    ) -> Page[UUID]:
        return await self._newest_first(_near(center, radius_km), page)

    async def refresh(self) -> None:
        with _translate_errors():
            await self._client.indices.refresh(index=self._index)

    async def _newest_first(self, filters: list[dict[str, Any]], page: PageRequest) -> Page[UUID]:
        """Sort values carry the ``(created_at, id)`` keyset; ``search_after`` resumes it."""
        body = _filtered(filters, page.limit)
        body["sort"] = _NEWEST_FIRST
        if page.after is not None:
            body["search_after"] = [_to_nanos(page.after.at), str(page.after.id)]
        hits = await self._search(body)
        rows = [(UUID(hit["sort"][1]), _from_nanos(int(hit["sort"][0]))) for hit in hits]
        return keyset_page(rows, page.limit)

    async def _search(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        with _translate_errors():
            response = await self._client.search(index=self._index, body=body)
        hits: list[dict[str, Any]] = response["hits"]["hits"]
        return hits


class OpenSearchCheck:
    """Readiness probe: the cluster answers and is not red (yellow still serves every query)."""

    name = "search"

    def __init__(self, index: OpenSearchIndex) -> None:
        self._client = index.client

    async def check(self) -> None:
        with _translate_errors():
            health = await self._client.cluster.health()
        if health.get("status") == "red":
            raise Unavailable("the search cluster is red", dependency=_DEPENDENCY)


@contextmanager
def _translate_errors() -> Iterator[None]:
    """Unreachable or overloaded OpenSearch → ``Unavailable``; anything else is a bug to see."""
    try:
        yield
    except SearchConnectionError as exc:
        raise Unavailable("the search service is unreachable", dependency=_DEPENDENCY) from exc
    except TransportError as exc:
        if exc.status_code in _UNAVAILABLE_STATUSES:
            raise Unavailable(
                f"the search service answered {exc.status_code}", dependency=_DEPENDENCY
            ) from exc
        raise


def _source(document: PostDocument) -> dict[str, Any]:
    location = document.location
    return {
        "post_id": str(document.post_id),
        "author_id": str(document.author_id),
        "caption": document.caption,
        "tags": normalize_tags(document.tags),
        "created_at": document.created_at.astimezone(UTC).isoformat(),
        "visibility": document.visibility.value,
        "place_name": document.place_name,
        "location": {"lat": location.latitude, "lon": location.longitude} if location else None,
    }


def _filtered(filters: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    """Filters only (no scoring), one extra hit to say whether a next page exists."""
    return {
        "size": limit + 1,
        "_source": False,
        "track_total_hits": False,
        "query": {"bool": {"filter": filters}},
    }


def _near(center: GeoPoint, radius_km: float) -> list[dict[str, Any]]:
    """Public documents whose location is within the radius; one without a location never is."""
    check_radius_km(radius_km)
    within = {
        "geo_distance": {
            "distance": f"{radius_km * 1000!r}m",
            "distance_type": "arc",
            "location": _lat_lon(center),
        }
    }
    return [within, _PUBLIC]


def _lat_lon(point: GeoPoint) -> dict[str, float]:
    return {"lat": point.latitude, "lon": point.longitude}


def _to_nanos(at: datetime) -> int:
    """Exact integer arithmetic: a float timestamp would lose the microseconds."""
    return (at - _EPOCH) // _MICROSECOND * 1000


def _from_nanos(nanos: int) -> datetime:
    return _EPOCH + timedelta(microseconds=nanos // 1000)
