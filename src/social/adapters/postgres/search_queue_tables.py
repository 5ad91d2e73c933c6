"""The search outbox: what changed and must be (re)written to the search index."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["SearchChangeRow"]


class SearchChangeRow(UUIDv7Base):
    """One thing to bring up to date in the index. Writers only ever insert (never wait on a
    row a sync holds); the sync reads the current state, so several rows for one thing cost a
    little work twice, never a wrong document, and a change recorded while a sync runs is a row
    of its own that the next round takes."""

    __tablename__ = "search_changes"
    __table_args__ = (Index("ix_search_changes_created_at", "created_at"),)

    kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[UUID] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
