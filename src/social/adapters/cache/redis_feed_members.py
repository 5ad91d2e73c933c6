"""Feed entries as the Redis feed store keeps them: a member string and a score.

A member is ``{id}|{kind}|{post_id}|{actor_id}|{post_author_id}`` (UUIDs as 32 hex digits), its
score ``created_at`` in integer epoch microseconds (exact in a double until the year 2255).
Members start with the id, so on equal scores Redis orders them by id: ``(score, member)``
order is the feed's ``(created_at, id)`` order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from social.adapters.uuids import uuid_from_hex
from social.domain.feed.model import FeedEntry, FeedItemKind

__all__ = ["as_text", "entry_from", "member_of", "score_of", "score_pairs"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_MAX_EXACT_SCORE = 2**53


def score_of(at: datetime) -> int:
    """A time as a score: integer epoch microseconds."""
    if at.tzinfo is None:
        raise ValueError("feed times must be timezone-aware")
    micros = (at - _EPOCH) // _MICROSECOND
    if abs(micros) >= _MAX_EXACT_SCORE:
        raise ValueError("feed times must fit a double exactly (before the year 2255)")
    return micros


def member_of(entry: FeedEntry) -> str:
    return (
        f"{entry.id.hex}|{entry.kind.value}|{entry.post_id.hex}|"
        f"{entry.actor_id.hex}|{entry.post_author_id.hex}"
    )


_KINDS = {kind.value: kind for kind in FeedItemKind}
_ENTRIES: dict[bytes, FeedEntry] = {}
"""Entries parsed before, by member: a member names one entry for good (its score is the
entry's own time), and a busy process reads the same entries in many feeds (bounded;
cleared when full)."""


def entry_from(member: bytes, score: bytes) -> FeedEntry:
    found = _ENTRIES.get(member)
    if found is None:
        id_, kind, post_id, actor_id, post_author_id = member.decode().split("|")
        found = FeedEntry(
            id=uuid_from_hex(id_),
            kind=_KINDS[kind],
            post_id=uuid_from_hex(post_id),
            actor_id=uuid_from_hex(actor_id),
            post_author_id=uuid_from_hex(post_author_id),
            created_at=_EPOCH + timedelta(microseconds=int(float(score))),
        )
        if len(_ENTRIES) >= 200_000:
            _ENTRIES.clear()
        _ENTRIES[member] = found
    return found


def score_pairs(flat: list[bytes]) -> list[tuple[bytes, bytes]]:
    """``member, score, member, score…`` (a script's ``WITHSCORES`` reply) as pairs."""
    return list(zip(flat[::2], flat[1::2], strict=True))


def as_text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
