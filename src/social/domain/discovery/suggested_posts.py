"""Suggested posts (DISC-2, "for you"): recent public posts from outside the viewer's home feed,
ranked by engagement boosted by the viewer's affinity to their tags and authors.

How a post scores (the listing computes it in one statement; the fake mirrors
``suggestion_score``): its engagement as explore counts it (a like 1, a comment 2, a share 3)
plus one, so a post nobody reacted to yet can still rank by affinity, times an affinity factor
of 1 + the post's tags the viewer uses (at most ``TAGS_COUNTED``) + ``AUTHOR_BOOST`` when the
viewer liked or commented on a post of its author. The viewer's tags are those of their latest
``OWN_POSTS_READ`` posts and of the posts among their latest ``LIKES_READ`` likes; their authors
those of the posts among their latest ``LIKES_READ`` likes and ``COMMENTS_READ`` comments: a
bounded look at recent taste, so the page costs the same for a viewer with years of history.

Which posts are scored (candidate generation, then ranking): not every post of the window, only
the window's ``HOT_POOL_SIZE`` most engaging posts of public, active accounts (the same for
every viewer), its ``TAGGED_READ`` newest posts carrying one of the viewer's tags, and the
``AUTHOR_POSTS_READ`` newest of each of the viewer's authors (both by authors not passed
over). A post outside all three has affinity 1 unless a bound cut it off, and no more
engagement than the pool's last post, so the top of the ranking is exact; the listing's
adapter says where that ends and what is lost below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.domain.graph.model import Ties
from social.domain.reads.cards import Reads, cards, visible_posts
from social.domain.reads.model import Overlay, PostCard, PostState
from social.domain.shared.clock import Clock
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Page, PageRequest, RankCursor

__all__ = [
    "AUTHOR_BOOST",
    "AUTHOR_POSTS_READ",
    "COMMENTS_READ",
    "HOT_POOL_SIZE",
    "LIKES_READ",
    "OWN_POSTS_READ",
    "TAGGED_READ",
    "TAGS_COUNTED",
    "CandidateBounds",
    "SuggestedPosts",
    "suggestion_score",
]

OWN_POSTS_READ = 50
"""The viewer's latest posts whose tags count as theirs."""
LIKES_READ = 200
"""The viewer's latest likes whose posts' tags and authors count as theirs."""
COMMENTS_READ = 200
"""The viewer's latest comments whose posts' authors count as theirs."""
TAGS_COUNTED = 3
"""Shared tags beyond this many add nothing: a post stuffed with tags gains no more."""
AUTHOR_BOOST = 2
"""An author the viewer engaged with weighs as two shared tags."""
HOT_POOL_SIZE = 1_000
"""The window's most engaging posts scored for every viewer: the ranking is exact above the
last one's engagement (see the listing's adapter)."""
TAGGED_READ = 500
"""The window's newest posts carrying one of the viewer's tags that are scored."""
AUTHOR_POSTS_READ = 10
"""The window's newest posts of each of the viewer's authors that are scored."""


@dataclass(frozen=True, slots=True)
class CandidateBounds:
    """How many posts of each kind the listing scores for a viewer (the constants above; a
    test may make them small)."""

    hot_pool: int = HOT_POOL_SIZE
    tagged: int = TAGGED_READ
    per_author: int = AUTHOR_POSTS_READ


_NO_TIES = Ties()


def suggestion_score(engagement: int, shared_tags: int, liked_author: bool) -> int:
    """A post's rank among the viewer's suggestions (higher first, ties by id)."""
    affinity = 1 + min(shared_tags, TAGS_COUNTED) + (AUTHOR_BOOST if liked_author else 0)
    return (engagement + 1) * affinity


class SuggestedPosts:
    """Rules: the listing's posts (recent public posts of public, active accounts the viewer
    neither is nor follows, not shared by a followee, not liked or shared by the viewer, no
    block or mute either way), then, on the fresh overlay, only those the viewer may see
    (``can_see_content``) whose author the viewer does not mute or follow and that they have
    not liked or shared meanwhile. Like explore, ranks move between page loads (a post liked
    meanwhile may climb above the cursor and not show); the cursor never repeats a post."""

    def __init__(self, *, reads: Reads, clock: Clock, window: timedelta) -> None:
        self._reads = reads
        self._clock = clock
        self._window = window

    async def execute(
        self, viewer: Viewer, page: PageRequest[RankCursor]
    ) -> Page[PostCard, RankCursor]:
        since = self._clock.now() - self._window
        ids = await self._reads.listings.suggested_posts(viewer.user_id, since, page)
        if not ids.items:
            return Page(items=[], next_cursor=ids.next_cursor)
        overlay = await self._reads.overlay.overlay(viewer.user_id, ids.items)
        posts = [
            post
            for post in visible_posts(viewer, overlay, ids.items)
            if _still_new(viewer, overlay, post)
        ]
        shown = await cards(self._reads.views, viewer, overlay, posts)
        return Page(items=shown.posts, next_cursor=ids.next_cursor)


def _still_new(viewer: Viewer, overlay: Overlay, post: PostState) -> bool:
    """Not the viewer's, not in their home feed by its author, not already liked or shared."""
    if post.author_id == viewer.user_id:
        return False
    ties = overlay.ties.get(post.author_id, _NO_TIES)
    if ties.muting or ties.following:
        return False
    flags = overlay.flags.get(post.id)
    return flags is None or not (flags.liked or flags.shared)
