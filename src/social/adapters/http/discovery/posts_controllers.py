"""Suggested posts (DISC-2): ``GET /suggestions/posts``, the signed-in user's "for you"."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency

from social.adapters.http.cards import post_page_response
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import MEMBER_PAGE, Paging
from social.adapters.http.posts.schemas import PostPageOut
from social.domain.discovery.suggested_posts import SuggestedPosts
from social.domain.shared.identity import Viewer

__all__ = ["SuggestedPostsController"]

Me = NamedDependency[Viewer]


class SuggestedPostsController(Controller):
    path = "/suggestions"
    tags = ["discovery"]

    @get(
        "/posts",
        operation_id="suggestedPosts",
        security=BEARER_SECURITY,
        summary="Posts for you: recent public posts from outside your home feed",
        description=(
            "Recent posts of public accounts ranked by engagement (likes, comments, shares), "
            "boosted by your tags (those of your posts and likes) and by authors whose posts "
            "you liked or commented on. Never your own posts, those of accounts you follow or "
            "that they shared, posts you liked or shared, or accounts blocked or muted either "
            "way. Walk it with `next_cursor`: a post never shows twice while you page."
        ),
        responses=problems(401, 422),
        dependencies=MEMBER_PAGE,
    )
    async def suggested_posts(
        self,
        suggested_posts: Injected[SuggestedPosts],
        viewer: Me,
        page: Paging,
    ) -> Response[PostPageOut]:
        found = await suggested_posts.execute(viewer, page.by_rank)
        return post_page_response(found)
