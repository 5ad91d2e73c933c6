"""The transactional outbox of jobs (see ``outbox.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["OutboxJobRow"]


class OutboxJobRow(UUIDv7Base):
    """A job written in the same transaction as the change that needs it; dispatched to the
    queue right after the commit, or by the relay if that dispatch did not happen."""

    __tablename__ = "outbox_jobs"
    __table_args__ = (Index("ix_outbox_jobs_created_at", "created_at"),)

    job: Mapped[str] = mapped_column(String(100))
    arguments: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
