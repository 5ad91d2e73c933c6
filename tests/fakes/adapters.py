"""A full set of fake adapters for ``create_app(settings, adapters=...)``."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any, TypeVar

from social.adapters.cache.memory_feed_store import InMemoryFeedStore
from social.adapters.cache.memory_presentations import InMemoryPresentationStore
from social.adapters.cache.memory_rate_limiter import InMemoryRateLimiter
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.presenting import JsonPresenter
from social.adapters.read_model.cached_views import CachedPresentedViews
from social.adapters.realtime.memory_stream import InMemoryEventStream
from social.adapters.security.jwt_issuer import JwtTokenIssuer
from social.adapters.security.keys import KeyRing
from social.bootstrap import Adapters
from social.domain.media.ports import MediaStorage
from social.domain.shared.clock import SystemClock
from social.settings import Settings
from social.use_cases import UseCases
from tests.conftest import TEST_SECRET
from tests.fakes.accounts import (
    AccountsStore,
    FakePasswordHasher,
    InMemoryActiveSessionLookup,
    InMemoryUnitOfWork,
)
from tests.fakes.activity import InMemoryActivityLog
from tests.fakes.faces import (
    InMemoryFaceIndex,
    InMemoryFaceReferences,
    ScriptedFaceEngine,
    event_photos_of,
)
from tests.fakes.feed import InMemoryFeedSource
from tests.fakes.media import FakeImageProcessor, FakeVideoProcessor, InMemoryMediaStorage
from tests.fakes.oauth import InMemoryAppTokenLookup
from tests.fakes.push import FakePushEndpointGuard, RecordingPushSender
from tests.fakes.reads import InMemoryContentSource, InMemoryListings, InMemoryViewerOverlay
from tests.fakes.search import InMemorySearchIndex, InMemorySearchSyncPause
from tests.fakes.shared import RecordingJobQueue, RecordingMailer

__all__ = ["NamedUseCases", "fake_adapters"]

T = TypeVar("T")


class NamedUseCases:
    """The registry's use cases as attributes named after them (``uc.create_post``): what the
    unit tests call, in a line each."""

    def __init__(self, registry: UseCases) -> None:
        self.registry = registry

    def __getattr__(self, name: str) -> Any:
        try:
            return self.registry.by_name[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, kind: type[T]) -> T:
        return self.registry.get(kind)


def fake_adapters(
    settings: Settings, *, store: AccountsStore | None = None, **overrides: Any
) -> Adapters:
    """Everything in memory; real JWTs (they are pure computation) so HTTP auth is exercised."""
    store = store if store is not None else AccountsStore()
    pause = InMemorySearchSyncPause()

    def uow() -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(store, pause)

    adapters = Adapters(
        settings=settings,
        clock=SystemClock(),
        uow=uow,
        hasher=FakePasswordHasher(),
        tokens=JwtTokenIssuer(
            key=KeyRing.from_secret(TEST_SECRET).jwt_key,
            issuer=settings.accounts.jwt_issuer,
            ttl=timedelta(seconds=settings.accounts.access_token_ttl_s),
            leeway_s=settings.accounts.jwt_leeway_s,
        ),
        sessions=InMemoryActiveSessionLookup(store),
        storage=InMemoryMediaStorage(),
        search=InMemorySearchIndex(),
        jobs=RecordingJobQueue(),
        rate_limiter=InMemoryRateLimiter(),
        images=FakeImageProcessor(),
        videos=FakeVideoProcessor(),
        feeds=InMemoryFeedStore(settings.feed.feed_max_length),
        feed_source=InMemoryFeedSource(store),
        overlay=InMemoryViewerOverlay(store),
        listings=InMemoryListings(store),
        views=_views(store, InMemoryMediaStorage()),
        search_pause=pause,
        stream=InMemoryEventStream(),
        activity=InMemoryActivityLog(uow),
        mailer=RecordingMailer(),
        app_grants=InMemoryAppTokenLookup(store),
        push=RecordingPushSender(),
        push_guard=FakePushEndpointGuard(),
        face_engine=ScriptedFaceEngine(),
        face_index=InMemoryFaceIndex(event_photos_of(store)),
        face_references=InMemoryFaceReferences(),
    )
    adapters = replace(adapters, **overrides)
    if "views" not in overrides:  # presentations sign URLs with the storage in use
        adapters = replace(adapters, views=_views(store, adapters.storage))
    return adapters


def _views(store: AccountsStore, storage: MediaStorage) -> CachedPresentedViews:
    """The real cache and presenter over the fake store's contents."""
    return CachedPresentedViews(
        store=InMemoryPresentationStore(),
        source=InMemoryContentSource(store),
        presenter=JsonPresenter(MediaPresenter(storage, reuse_for=timedelta(0))),
        ttl_s=600,
    )
