"""Datetimes as Mastodon sends them: RFC 3339 in UTC with milliseconds and ``Z``
(``2026-12-03T18:42:02.123Z``); clients that cannot parse a value read it as missing."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["rfc3339", "rfc3339_json"]


def rfc3339(at: datetime) -> str:
    utc = at.astimezone(UTC) if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (  # noqa: UP031 (the fastest spelling)
        utc.year,
        utc.month,
        utc.day,
        utc.hour,
        utc.minute,
        utc.second,
        utc.microsecond // 1000,
    )


def rfc3339_json(at: datetime | None) -> bytes:
    """The value as a JSON string (``null`` for ``None``)."""
    return b'"%s"' % rfc3339(at).encode() if at is not None else b"null"
