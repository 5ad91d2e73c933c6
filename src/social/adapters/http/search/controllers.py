"""/search, /tags/{tag} and /tags/trending."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter, QueryParameter

from social.adapters.http.cards import account_json, json_response, page_json, post_json
from social.adapters.http.dependencies import Injected
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import LimitParam, Paging
from social.adapters.http.posts.schemas import PostOut
from social.adapters.http.users.schemas import UserOut
from social.domain.search.model import TagCount
from social.domain.search.search import SearchEverything, TagSummary
from social.domain.shared.identity import Viewer

__all__ = ["SearchController"]

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


class PostSearchOut(msgspec.Struct, kw_only=True, tag_field="type", tag="posts"):
    """A page of ``/search``; ``type`` is the kind searched, so the four shapes of the answer
    are told apart by a field (the OpenAPI discriminator) rather than guessed from the items."""

    items: list[PostOut]
    next_cursor: str | None


class PlaceSearchOut(msgspec.Struct, kw_only=True, tag_field="type", tag="places"):
    items: list[PostOut]
    next_cursor: str | None


class UserSearchOut(msgspec.Struct, kw_only=True, tag_field="type", tag="users"):
    items: list[UserOut]
    next_cursor: str | None


class TagSearchOut(msgspec.Struct, kw_only=True, tag_field="type", tag="tags"):
    items: list[TagOut]
    next_cursor: str | None = None


SearchOut = PostSearchOut | PlaceSearchOut | UserSearchOut | TagSearchOut


def _tag_items(found: list[TagCount]) -> list[TagOut]:
    return [TagOut(name=t.name, posts_count=t.posts_count) for t in found]


def _tags(found: list[TagCount]) -> TagPageOut:
    return TagPageOut(items=_tag_items(found))


def _typed(kind: str, page: bytes) -> Response[Any]:
    """A page written as bytes (cards.py), with ``type`` put first."""
    return json_response(b'{"type":"%b",%b' % (kind.encode(), page[1:]))


class SearchController(Controller):
    path = "/"
    tags = ["search"]

    @get(
        "/search",
        operation_id="search",
        summary="Search posts, people, tags or places",
        description="Posts and places: public posts, newest first. Users: by username, ordered "
        "by username. Tags: most used first (one page). The page's `type` is the kind "
        "searched. 503 while the search engine is down.",
        responses=problems(422, 503),
    )
    async def search(
        self,
        q: Query,
        search_everything: Injected[SearchEverything],
        optional_viewer: MaybeMe,
        type: Kind = "posts",
        *,
        page: Paging,
    ) -> Response[SearchOut]:
        if type == "users":
            people = await search_everything.users(optional_viewer, q, page.by_key)
            return _typed(type, page_json(map(account_json, people.items), people.next_cursor))
        if type == "tags":
            return Response(
                TagSearchOut(items=_tag_items(await search_everything.tags(q, page.limit)))
            )
        finder = search_everything.places if type == "places" else search_everything.posts
        posts = await finder(optional_viewer, q, page.by_time)
        return _typed(type, page_json(map(post_json, posts.items), posts.next_cursor))

    @get(
        "/tags/trending",
        operation_id="trendingTags",
        summary="The tags most used by public posts lately",
        responses=problems(422, 503),
    )
    async def trending(
        self, search_everything: Injected[SearchEverything], limit: LimitParam = 20
    ) -> TagPageOut:
        return _tags(await search_everything.trending(limit))

    @get(
        "/tags/{tag:str}",
        operation_id="getTag",
        summary="A tag and how many public posts carry it",
        responses=problems(422, 503),
    )
    async def tag(self, tag: Tag, tag_summary: Injected[TagSummary]) -> TagOut:
        found = await tag_summary.execute(tag)
        return TagOut(name=found.name, posts_count=found.posts_count)
