"""The composition root: which adapter serves each port, decided once from settings.

Embedded default (no service settings): a PostgreSQL the app starts itself, media on the local
disk, PostgreSQL search, SAQ jobs on the PostgreSQL queue run inside the API process, in-memory
rate limits. Production: each service URL that is set switches its port to the real service.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Protocol

from redis.asyncio import Redis

from social.adapters.cache.active_session_cache import CachedActiveSessionLookup
from social.adapters.cache.memory_feed_store import InMemoryFeedStore
from social.adapters.cache.memory_presentations import InMemoryPresentationStore
from social.adapters.cache.memory_rate_limiter import InMemoryRateLimiter
from social.adapters.cache.no_feed_store import NoFeedStore
from social.adapters.cache.redis_check import RedisCheck
from social.adapters.cache.redis_feed_store import RedisFeedStore
from social.adapters.cache.redis_presentations import RedisPresentationStore
from social.adapters.cache.redis_rate_limiter import RedisRateLimiter
from social.adapters.cache.session_revocations import RedisSessionRevocations
from social.adapters.cache.tiered_presentations import TieredPresentationStore
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.presenting import JsonPresenter
from social.adapters.jobs.saq_queue import SaqJobQueue, SaqQueueCheck, saq_url
from social.adapters.media.images import PillowImageProcessor
from social.adapters.media.video import FfmpegVideoProcessor
from social.adapters.postgres import migrations
from social.adapters.postgres.activity import BufferedActivityLog
from social.adapters.postgres.database import Database, DatabaseCheck
from social.adapters.postgres.embedded import EmbeddedPostgres
from social.adapters.postgres.feed_source import AsyncpgFeedSource
from social.adapters.postgres.listings import AsyncpgListings
from social.adapters.postgres.outbox import OutboxEntry, relay_outbox
from social.adapters.postgres.overlay import AsyncpgViewerOverlay
from social.adapters.postgres.presented_content import AsyncpgContentSource
from social.adapters.postgres.read_pool import ReadPool
from social.adapters.postgres.search_changes import PostgresSearchSyncPause
from social.adapters.postgres.session_lookup import AsyncpgActiveSessionLookup
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.read_model.cached_views import CachedPresentedViews
from social.adapters.read_model.content import PresentationStore
from social.adapters.realtime.memory_stream import InMemoryEventStream
from social.adapters.realtime.redis_stream import RedisEventStream
from social.adapters.search.opensearch_index import OpenSearchCheck, OpenSearchIndex
from social.adapters.search.postgres_index import PostgresSearchCheck, PostgresSearchIndex
from social.adapters.security.argon2_hasher import Argon2PasswordHasher
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.jwt_issuer import JwtTokenIssuer
from social.adapters.security.keys import KeyRing
from social.adapters.storage.local_disk import LocalDiskCheck, LocalDiskMediaStorage
from social.adapters.storage.minio_storage import MinioCheck, MinioMediaStorage
from social.domain.accounts.authenticate import Authenticate
from social.domain.accounts.change_password import ChangePassword
from social.domain.accounts.delete_account import DeleteAccount
from social.domain.accounts.log_in import LogIn
from social.domain.accounts.log_out import LogOut
from social.domain.accounts.ports import (
    AccountsUnitOfWork,
    ActiveSessionLookup,
    PasswordHasher,
    TokenIssuer,
)
from social.domain.accounts.purge_expired_sessions import PurgeExpiredSessions
from social.domain.accounts.refresh_session import RefreshSession
from social.domain.accounts.register_user import RegisterUser
from social.domain.accounts.rules import AccountLimits
from social.domain.activity.identify_client import IdentifyClient
from social.domain.activity.manage_clients import (
    ListApiClients,
    RegisterApiClient,
    RevokeApiClient,
)
from social.domain.activity.model import ActivityEntry
from social.domain.activity.ports import ActivityLog, ActivityUnitOfWork
from social.domain.activity.purge_activity import PurgeOldActivity
from social.domain.activity.usage import DailyUsage, TopClients
from social.domain.feed.fan_out import DropFromFeed, FanOut, RefreshFeed, RetractFromFeeds
from social.domain.feed.home_feed import HomeFeed
from social.domain.feed.model import FeedLimits
from social.domain.feed.ports import FeedSource, FeedStore
from social.domain.graph.block_user import BlockUser, UnblockUser
from social.domain.graph.follow_requests import DecideFollowRequest
from social.domain.graph.follow_user import FollowUser
from social.domain.graph.mute_user import MuteUser, UnmuteUser
from social.domain.graph.ports import GraphUnitOfWork
from social.domain.graph.unfollow_user import UnfollowUser
from social.domain.interactions.bookmark_post import BookmarkPost, ListBookmarks, UnbookmarkPost
from social.domain.interactions.comment_on_post import CommentOnPost
from social.domain.interactions.delete_comment import DeleteComment
from social.domain.interactions.like_post import LikePost, UnlikePost
from social.domain.interactions.list_comments import ListComments, ListLikers
from social.domain.interactions.model import CommentLimits
from social.domain.interactions.share_post import SharePost, UnsharePost
from social.domain.lifecycle.purge_account import PurgeAccount, PurgeUnitOfWork
from social.domain.media.delete_objects import DeleteStoredObjects
from social.domain.media.manage_media import CollectUnattachedMedia, DiscardMedia, GetMedia
from social.domain.media.model import MediaLimits
from social.domain.media.ports import ImageProcessor, MediaStorage, VideoProcessor
from social.domain.media.process_media import ProcessMedia
from social.domain.media.upload_media import CompleteUpload, RequestUpload, UploadMedia
from social.domain.moderation.handle_reports import ListAuditLog, ModerationQueue, ResolveReport
from social.domain.moderation.moderate_accounts import ChangeRole, SuspendAccount
from social.domain.moderation.ports import ModerationUnitOfWork
from social.domain.moderation.report_content import ReportContent
from social.domain.notifications.notify import Notify, WithdrawNotifications
from social.domain.notifications.ports import EventStream
from social.domain.notifications.read_notifications import (
    ListNotifications,
    MarkNotificationsRead,
    UnreadCount,
)
from social.domain.posts.browse import Explore, ListUserPosts, TagPosts
from social.domain.posts.change_post import DeletePost, EditPost
from social.domain.posts.create_post import CreatePost
from social.domain.posts.model import PostLimits
from social.domain.posts.read_post import GetPost
from social.domain.profiles.avatar import RemoveAvatar, UpdateAvatar
from social.domain.profiles.get_me import GetMe
from social.domain.profiles.list_connections import ListConnections
from social.domain.profiles.list_follow_requests import ListFollowRequests
from social.domain.profiles.ports import ProfilesUnitOfWork
from social.domain.profiles.update_profile import UpdateProfile
from social.domain.profiles.view_profile import ViewProfile
from social.domain.reads.cards import Reads
from social.domain.reads.ports import Listings, PresentedViews, ViewerOverlay
from social.domain.search.changes import SearchSyncPause
from social.domain.search.nearby_posts import NearbyPosts
from social.domain.search.ports import SearchIndex
from social.domain.search.rebuild_index import RebuildSearchIndex, RebuildUnitOfWork
from social.domain.search.search import SearchEverything, TagSummary
from social.domain.search.sync_index import SearchUnitOfWork, SyncSearchIndex
from social.domain.shared.clock import Clock, SystemClock
from social.domain.shared.errors import Unavailable
from social.domain.shared.forget_idempotency_keys import ForgetIdempotencyKeys
from social.domain.shared.ports import DependencyCheck, JobQueue
from social.domain.shared.rate_limits import RateLimiter
from social.settings import Settings

__all__ = [
    "Adapters",
    "AppUnitOfWork",
    "UseCases",
    "account_limits",
    "build_use_cases",
    "open_adapters",
    "open_storage",
    "start_database",
]

log = logging.getLogger(__name__)


class AppUnitOfWork(
    AccountsUnitOfWork,
    GraphUnitOfWork,
    ProfilesUnitOfWork,
    PurgeUnitOfWork,
    ModerationUnitOfWork,
    SearchUnitOfWork,
    RebuildUnitOfWork,
    ActivityUnitOfWork,
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
    jobs: JobQueue
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
    checks: list[DependencyCheck] = field(default_factory=list)
    local_media: LocalDiskMediaStorage | None = None
    """Set when media lives on the local disk: the app then serves ``/media-files``."""
    job_queue: SaqJobQueue | None = None
    """The SAQ queue behind ``jobs``, for workers (absent with fake adapters)."""
    relay_outbox: Callable[[], Awaitable[int]] | None = None
    """Queues outbox jobs whose dispatch after commit did not happen (a periodic job)."""
    job_adapters: Adapters | None = None
    """The same adapters on database pools of their own, for a job worker inside the API
    process: a busy API cannot starve its jobs of connections (nor jobs the API)."""


@dataclass(frozen=True, slots=True)
class UseCases:
    authenticate: Authenticate
    register_user: RegisterUser
    log_in: LogIn
    refresh_session: RefreshSession
    log_out: LogOut
    change_password: ChangePassword
    get_me: GetMe
    update_profile: UpdateProfile
    view_profile: ViewProfile
    purge_expired_sessions: PurgeExpiredSessions
    delete_account: DeleteAccount
    purge_account: PurgeAccount
    follow_user: FollowUser
    unfollow_user: UnfollowUser
    list_follow_requests: ListFollowRequests
    decide_follow_request: DecideFollowRequest
    block_user: BlockUser
    unblock_user: UnblockUser
    mute_user: MuteUser
    unmute_user: UnmuteUser
    list_connections: ListConnections
    update_avatar: UpdateAvatar
    remove_avatar: RemoveAvatar
    delete_stored_objects: DeleteStoredObjects
    upload_media: UploadMedia
    request_upload: RequestUpload
    complete_upload: CompleteUpload
    process_media: ProcessMedia
    get_media: GetMedia
    discard_media: DiscardMedia
    collect_unattached_media: CollectUnattachedMedia
    create_post: CreatePost
    get_post: GetPost
    edit_post: EditPost
    delete_post: DeletePost
    sync_search_index: SyncSearchIndex
    forget_idempotency_keys: ForgetIdempotencyKeys
    notify: Notify
    withdraw_notifications: WithdrawNotifications
    list_notifications: ListNotifications
    unread_count: UnreadCount
    mark_notifications_read: MarkNotificationsRead
    report_content: ReportContent
    moderation_queue: ModerationQueue
    resolve_report: ResolveReport
    suspend_account: SuspendAccount
    change_role: ChangeRole
    list_audit_log: ListAuditLog
    search: SearchEverything
    tag_summary: TagSummary
    rebuild_search_index: RebuildSearchIndex
    like_post: LikePost
    unlike_post: UnlikePost
    list_likers: ListLikers
    share_post: SharePost
    unshare_post: UnsharePost
    bookmark_post: BookmarkPost
    unbookmark_post: UnbookmarkPost
    list_bookmarks: ListBookmarks
    comment_on_post: CommentOnPost
    delete_comment: DeleteComment
    list_comments: ListComments
    list_user_posts: ListUserPosts
    tag_posts: TagPosts
    explore: Explore
    nearby_posts: NearbyPosts
    home_feed: HomeFeed
    fan_out: FanOut
    retract_from_feeds: RetractFromFeeds
    refresh_feed: RefreshFeed
    drop_from_feed: DropFromFeed
    identify_client: IdentifyClient
    register_api_client: RegisterApiClient
    list_api_clients: ListApiClients
    revoke_api_client: RevokeApiClient
    daily_usage: DailyUsage
    top_clients: TopClients
    purge_old_activity: PurgeOldActivity


def account_limits(settings: Settings) -> AccountLimits:
    return AccountLimits(
        username_min=settings.accounts.username_min_length,
        username_max=settings.accounts.username_max_length,
        password_min=settings.accounts.password_min_length,
        password_max=settings.accounts.password_max_length,
        display_name_max=settings.accounts.display_name_max_length,
        bio_max=settings.accounts.bio_max_length,
        website_max=settings.accounts.website_max_length,
        email_max=settings.accounts.email_max_length,
    )


def media_limits(settings: Settings) -> MediaLimits:
    return MediaLimits(
        image_max_bytes=settings.media.max_image_bytes,
        video_max_bytes=settings.media.max_video_bytes,
        storage_quota_bytes=settings.media.storage_quota_bytes,
    )


def post_limits(settings: Settings) -> PostLimits:
    return PostLimits(
        caption_max=settings.posts.caption_max_length,
        tags_max=settings.posts.post_max_tags,
        media_max=settings.posts.post_max_media,
    )


def feed_limits(settings: Settings) -> FeedLimits:
    return FeedLimits(
        max_length=settings.feed.feed_max_length,
        fan_out_threshold=settings.feed.fan_out_threshold,
        fan_out_batch=settings.feed.fan_out_batch,
        large_followees_ttl=timedelta(seconds=settings.feed.feed_large_followees_ttl_s),
        large_entries_ttl=timedelta(seconds=settings.feed.feed_large_entries_ttl_s),
    )


def build_use_cases(adapters: Adapters) -> UseCases:
    a, settings = adapters, adapters.settings
    reads = Reads(overlay=a.overlay, views=a.views, listings=a.listings)
    limits = account_limits(settings)
    media, posts, feeds = media_limits(settings), post_limits(settings), feed_limits(settings)
    discard = DiscardMedia(uow=a.uow, storage=a.storage)
    refresh_ttl = timedelta(seconds=settings.accounts.refresh_token_ttl_s)
    identify = IdentifyClient(
        uow=a.uow, clock=a.clock, ttl=timedelta(seconds=settings.activity.client_key_cache_ttl_s)
    )
    usage_ttl = timedelta(seconds=settings.activity.usage_cache_ttl_s)
    return UseCases(
        authenticate=Authenticate(tokens=a.tokens, sessions=a.sessions),
        register_user=RegisterUser(
            uow=a.uow,
            hasher=a.hasher,
            tokens=a.tokens,
            clock=a.clock,
            limits=limits,
            refresh_ttl=refresh_ttl,
        ),
        log_in=LogIn(
            uow=a.uow, hasher=a.hasher, tokens=a.tokens, clock=a.clock, refresh_ttl=refresh_ttl
        ),
        refresh_session=RefreshSession(
            uow=a.uow,
            tokens=a.tokens,
            clock=a.clock,
            refresh_ttl=refresh_ttl,
            sessions=a.sessions,
            reuse_grace=timedelta(seconds=settings.accounts.refresh_reuse_grace_s),
        ),
        log_out=LogOut(uow=a.uow, clock=a.clock, sessions=a.sessions),
        change_password=ChangePassword(
            uow=a.uow, hasher=a.hasher, clock=a.clock, limits=limits, sessions=a.sessions
        ),
        get_me=GetMe(uow=a.uow),
        update_profile=UpdateProfile(uow=a.uow, clock=a.clock, limits=limits),
        view_profile=ViewProfile(reads=reads),
        purge_expired_sessions=PurgeExpiredSessions(uow=a.uow, clock=a.clock),
        delete_account=DeleteAccount(
            uow=a.uow, hasher=a.hasher, clock=a.clock, sessions=a.sessions
        ),
        purge_account=PurgeAccount(uow=a.uow, storage=a.storage),
        follow_user=FollowUser(uow=a.uow, clock=a.clock),
        unfollow_user=UnfollowUser(uow=a.uow),
        list_follow_requests=ListFollowRequests(uow=a.uow, reads=reads),
        decide_follow_request=DecideFollowRequest(uow=a.uow, clock=a.clock),
        block_user=BlockUser(uow=a.uow, clock=a.clock),
        unblock_user=UnblockUser(uow=a.uow),
        mute_user=MuteUser(uow=a.uow, clock=a.clock),
        unmute_user=UnmuteUser(uow=a.uow),
        list_connections=ListConnections(reads=reads),
        update_avatar=UpdateAvatar(
            uow=a.uow,
            images=a.images,
            storage=a.storage,
            clock=a.clock,
            max_bytes=settings.media.max_avatar_bytes,
        ),
        remove_avatar=RemoveAvatar(uow=a.uow, clock=a.clock),
        delete_stored_objects=DeleteStoredObjects(storage=a.storage),
        upload_media=UploadMedia(
            uow=a.uow,
            storage=a.storage,
            images=a.images,
            videos=a.videos,
            clock=a.clock,
            limits=media,
        ),
        request_upload=RequestUpload(uow=a.uow, storage=a.storage, clock=a.clock, limits=media),
        complete_upload=CompleteUpload(uow=a.uow, storage=a.storage, limits=media),
        process_media=ProcessMedia(
            uow=a.uow, storage=a.storage, images=a.images, videos=a.videos, limits=media
        ),
        get_media=GetMedia(uow=a.uow),
        discard_media=discard,
        collect_unattached_media=CollectUnattachedMedia(
            uow=a.uow,
            discard=discard,
            clock=a.clock,
            grace=timedelta(seconds=settings.media.media_unattached_grace_s),
        ),
        create_post=CreatePost(uow=a.uow, reads=reads, clock=a.clock, limits=posts),
        get_post=GetPost(reads=reads),
        edit_post=EditPost(uow=a.uow, reads=reads, clock=a.clock, limits=posts),
        delete_post=DeletePost(uow=a.uow),
        sync_search_index=SyncSearchIndex(uow=a.uow, search=a.search),
        forget_idempotency_keys=ForgetIdempotencyKeys(
            uow=a.uow, clock=a.clock, keep=timedelta(seconds=settings.http.idempotency_key_ttl_s)
        ),
        notify=Notify(uow=a.uow, stream=a.stream, clock=a.clock),
        withdraw_notifications=WithdrawNotifications(uow=a.uow),
        list_notifications=ListNotifications(uow=a.uow, reads=reads),
        unread_count=UnreadCount(uow=a.uow),
        mark_notifications_read=MarkNotificationsRead(uow=a.uow),
        report_content=ReportContent(uow=a.uow, clock=a.clock),
        moderation_queue=ModerationQueue(uow=a.uow),
        resolve_report=ResolveReport(uow=a.uow, clock=a.clock, sessions=a.sessions),
        suspend_account=SuspendAccount(uow=a.uow, clock=a.clock, sessions=a.sessions),
        change_role=ChangeRole(uow=a.uow, clock=a.clock, sessions=a.sessions),
        list_audit_log=ListAuditLog(uow=a.uow),
        search=SearchEverything(
            reads=reads,
            search=a.search,
            clock=a.clock,
            trending_window=timedelta(seconds=settings.posts.trending_window_s),
        ),
        tag_summary=TagSummary(search=a.search, listings=a.listings),
        rebuild_search_index=RebuildSearchIndex(uow=a.uow, search=a.search, pause=a.search_pause),
        like_post=LikePost(uow=a.uow, clock=a.clock),
        unlike_post=UnlikePost(uow=a.uow),
        list_likers=ListLikers(reads=reads),
        share_post=SharePost(uow=a.uow, clock=a.clock),
        unshare_post=UnsharePost(uow=a.uow),
        bookmark_post=BookmarkPost(uow=a.uow, clock=a.clock),
        unbookmark_post=UnbookmarkPost(uow=a.uow),
        list_bookmarks=ListBookmarks(reads=reads),
        comment_on_post=CommentOnPost(
            uow=a.uow,
            reads=reads,
            clock=a.clock,
            limits=CommentLimits(text_max=settings.posts.comment_max_length),
        ),
        delete_comment=DeleteComment(uow=a.uow),
        list_comments=ListComments(reads=reads),
        list_user_posts=ListUserPosts(reads=reads),
        tag_posts=TagPosts(reads=reads),
        explore=Explore(
            reads=reads, clock=a.clock, window=timedelta(seconds=settings.posts.explore_window_s)
        ),
        nearby_posts=NearbyPosts(reads=reads, search=a.search),
        home_feed=HomeFeed(
            reads=reads, source=a.feed_source, store=a.feeds, limits=feeds, clock=a.clock
        ),
        fan_out=FanOut(
            uow=a.uow, source=a.feed_source, store=a.feeds, limits=feeds, stream=a.stream
        ),
        retract_from_feeds=RetractFromFeeds(source=a.feed_source, store=a.feeds, limits=feeds),
        refresh_feed=RefreshFeed(store=a.feeds),
        drop_from_feed=DropFromFeed(store=a.feeds),
        identify_client=identify,
        register_api_client=RegisterApiClient(uow=a.uow, clock=a.clock),
        list_api_clients=ListApiClients(uow=a.uow),
        revoke_api_client=RevokeApiClient(uow=a.uow, clock=a.clock, identify=identify),
        daily_usage=DailyUsage(uow=a.uow, clock=a.clock, cache_ttl=usage_ttl),
        top_clients=TopClients(uow=a.uow, clock=a.clock, cache_ttl=usage_ttl),
        purge_old_activity=PurgeOldActivity(
            uow=a.uow,
            clock=a.clock,
            retention=timedelta(days=settings.activity.activity_retention_days),
        ),
    )


def build_hasher(settings: Settings) -> Argon2PasswordHasher:
    return Argon2PasswordHasher(
        time_cost=settings.accounts.argon2_time_cost,
        memory_kib=settings.accounts.argon2_memory_kib,
        parallelism=settings.accounts.argon2_parallelism,
        max_threads=settings.accounts.argon2_max_threads,
    )


def build_token_issuer(settings: Settings, keys: KeyRing) -> JwtTokenIssuer:
    return JwtTokenIssuer(
        key=keys.jwt_key,
        issuer=settings.accounts.jwt_issuer,
        ttl=timedelta(seconds=settings.accounts.access_token_ttl_s),
        leeway_s=settings.accounts.jwt_leeway_s,
    )


async def start_database(settings: Settings, stack: AsyncExitStack) -> str:
    """The database URL to use, starting (or joining) the embedded server, stopped with
    ``stack``, when none is configured."""
    url = settings.services.database_url
    if not url:
        server = EmbeddedPostgres(settings.process.data_dir / "postgres")
        url = await asyncio.to_thread(server.start)
        stack.callback(server.stop)
        log.info("embedded PostgreSQL ready", extra={"data_dir": str(settings.process.data_dir)})
    return url


async def prepare_database(settings: Settings, stack: AsyncExitStack) -> str:
    """``start_database``, then the migrations when needed."""
    url = await start_database(settings, stack)
    if settings.process.auto_migrate or settings.services.uses_embedded_database:
        await asyncio.to_thread(migrations.upgrade, url)
    return url


@dataclass(frozen=True, slots=True)
class _Pools:
    """One process's database pools: units of work (transactions) and the read model."""

    database: Database
    reads: ReadPool
    planned: ReadPool
    """Statements planned for each call (their best plan depends on the parameters)."""
    uow: Callable[[], SqlaUnitOfWork]
    relay: Callable[[], Awaitable[int]]


