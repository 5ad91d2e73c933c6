"""The feed context's use cases: the home feed, and the fan-out that keeps stored feeds."""

from __future__ import annotations

from dataclasses import dataclass

from social.bootstrap.adapters import Adapters
from social.domain.feed.fan_out import DropFromFeed, FanOut, RefreshFeed, RetractFromFeeds
from social.domain.feed.home_feed import HomeFeed

__all__ = ["FeedUseCases", "build"]


@dataclass(frozen=True, slots=True)
class FeedUseCases:
    home_feed: HomeFeed
    fan_out: FanOut
    retract_from_feeds: RetractFromFeeds
    refresh_feed: RefreshFeed
    drop_from_feed: DropFromFeed


def build(a: Adapters) -> FeedUseCases:
    settings = a.settings
    feeds = settings.feed.limits()
    return FeedUseCases(
        home_feed=HomeFeed(
            reads=a.reads(), source=a.feed_source, store=a.feeds, limits=feeds, clock=a.clock
        ),
        fan_out=FanOut(
            uow=a.uow, source=a.feed_source, store=a.feeds, limits=feeds, stream=a.stream
        ),
        retract_from_feeds=RetractFromFeeds(
            source=a.feed_source, store=a.feeds, limits=feeds, stream=a.stream
        ),
        refresh_feed=RefreshFeed(store=a.feeds),
        drop_from_feed=DropFromFeed(store=a.feeds),
    )
