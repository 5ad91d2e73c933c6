"""A clock tests can move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["MutableClock"]


class MutableClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 1, 1, 12, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)
