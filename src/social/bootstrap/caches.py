"""The caches in front of the read pool: the read model's presentations and the session
check. Both live in process memory, and lean on Redis, when there is one, to agree across
processes."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import timedelta

from redis.asyncio import Redis

from social.adapters.cache.active_session_cache import CachedActiveSessionLookup
from social.adapters.cache.app_grant_cache import CachedAppTokenLookup
from social.adapters.cache.memory_presentations import InMemoryPresentationStore
from social.adapters.cache.redis_presentations import RedisPresentationStore
from social.adapters.cache.session_revocations import RedisSessionRevocations
from social.adapters.cache.tiered_presentations import TieredPresentationStore
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.presenting import JsonPresenter
from social.adapters.postgres.oauth import AsyncpgAppTokenLookup
from social.adapters.postgres.presented_content import AsyncpgContentSource
from social.adapters.postgres.read_pool import ReadPool
from social.adapters.postgres.session_lookup import AsyncpgActiveSessionLookup
from social.adapters.read_model.cached_views import CachedPresentedViews
from social.adapters.read_model.content import PresentationStore
from social.domain.media.ports import MediaStorage
from social.domain.shared.clock import Clock
from social.settings import Settings

__all__ = ["app_grant_lookup", "presented_views", "session_lookup"]


def presented_views(
    settings: Settings, pool: ReadPool, storage: MediaStorage, redis: Redis | None
) -> CachedPresentedViews:
    """The read model's presentations: in this process's memory, in front of Redis when there
    is one (shared by every process)."""
    local = InMemoryPresentationStore(max_entries=settings.read_model.presented_cache_entries)
    store: PresentationStore = local
    if redis is not None:
        store = TieredPresentationStore(
            local,
            RedisPresentationStore(redis),
            local_ttl_s=settings.read_model.presented_local_ttl_s,
        )
    media = MediaPresenter(
        storage,
        url_ttl=timedelta(seconds=settings.read_model.media_url_ttl_s),
        reuse_for=timedelta(0),
    )
    return CachedPresentedViews(
        store=store,
        source=AsyncpgContentSource(pool),
        presenter=JsonPresenter(media),
        ttl_s=settings.read_model.presented_ttl_s,
    )


def session_lookup(
    settings: Settings, pool: ReadPool, redis: Redis | None, clock: Clock, stack: AsyncExitStack
) -> CachedActiveSessionLookup:
    """The session check behind its cache: with Redis, revocations are told to every process
    at once and live sessions are kept longer."""
    if redis is None:
        return CachedActiveSessionLookup(
            AsyncpgActiveSessionLookup(pool),
            ttl_s=settings.accounts.session_cache_ttl_s,
            clock=clock,
        )
    # a client of its own: its reader holds a subscribed connection for the process's life
    own = Redis.from_url(settings.services.redis_url, socket_timeout=5, socket_connect_timeout=5)
    stack.push_async_callback(own.aclose)
    revocations = RedisSessionRevocations(own)
    sessions = CachedActiveSessionLookup(
        AsyncpgActiveSessionLookup(pool),
        ttl_s=settings.accounts.session_cache_shared_ttl_s,
        clock=clock,
        revocations=revocations,
    )
    revocations.start(
        forget_session=sessions.discard_session,
        forget_user=sessions.discard_user,
        forget_all=sessions.discard_all,
    )
    stack.push_async_callback(revocations.close)
    return sessions


APP_GRANT_TTL_S = 300.0
"""How long a process keeps what an app token acting for an account grants: its standing is
the session check's answer on every request, so this bounds only memory churn."""


def app_grant_lookup(settings: Settings, pool: ReadPool, clock: Clock) -> CachedAppTokenLookup:
    """The grant of an app token behind its cache: a client-credentials grant (no session to
    check) is kept only the session cache's TTL, the bound for another process to see its
    revocation."""
    return CachedAppTokenLookup(
        AsyncpgAppTokenLookup(pool),
        ttl_s=APP_GRANT_TTL_S,
        app_ttl_s=settings.accounts.session_cache_ttl_s,
        clock=clock,
    )
