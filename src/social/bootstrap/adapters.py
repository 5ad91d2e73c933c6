"""The opened adapters: one per port, and what the HTTP edge and the worker need to run them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from social.adapters.jobs.saq_queue import SaqJobQueue
from social.adapters.security.totp import PyotpCodes
from social.adapters.storage.local_disk import LocalDiskMediaStorage
from social.domain.accounts.authenticate_app import AppTokenLookup
from social.domain.accounts.oauth_ports import OAuthUnitOfWork
from social.domain.accounts.oidc_ports import OidcClient, OidcUnitOfWork
from social.domain.accounts.ports import (
    AccountsUnitOfWork,
    ActiveSessionLookup,
    PasswordHasher,
    TokenIssuer,
)
from social.domain.accounts.two_factor_ports import OneTimeCodes, TwoFactorUnitOfWork
from social.domain.activity.ports import ActivityLog, ActivityUnitOfWork
from social.domain.discovery.ports import DiscoveryUnitOfWork
from social.domain.events.ports import EventsUnitOfWork
from social.domain.faces.ports import FaceEngine, FaceIndex
from social.domain.faces.reference import FaceReferences
from social.domain.feed.ports import FeedSource, FeedStore
from social.domain.graph.ports import GraphUnitOfWork
from social.domain.lifecycle.export_ports import ExportUnitOfWork
from social.domain.lifecycle.ports import PurgeUnitOfWork
from social.domain.media.ports import ImageProcessor, MediaStorage, VideoProcessor
from social.domain.moderation.ports import ModerationUnitOfWork
from social.domain.notifications.ports import EventStream
from social.domain.notifications.push_ports import (
    PushEndpointGuard,
    PushSender,
    PushUnitOfWork,
)
from social.domain.profiles.ports import ProfilesUnitOfWork
from social.domain.reads.cards import Reads
from social.domain.reads.ports import Listings, PresentedViews, ViewerOverlay
from social.domain.search.changes import SearchSyncPause
from social.domain.search.ports import RebuildUnitOfWork, SearchIndex, SearchUnitOfWork
from social.domain.shared.clock import Clock
from social.domain.shared.mail import Mailer
from social.domain.shared.ports import DelayedJobQueue, DependencyCheck
from social.domain.shared.rate_limits import RateLimiter
from social.settings import Settings

__all__ = ["Adapters", "AppUnitOfWork"]


class AppUnitOfWork(
    OidcUnitOfWork,  # before AccountsUnitOfWork, which it extends
    OAuthUnitOfWork,  # before TwoFactorUnitOfWork, which it extends
    TwoFactorUnitOfWork,  # before AccountsUnitOfWork, which it extends
    AccountsUnitOfWork,
    GraphUnitOfWork,
    ProfilesUnitOfWork,
    PurgeUnitOfWork,
    ExportUnitOfWork,
    ModerationUnitOfWork,
    SearchUnitOfWork,
    RebuildUnitOfWork,
    ActivityUnitOfWork,
    PushUnitOfWork,
    DiscoveryUnitOfWork,
    EventsUnitOfWork,
    Protocol,
):
    """Every context's unit of work at once: what the adapters provide."""


@dataclass(slots=True)
class Adapters:
    """One adapter per port, plus what the HTTP edge and the worker need to run them."""

    settings: Settings
    clock: Clock
    uow: Callable[[], AppUnitOfWork]
    hasher: PasswordHasher
    tokens: TokenIssuer
    sessions: ActiveSessionLookup
    storage: MediaStorage
    search: SearchIndex
    jobs: DelayedJobQueue
    rate_limiter: RateLimiter
    images: ImageProcessor
    videos: VideoProcessor
    feeds: FeedStore
    feed_source: FeedSource
    overlay: ViewerOverlay
    views: PresentedViews
    listings: Listings
    search_pause: SearchSyncPause
    stream: EventStream
    activity: ActivityLog
    mailer: Mailer
    app_grants: AppTokenLookup
    """What an OAuth access token grants, by its hash (behind an in-process cache)."""
    push: PushSender
    """Web Push delivery (NOTIF-3)."""
    push_guard: PushEndpointGuard
    """Where subscriptions may point (no SSRF into the private network)."""
    face_engine: FaceEngine
    """Finds and embeds faces in event photos (EVT-2), off the event loop."""
    face_index: FaceIndex
    """The vector search over the faces of event photos."""
    face_references: FaceReferences
    """Users' consented selfie embeddings."""
    checks: list[DependencyCheck] = field(default_factory=list)
    oidc: OidcClient | None = None
    """The OpenID Connect client; ``None``: the real one, made from the settings."""
    totp: OneTimeCodes = field(default_factory=PyotpCodes)
    """TOTP arithmetic (pure computation: the same adapter everywhere, fakes included)."""
    local_media: LocalDiskMediaStorage | None = None
    """Set when media lives on the local disk: the app then serves ``/media-files``."""
    job_queue: SaqJobQueue | None = None
    """The SAQ queue behind ``jobs``, for workers (absent with fake adapters)."""
    relay_outbox: Callable[[], Awaitable[int]] | None = None
    """Queues outbox jobs whose dispatch after commit did not happen (a periodic job)."""
    job_adapters: Adapters | None = None
    """The same adapters on database pools of their own, for a job worker inside the API
    process: a busy API cannot starve its jobs of connections (nor jobs the API)."""

    def reads(self) -> Reads:
        """The ports every read path uses together."""
        return Reads(overlay=self.overlay, views=self.views, listings=self.listings)
