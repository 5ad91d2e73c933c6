"""Tables of the PostgreSQL search index beyond posts: people search and tag counts."""

from __future__ import annotations

from advanced_alchemy.base import DefaultBase, UUIDv7Base
from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["SearchTagCountRow", "SearchUserDocumentRow"]


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
