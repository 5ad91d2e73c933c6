"""/search, /tags/{tag} and /tags/trending."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import Parameter, QueryParameter

from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import (
    CursorParam,
    LimitParam,
    encode_cursor,
    key_page_request,
    page_request,
)
from social.adapters.http.posts.schemas import PostPageOut, post_page_out
from social.adapters.http.users.schemas import UserPageOut, users_out
from social.domain.accounts.model import Viewer
from social.domain.search.model import TagCount

__all__ = ["SearchController"]

UseCases = NamedDependency[Any]
Media = NamedDependency[MediaPresenter]
MaybeMe = NamedDependency[Viewer | None]
Query = Annotated[
    str, QueryParameter(min_length=1, max_length=200, description="What to look for.")
]
Kind = Annotated[
    Literal["posts", "users", "tags", "places"],
    QueryParameter(
        description="posts: caption text; users: username or name prefix; tags: tag prefix; "
        "places: place name."
    ),
]
Tag = Annotated[str, Parameter(min_length=1, max_length=101)]


class TagOut(msgspec.Struct, kw_only=True):
    name: str
    posts_count: int


class TagPageOut(msgspec.Struct, kw_only=True):
    items: list[TagOut]
    next_cursor: str | None = None


def _tags(found: list[TagCount]) -> TagPageOut:
    return TagPageOut(items=[TagOut(name=t.name, posts_count=t.posts_count) for t in found])


class SearchController(Controller):
    path = "/"
    tags = ["search"]

    @get(
        "/search",
        operation_id="search",
        summary="Search posts, people, tags or places",
        description="Posts and places: public posts, newest first. Users: by username, ordered "
        "by username. Tags: most used first (one page). 503 while the search engine is down.",
        responses=problems(422, 503),
    )
    async def search(
        self,
        q: Query,
        use_cases: UseCases,
        optional_viewer: MaybeMe,
        media: Media,
        type: Kind = "posts",
        limit: LimitParam = 20,
        cursor: CursorParam = None,
    ) -> PostPageOut | UserPageOut | TagPageOut:
        search = use_cases.search
        if type == "users":
            people = await search.users(optional_viewer, q, key_page_request(limit, cursor))
            return UserPageOut(
                items=await users_out(people.items, media),
                next_cursor=encode_cursor(people.next_cursor),
            )
        if type == "tags":
            return _tags(await search.tags(q, limit))
        finder = search.places if type == "places" else search.posts
        return await post_page_out(
            await finder(optional_viewer, q, page_request(limit, cursor)), media
        )

    @get(
        "/tags/trending",
        operation_id="trendingTags",
        summary="The tags most used by public posts lately",
        responses=problems(422, 503),
    )
    async def trending(self, use_cases: UseCases, limit: LimitParam = 20) -> TagPageOut:
        return _tags(await use_cases.search.trending(limit))

    @get(
        "/tags/{tag:str}",
        operation_id="getTag",
        summary="A tag and how many public posts carry it",
        responses=problems(422, 503),
    )
    async def tag(self, tag: Tag, use_cases: UseCases) -> TagOut:
        found = await use_cases.tag_summary.execute(tag)
        return TagOut(name=found.name, posts_count=found.posts_count)