def _open_pools(
    settings: Settings,
    url: str,
    stack: AsyncExitStack,
    *,
    write_size: int,
    read_size: int,
    cipher: EmailCipher,
    clock: Clock,
    dispatch: Callable[[Sequence[OutboxEntry]], Awaitable[None]],
) -> _Pools:
    database = Database.connect(
        url, pool_size=write_size, pool_timeout_s=settings.services.database_pool_timeout_s
    )
    stack.push_async_callback(database.close)
    reads = ReadPool(
        url, size=read_size, acquire_timeout_s=settings.services.database_pool_timeout_s
    )
    stack.push_async_callback(reads.close)
    planned = ReadPool(
        url,
        size=max(1, read_size // 2),
        acquire_timeout_s=settings.services.database_pool_timeout_s,
        planned_per_call=True,
    )
    stack.push_async_callback(planned.close)

    def uow() -> SqlaUnitOfWork:
        return SqlaUnitOfWork(database.sessions, cipher, dispatch=dispatch, clock=clock)

    async def relay() -> int:
        older = timedelta(seconds=settings.jobs.outbox_relay_after_s)
        return await relay_outbox(database.sessions, dispatch, now=clock.now(), older_than=older)

    return _Pools(database, reads, planned, uow, relay)


def _presented_views(
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


def _session_lookup(
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


@asynccontextmanager
async def open_adapters(settings: Settings) -> AsyncIterator[Adapters]:
    """Connect every adapter the settings ask for; close them all on exit."""
    async with AsyncExitStack() as stack:
        keys = KeyRing.from_settings(settings)
        url = await prepare_database(settings, stack)
        cipher = EmailCipher(keys)
        clock = SystemClock()
        job_queue = SaqJobQueue.from_url(
            saq_url(settings.services.redis_url, url), heartbeat_s=settings.jobs.job_heartbeat_s
        )

        async def dispatch(entries: Sequence[OutboxEntry]) -> None:
            for entry in entries:  # the entry id dedupes a relay racing this dispatch
                await job_queue.enqueue_once(str(entry.id), entry.job, entry.arguments)

        pools = _open_pools(
            settings,
            url,
            stack,
            write_size=settings.services.database_pool_size,
            read_size=settings.services.database_read_pool_size,
            cipher=cipher,
            clock=clock,
            dispatch=dispatch,
        )
        database, uow = pools.database, pools.uow
        checks: list[DependencyCheck] = [DatabaseCheck(database)]

        redis: Redis | None = None
        feed_redis: Redis | None = None
        feeds: FeedStore
        if settings.services.redis_url:
            redis = Redis.from_url(
                settings.services.redis_url, socket_timeout=5, socket_connect_timeout=5
            )
            stack.push_async_callback(redis.aclose)
            checks.append(RedisCheck(redis))
            # Its own client with short timeouts: a slow Redis makes feeds fall back to the
            # database within a second instead of holding the request.
            feed_redis = Redis.from_url(
                settings.services.redis_url, socket_timeout=1, socket_connect_timeout=1
            )
            stack.push_async_callback(feed_redis.aclose)
            feeds = RedisFeedStore(
                feed_redis, max_length=settings.feed.feed_max_length, ttl_s=settings.feed.feed_ttl_s
            )
            redis_stream = RedisEventStream(redis)
            stack.push_async_callback(redis_stream.close)
            stream: EventStream = redis_stream
        elif settings.process.workers > 1:
            feeds = NoFeedStore()  # one process's memory would miss the others' fan-out
        else:
            feeds = InMemoryFeedStore(settings.feed.feed_max_length)
        if not settings.services.redis_url:
            # several API processes without Redis: each process's sockets hear only the events
            # raised in it (its jobs run inside it); the lists catch up the rest
            stream = InMemoryEventStream()

        storage, local_media = await open_storage(settings, keys, stack, checks)
        search = await _open_search(settings, database, stack, checks)

        await job_queue.connect()
        stack.push_async_callback(job_queue.close)
        checks.append(SaqQueueCheck(job_queue))
        activity = _open_activity_log(settings, uow, stack)

        hasher = build_hasher(settings)
        stack.callback(hasher.close)
        images = PillowImageProcessor(
            max_pixels=settings.media.image_max_pixels, max_threads=settings.media.image_threads
        )
        stack.callback(images.close)
        videos = FfmpegVideoProcessor(
            images=images,
            max_duration_s=settings.media.max_video_seconds,
            max_bytes=settings.media.max_video_bytes,
        )
        views = _presented_views(settings, pools.reads, storage, feed_redis)
        sessions = _session_lookup(settings, pools.reads, redis, clock, stack)
        adapters = Adapters(
            settings=settings,
            clock=clock,
            uow=uow,
            hasher=hasher,
            tokens=build_token_issuer(settings, keys),
            sessions=sessions,
            storage=storage,
            search=search,
            jobs=job_queue,
            rate_limiter=RedisRateLimiter(redis) if redis else InMemoryRateLimiter(),
            images=images,
            videos=videos,
            feeds=feeds,
            feed_source=AsyncpgFeedSource(pools.reads),
            overlay=AsyncpgViewerOverlay(pools.reads),
            views=views,
            listings=AsyncpgListings(pools.reads, planned=pools.planned),
            search_pause=PostgresSearchSyncPause(database.engine),
            stream=stream,
            activity=activity,
            checks=checks,
            local_media=local_media,
            job_queue=job_queue,
            relay_outbox=pools.relay,
        )
        if settings.in_process_worker:
            jobs = _open_pools(
                settings,
                url,
                stack,
                write_size=settings.services.database_job_pool_size,
                read_size=max(1, settings.services.database_job_pool_size // 2),
                cipher=cipher,
                clock=clock,
                dispatch=dispatch,
            )
            adapters.job_adapters = replace(
                adapters,
                uow=jobs.uow,
                feed_source=AsyncpgFeedSource(jobs.reads),
                overlay=AsyncpgViewerOverlay(jobs.reads),
                listings=AsyncpgListings(jobs.reads, planned=jobs.planned),
                views=_presented_views(settings, jobs.reads, storage, feed_redis),
                relay_outbox=jobs.relay,
            )
        yield adapters


def _open_activity_log(
    settings: Settings, uow: Callable[[], AppUnitOfWork], stack: AsyncExitStack
) -> BufferedActivityLog:
    """The activity log's writer, flushing in the background until the stack closes (before
    the database it writes to)."""

    async def write(entries: Sequence[ActivityEntry]) -> None:
        async with uow() as work:
            await work.activity.add_many(entries)
            await work.commit()

    activity = BufferedActivityLog(
        write,
        max_entries=settings.activity.activity_buffer_size,
        batch_size=settings.activity.activity_batch_size,
        interval_s=settings.activity.activity_flush_interval_s,
    )
    activity.start()
    stack.push_async_callback(activity.close)
    return activity


async def open_storage(
    settings: Settings, keys: KeyRing, stack: AsyncExitStack, checks: list[DependencyCheck]
) -> tuple[MediaStorage, LocalDiskMediaStorage | None]:
    """The media storage the settings name (MinIO/S3 or the local disk), opened on ``stack``;
    the second item is set when it is the local disk (the app then serves its files)."""
    if settings.services.s3_endpoint:
        minio = MinioMediaStorage(
            endpoint=settings.services.s3_endpoint,
            access_key=settings.services.s3_access_key,
            secret_key=settings.services.s3_secret_key,
            bucket=settings.services.s3_bucket,
            secure=settings.services.s3_secure,
            region=settings.services.s3_region,
            public_endpoint=settings.services.s3_public_endpoint,
        )
        stack.push_async_callback(minio.close)
        checks.append(MinioCheck(minio))
        try:
            await minio.ensure_bucket()
        except Unavailable:  # start anyway: uploads answer 503, readiness says "storage"
            log.warning("MinIO is not reachable at start-up; the bucket is checked when it is")
            waiting = asyncio.create_task(_ensure_bucket_when_back(minio))
            stack.push_async_callback(_cancelled, waiting)
        return minio, None
    local = LocalDiskMediaStorage(
        settings.process.media_dir, base_url=settings.base_url, signing_key=keys.url_signing_key
    )
    stack.push_async_callback(local.close)
    checks.append(LocalDiskCheck(local))
    return local, local


async def _ensure_bucket_when_back(minio: MinioMediaStorage, every_s: float = 5.0) -> None:
    """The bucket made (or found) once MinIO answers again, as start-up would have."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await minio.ensure_bucket()
        except Unavailable:
            continue
        log.info("MinIO reachable again; bucket ready")
        return


async def _cancelled(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def _open_search(
    settings: Settings, database: Database, stack: AsyncExitStack, checks: list[DependencyCheck]
) -> SearchIndex:
    if settings.services.opensearch_url:
        index = OpenSearchIndex(
            settings.services.opensearch_url,
            index_name=f"{settings.services.opensearch_index_prefix}-{settings.services.search_index_name}",
        )
        stack.push_async_callback(index.close)
        checks.append(OpenSearchCheck(index))
        try:
            await index.ensure_index()
        except Exception:  # the API still starts; readiness reports search as down
            log.warning("OpenSearch is not reachable at start-up", exc_info=True)
        return index
    pg_index = PostgresSearchIndex(database.sessions)
    checks.append(PostgresSearchCheck(pg_index))
    return pg_index
