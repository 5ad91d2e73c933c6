"""Interactions with posts and their rules."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from social.domain.shared.errors import Invalid

__all__ = ["CommentLimits", "Share", "clean_comment_text"]


@dataclass(frozen=True, slots=True)
class CommentLimits:
    text_max: int = 1000


@dataclass(frozen=True, slots=True)
class Share:
    """A re-share of a post to the sharer's followers."""

    id: UUID
    post_id: UUID
    user_id: UUID
    created_at: datetime


def clean_comment_text(text: str, limits: CommentLimits) -> str:
    """NFC, trimmed, control characters dropped (newlines kept); 1 to ``text_max`` characters."""
    clean = unicodedata.normalize("NFC", text).replace("\r\n", "\n").strip()
    clean = "".join(ch for ch in clean if ch == "\n" or unicodedata.category(ch) != "Cc")
    if not clean:
        raise Invalid.field("text", "must not be empty")
    if len(clean) > limits.text_max:
        raise Invalid.field("text", f"must be at most {limits.text_max} characters")
    return clean
