"""Every use case, built from the adapters: one builder per domain context, each returning a
frozen slice of that context's use cases; the registry is all of them, by type."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields
from typing import Any, get_type_hints

from social.bootstrap.adapters import Adapters
from social.bootstrap.use_cases import (
    account_mail,
    accounts,
    activity,
    discovery,
    discovery_posts,
    events,
    faces,
    feed,
    graph,
    interactions,
    lifecycle,
    media,
    moderation,
    notifications,
    oidc,
    posts,
    profiles,
    push,
    search,
    shared,
)
from social.use_cases import UseCases

__all__ = ["build_use_cases", "use_case_types"]

_CONTEXTS: tuple[Callable[[Adapters], Any], ...] = (
    shared.build,
    accounts.build,
    account_mail.build,
    graph.build,
    media.build,
    profiles.build,
    posts.build,
    search.build,
    interactions.build,
    notifications.build,
    feed.build,
    moderation.build,
    activity.build,
    lifecycle.build,
    discovery_posts.build,
    push.build,
    discovery.build,
    oidc.build,
    events.build,
    faces.build,
)
"""A context's builder: ``build(adapters)`` returns its slice, a frozen dataclass whose fields
are its use cases."""


def build_use_cases(adapters: Adapters) -> UseCases:
    return UseCases(
        getattr(built, field.name)
        for built in (build(adapters) for build in _CONTEXTS)
        for field in fields(built)
    )


def use_case_types() -> list[type]:
    """The type of every use case ``build_use_cases`` builds, read from the slices' fields
    (before any adapter is open: the HTTP dependencies are made from them)."""
    return list(_types())


def _types() -> Iterator[type]:
    for build in _CONTEXTS:
        built: type = get_type_hints(build)["return"]
        hints = get_type_hints(built)
        yield from (hints[field.name] for field in fields(built))
