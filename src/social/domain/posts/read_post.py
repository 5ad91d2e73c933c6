"""Read one post (POST-5: hidden posts do not exist for the viewer)."""

from __future__ import annotations

from uuid import UUID

from social.domain.reads.cards import Reads, show_posts
from social.domain.reads.model import PostCard
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["GetPost", "show_post"]


async def show_post(reads: Reads, viewer: Viewer | None, post_id: UUID) -> PostCard:
    """The post as the viewer gets it; ``NotFound`` when it does not exist or is hidden."""
    found = await show_posts(reads, viewer, [post_id])
    if not found:
        raise NotFound("No such post.")
    return found[0]


class GetPost:
    """Rules: the visibility policy decides; a post the viewer may not see is not found."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(self, viewer: Viewer | None, post_id: UUID) -> PostCard:
        return await show_post(self._reads, viewer, post_id)
