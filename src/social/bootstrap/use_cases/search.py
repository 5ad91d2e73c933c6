"""The search context's use cases: queries, nearby posts, and keeping the index in step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.bootstrap.adapters import Adapters
from social.domain.search.nearby_posts import NearbyPosts
from social.domain.search.rebuild_index import RebuildSearchIndex
from social.domain.search.search import SearchEverything, TagSummary
from social.domain.search.sync_index import SyncSearchIndex

__all__ = ["SearchUseCases", "build"]


@dataclass(frozen=True, slots=True)
class SearchUseCases:
    search_everything: SearchEverything
    tag_summary: TagSummary
    nearby_posts: NearbyPosts
    sync_search_index: SyncSearchIndex
    rebuild_search_index: RebuildSearchIndex


def build(a: Adapters) -> SearchUseCases:
    settings = a.settings
    reads = a.reads()
    return SearchUseCases(
        search_everything=SearchEverything(
            reads=reads,
            search=a.search,
            clock=a.clock,
            trending_window=timedelta(seconds=settings.posts.trending_window_s),
        ),
        tag_summary=TagSummary(search=a.search, listings=a.listings),
        nearby_posts=NearbyPosts(reads=reads, search=a.search),
        sync_search_index=SyncSearchIndex(uow=a.uow, search=a.search),
        rebuild_search_index=RebuildSearchIndex(uow=a.uow, search=a.search, pause=a.search_pause),
    )
