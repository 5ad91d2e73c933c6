"""The home feed, explore, tag and place pages."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter, QueryParameter

from social.adapters.http.cards import post_page_response
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.feed.schemas import FeedPageOut, feed_page_response
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import MEMBER_PAGE, Paging
from social.adapters.http.posts.schemas import PostPageOut
from social.domain.feed.home_feed import HomeFeed
from social.domain.posts.browse import Explore, TagPosts
from social.domain.search.model import MAX_RADIUS_KM, GeoPoint
from social.domain.search.nearby_posts import NearbyPosts
from social.domain.shared.identity import Viewer

__all__ = ["BrowseController"]

Me = NamedDependency[Viewer]
MaybeMe = NamedDependency[Viewer | None]
Tag = Annotated[str, Parameter(min_length=1, max_length=101)]
Latitude = Annotated[float, QueryParameter(ge=-90, le=90, description="Degrees north.")]
Longitude = Annotated[float, QueryParameter(ge=-180, le=180, description="Degrees east.")]
RadiusKm = Annotated[
    float, QueryParameter(gt=0, le=MAX_RADIUS_KM, description=f"At most {MAX_RADIUS_KM:g} km.")
]
Order = Annotated[
    Literal["distance", "recent"], QueryParameter(description="Nearest first, or newest first.")
]


class BrowseController(Controller):
    path = "/"
    tags = ["feeds"]

    @get(
        "/feed",
        operation_id="homeFeed",
        security=BEARER_SECURITY,
        summary="Your home feed: posts and shares of the people you follow, and yours",
        description="Newest first; walk it with `next_cursor` (new items never cause repeats).",
        responses=problems(401, 422),
        dependencies=MEMBER_PAGE,
    )
    async def home(
        self,
        home_feed: Injected[HomeFeed],
        viewer: Me,
        page: Paging,
    ) -> Response[FeedPageOut]:
        found = await home_feed.execute(viewer, page.by_time)
        return feed_page_response(found)

    @get(
        "/explore",
        operation_id="explore",
        summary="Recent popular posts of public accounts",
        responses=problems(422),
    )
    async def explore(
        self,
        explore: Injected[Explore],
        optional_viewer: MaybeMe,
        page: Paging,
    ) -> Response[PostPageOut]:
        found = await explore.execute(optional_viewer, page.by_rank)
        return post_page_response(found)

    @get(
        "/tags/{tag:str}/posts",
        operation_id="tagPosts",
        summary="Posts of public accounts with a tag, newest first",
        responses=problems(422),
    )
    async def tag_posts(
        self,
        tag: Tag,
        tag_posts: Injected[TagPosts],
        optional_viewer: MaybeMe,
        page: Paging,
    ) -> Response[PostPageOut]:
        found = await tag_posts.execute(optional_viewer, tag, page.by_time)
        return post_page_response(found)

    @get(
        "/places/nearby",
        operation_id="postsNearby",
        summary="Posts of public accounts near a point, nearest (or newest) first",
        description="503 when the search engine is down.",
        responses=problems(422, 503),
    )
    async def nearby(
        self,
        lat: Latitude,
        lon: Longitude,
        nearby_posts: Injected[NearbyPosts],
        optional_viewer: MaybeMe,
        radius_km: RadiusKm = 5.0,
        sort: Order = "distance",
        *,
        page: Paging,
    ) -> Response[PostPageOut]:
        center = GeoPoint(lat, lon)
        if sort == "distance":
            near = await nearby_posts.by_distance(optional_viewer, center, radius_km, page.by_rank)
            return post_page_response(near)
        recent = await nearby_posts.by_time(optional_viewer, center, radius_km, page.by_time)
        return post_page_response(recent)
