"""The discovery context's suggested posts (DISC-2); its suggested accounts (DISC-1) have their
own slice (``discovery.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.bootstrap.adapters import Adapters
from social.domain.discovery.suggested_posts import SuggestedPosts

__all__ = ["DiscoveryPostsUseCases", "build"]


@dataclass(frozen=True, slots=True)
class DiscoveryPostsUseCases:
    suggested_posts: SuggestedPosts


def build(a: Adapters) -> DiscoveryPostsUseCases:
    window = timedelta(days=a.settings.discovery.suggested_posts_window_days)
    return DiscoveryPostsUseCases(
        suggested_posts=SuggestedPosts(reads=a.reads(), clock=a.clock, window=window),
    )
