"""Every table, registered in one ``MetaData`` (for Alembic and the tests)."""

from __future__ import annotations

from social.adapters.postgres import (
    graph_tables,
    interaction_tables,
    media_tables,
    post_tables,
    tables,
)

__all__ = ["metadata"]

metadata = tables.metadata
assert graph_tables.FollowRow.metadata is metadata
assert media_tables.MediaRow.metadata is metadata
assert post_tables.PostRow.metadata is metadata
assert interaction_tables.LikeRow.metadata is metadata
