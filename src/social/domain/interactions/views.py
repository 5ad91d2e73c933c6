"""Comments as a viewer sees them, with their authors' cards."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.reads.model import AccountCard, Comment

__all__ = ["CommentView"]


@dataclass(frozen=True, slots=True)
class CommentView:
    comment: Comment
    author: AccountCard
