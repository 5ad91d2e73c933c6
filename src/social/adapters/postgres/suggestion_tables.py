"""Tables of suggested accounts (DISC-1, migration 0021): the per-user store, its runs and
dismissals. Plain tables keyed by the pair (no surrogate id): the store is replaced whole per
user and read by the primary key's prefix."""

from __future__ import annotations

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Column, Double, ForeignKey, Index, Integer, String, Table, Text

__all__ = ["account_suggestion_runs", "account_suggestions", "suggestion_dismissals"]


def _user(name: str, *, primary_key: bool = True) -> Column[object]:
    return Column(
        name,
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=False,
    )


account_suggestions = Table(
    "account_suggestions",
    UUIDv7Base.metadata,
    _user("user_id"),
    _user("candidate_id"),
    Column("rank", Integer, nullable=False),
    Column("score", Double, nullable=False),
    Column("reason_kind", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("computed_at", DateTimeUTC(timezone=True), nullable=False),
    Index("ix_account_suggestions_candidate_id", "candidate_id"),
)
"""One user's ranked suggestions (``rank`` 1 first), replaced whole by each computation."""

account_suggestion_runs = Table(
    "account_suggestion_runs",
    UUIDv7Base.metadata,
    _user("user_id"),
    Column("computed_at", DateTimeUTC(timezone=True), nullable=False),
    Index("ix_account_suggestion_runs_computed_at", "computed_at"),
)
"""When each user's suggestions were last computed; no row: never (or forgotten while idle)."""

suggestion_dismissals = Table(
    "suggestion_dismissals",
    UUIDv7Base.metadata,
    _user("user_id"),
    _user("candidate_id"),
    Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    Index("ix_suggestion_dismissals_candidate_id", "candidate_id"),
)
"""Accounts a user dismissed: never suggested to them again."""
