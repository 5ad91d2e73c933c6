"""Posts and comments: their input limits, and the windows explore and trending rank over."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.interactions.model import CommentLimits
from social.domain.posts.model import PostLimits

__all__ = ["PostSettings"]


@dataclass(frozen=True, slots=True)
class PostSettings:
    """What a post or comment may hold, and which recent posts discovery looks at."""

    caption_max_length: int = 2200
    post_max_tags: int = 30
    post_max_media: int = 10
    comment_max_length: int = 1000
    explore_window_s: int = 7 * 24 * 3600
    """Explore ranks the posts of this recent window."""
    trending_window_s: int = 24 * 3600
    """Trending tags count the posts of this recent window."""

    def limits(self) -> PostLimits:
        """The posts context's limits as configured."""
        return PostLimits(
            caption_max=self.caption_max_length,
            tags_max=self.post_max_tags,
            media_max=self.post_max_media,
        )

    def comment_limits(self) -> CommentLimits:
        """The interactions context's comment limits as configured."""
        return CommentLimits(text_max=self.comment_max_length)
