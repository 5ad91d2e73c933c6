"""Post queries for OpenSearch: request bodies and how their answers become pages and counts.

Every query is filters only (no scoring) over PUBLIC documents. Newest-first pages sort on
``(created_at, post_id)`` and resume with ``search_after``; tag counts are ``terms``
aggregations, exact on the index's single shard, ordered by count then by name.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from social.domain.search.model import (
    GeoPoint,
    PostDocument,
    TagCount,
    Visibility,
    check_radius_km,
)
from social.domain.shared.pagination import Cursor, Page, PageRequest, page_of
from social.domain.shared.tags import normalize_tags

__all__ = [
    "PUBLIC",
    "at_place",
    "filtered",
    "lat_lon",
    "matching",
    "near",
    "newest_first",
    "newest_first_page",
    "post_source",
    "tag_buckets",
    "tags_aggregation",
    "with_tag",
]

PUBLIC: dict[str, Any] = {"term": {"visibility": Visibility.PUBLIC.value}}
_NEWEST_FIRST = [{"created_at": {"order": "desc"}}, {"post_id": {"order": "desc"}}]
_CAPTION_FIELDS = ["caption", "caption.en", "caption.id"]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def post_source(document: PostDocument) -> dict[str, Any]:
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


def with_tag(tag: str) -> list[dict[str, Any]]:
    return [{"term": {"tags": tag}}, PUBLIC]


def matching(text: str) -> list[dict[str, Any]]:
    """Every word in one of the caption's analyses (folded; English stems; Indonesian stems):
    ``best_fields`` applies ``operator: and`` per field."""
    query = {"query": text, "fields": _CAPTION_FIELDS, "operator": "and"}
    return [{"multi_match": query}, PUBLIC]


def at_place(name: str) -> list[dict[str, Any]]:
    return [{"match": {"place_name": {"query": name, "operator": "and"}}}, PUBLIC]


def near(center: GeoPoint, radius_km: float) -> list[dict[str, Any]]:
    """Public documents whose location is within the radius; one without a location never is."""
    check_radius_km(radius_km)
    within = {
        "geo_distance": {
            "distance": f"{radius_km * 1000!r}m",
            "distance_type": "arc",
            "location": lat_lon(center),
        }
    }
    return [within, PUBLIC]


def lat_lon(point: GeoPoint) -> dict[str, float]:
    return {"lat": point.latitude, "lon": point.longitude}


def filtered(filters: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    """Filters only (no scoring), one extra hit to say whether a next page exists."""
    return {
        "size": limit + 1,
        "_source": False,
        "track_total_hits": False,
        "query": {"bool": {"filter": filters}},
    }


def newest_first(filters: list[dict[str, Any]], page: PageRequest[Cursor]) -> dict[str, Any]:
    """Sort values carry the ``(created_at, id)`` keyset; ``search_after`` resumes it."""
    body = filtered(filters, page.limit)
    body["sort"] = _NEWEST_FIRST
    if page.after is not None:
        body["search_after"] = [_to_nanos(page.after.at), str(page.after.id)]
    return body


def newest_first_page(hits: list[dict[str, Any]], limit: int) -> Page[UUID, Cursor]:
    return page_of(hits, limit, _post_id, _time_cursor)


def _post_id(hit: dict[str, Any]) -> UUID:
    return UUID(hit["sort"][1])


def _time_cursor(hit: dict[str, Any]) -> Cursor:
    return Cursor(at=_from_nanos(int(hit["sort"][0])), id=UUID(hit["sort"][1]))


def tags_aggregation(
    limit: int, *, prefix: str | None = None, since: datetime | None = None
) -> dict[str, Any]:
    """The most used tags of the public documents (created after ``since``; starting with
    ``prefix``); ``include`` keeps a document's other tags out of the buckets."""
    filters: list[dict[str, Any]] = [PUBLIC]
    terms: dict[str, Any] = {
        "field": "tags",
        "size": limit,
        "order": [{"_count": "desc"}, {"_key": "asc"}],
    }
    if prefix is not None:
        filters.append({"prefix": {"tags": prefix}})
        terms["include"] = _regex_literal(prefix) + ".*"
    if since is not None:
        filters.append({"range": {"created_at": {"gt": since.astimezone(UTC).isoformat()}}})
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"bool": {"filter": filters}},
        "aggs": {"tags": {"terms": terms}},
    }


def tag_buckets(response: dict[str, Any]) -> list[TagCount]:
    buckets = response["aggregations"]["tags"]["buckets"]
    return [TagCount(name=b["key"], posts_count=int(b["doc_count"])) for b in buckets]


def _regex_literal(text: str) -> str:
    """Lucene regular-expression syntax: a backslash makes any character literal."""
    return "".join(ch if ch.isascii() and ch.isalnum() else "\\" + ch for ch in text)


def _to_nanos(at: datetime) -> int:
    """Exact integer arithmetic: a float timestamp would lose the microseconds."""
    return (at - _EPOCH) // _MICROSECOND * 1000


def _from_nanos(nanos: int) -> datetime:
    return _EPOCH + timedelta(microseconds=nanos // 1000)
