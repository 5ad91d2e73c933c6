"""Tables of the PostgreSQL search index: post documents, people search and tag counts."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import DefaultBase, UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Double, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["SearchPostDocumentRow", "SearchTagCountRow", "SearchUserDocumentRow"]


class SearchPostDocumentRow(UUIDv7Base):
    """A post as the PostgreSQL search index sees it (the embedded stand-in for OpenSearch);
    ``id`` is the post's id. Tags are normalized, so ``tags @> ARRAY[tag]`` hits the GIN index;
    distance searches range over the partial ``(latitude, longitude)`` index of public places.
    ``search_vector`` is the folded caption in the ``simple``, ``english`` and ``indonesian``
    configurations at once and ``place_vector`` the folded place name (``simple``), both written
    with the row and searched through their GIN indexes."""

    __tablename__ = "search_post_documents"
    __table_args__ = (
        Index("ix_search_post_documents_tags", "tags", postgresql_using="gin"),
        Index("ix_search_post_documents_created_at_id", "created_at", "id"),
        Index(
            "ix_search_post_documents_location",
            "latitude",
            "longitude",
            postgresql_where=text("latitude IS NOT NULL AND visibility = 'public'"),
        ),
        Index("ix_search_post_documents_search_vector", "search_vector", postgresql_using="gin"),
        Index("ix_search_post_documents_place_vector", "place_vector", postgresql_using="gin"),
    )

    author_id: Mapped[UUID] = mapped_column()
    caption: Mapped[str] = mapped_column(Text, server_default="")
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    visibility: Mapped[str] = mapped_column(String(16))
    place_name: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Double)
    longitude: Mapped[float | None] = mapped_column(Double)
    search_vector: Mapped[str] = mapped_column(TSVECTOR, server_default=text("''::tsvector"))
    place_vector: Mapped[str] = mapped_column(TSVECTOR, server_default=text("''::tsvector"))


class SearchUserDocumentRow(UUIDv7Base):
    """An active account as people search sees it; ``id`` is the user's id.

    ``username LIKE 'prefix%'`` ranges over the ``text_pattern_ops`` index (byte order, whatever
    the database's collation); ``name_vector`` holds the folded display-name words (``'simple'``
    configuration), so ``name_vector @@ to_tsquery('simple', 'word:*')`` hits the GIN index.
    """

    __tablename__ = "search_user_documents"
    __table_args__ = (
        Index(
            "ix_search_user_documents_username_pattern",
            "username",
            postgresql_ops={"username": "text_pattern_ops"},
        ),
        Index("ix_search_user_documents_name_vector", "name_vector", postgresql_using="gin"),
    )

    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Text, server_default="")
    name_vector: Mapped[str] = mapped_column(TSVECTOR, server_default=text("''::tsvector"))


class SearchTagCountRow(DefaultBase):
    """How many PUBLIC post documents carry each tag, kept exact by every write of a document
    (in the same transaction); prefix lookups range over the ``text_pattern_ops`` index."""

    __tablename__ = "search_tag_counts"
    __table_args__ = (
        Index(
            "ix_search_tag_counts_tag_pattern", "tag", postgresql_ops={"tag": "text_pattern_ops"}
        ),
    )

    tag: Mapped[str] = mapped_column(Text, primary_key=True)
    posts_count: Mapped[int] = mapped_column(Integer, server_default="0")
