"""The app factory: the HTTP adapters assembled around the composition root."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta
from importlib.metadata import version

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.middleware import DefineMiddleware
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController

from social.adapters.cache.redis_errors import is_outage as is_redis_outage
from social.adapters.http.accounts.controllers import AuthController
from social.adapters.http.accounts.export_controllers import DataExportController
from social.adapters.http.accounts.me_controllers import MeController
from social.adapters.http.accounts.oidc_controllers import OidcController, OidcLinkController
from social.adapters.http.accounts.own_lists_controllers import OwnListsController
from social.adapters.http.accounts.recovery_controllers import (
    AccountRecoveryController,
    EmailVerificationController,
)
from social.adapters.http.accounts.sessions_controllers import SessionController
from social.adapters.http.accounts.two_factor_controllers import TwoFactorController
from social.adapters.http.activity.controllers import ApiClientController, UsageController
from social.adapters.http.activity.middleware import ActivityMiddleware
from social.adapters.http.allow import AllowHeaderMiddleware
from social.adapters.http.client_device import device_dependency
from social.adapters.http.client_ip import Networks
from social.adapters.http.dependencies import HandlerDependencies
from social.adapters.http.discovery.accounts_controllers import SuggestedAccountsController
from social.adapters.http.discovery.posts_controllers import SuggestedPostsController
from social.adapters.http.edge import wrap_edge
from social.adapters.http.errors import exception_handlers
from social.adapters.http.events.controllers import events_controller
from social.adapters.http.events.face_controllers import (
    MyPhotosController,
    face_reference_controller,
)
from social.adapters.http.events.me_controllers import EventCollectionController
from social.adapters.http.feed.controllers import BrowseController
from social.adapters.http.health import HealthController
from social.adapters.http.hostile_input import GuardedRequest
from social.adapters.http.interactions.controllers import (
    CommentController,
    PostInteractionController,
)
from social.adapters.http.media.controllers import media_controller
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.media_files import media_files_router
from social.adapters.http.metrics_access import metrics_token_guard
from social.adapters.http.moderation.controllers import (
    AdminController,
    ReportController,
    admin_allow_list,
)
from social.adapters.http.notifications.controllers import NotificationController
from social.adapters.http.notifications.grouped_controllers import GroupedNotificationController
from social.adapters.http.notifications.push_controllers import PushController
from social.adapters.http.notifications.session_recheck import SessionRecheck
from social.adapters.http.notifications.stream import stream_handler
from social.adapters.http.notifications.upgrade import stream_upgrade_required
from social.adapters.http.openapi import docs_assets_router, openapi_config
from social.adapters.http.posts.controllers import PostController
from social.adapters.http.rate_limit import EndpointClasses, RateLimitMiddleware, auth_rules
from social.adapters.http.search.controllers import SearchController
from social.adapters.http.users.controllers import UserController
from social.adapters.jobs.worker import InProcessWorker, build_worker
from social.adapters.mastodon.dispatch import CollidingPathDispatch
from social.adapters.mastodon.routes import COLLIDING_PREFIX, mastodon_router
from social.adapters.postgres.outages import is_outage as is_database_outage
from social.bootstrap import Adapters, build_use_cases, open_adapters, use_case_types
from social.domain.accounts.authenticate import Authenticate
from social.settings import Settings

__all__ = ["API_PREFIX", "create_app"]

API_PREFIX = "/api/v1"


class MetricsController(PrometheusController):
    path = "/metrics"
    include_in_schema = True  # when mounted; openapi.py describes its text body and token


def create_app(settings: Settings | None = None, adapters: Adapters | None = None) -> Litestar:
    """Build the ASGI app. Without ``adapters`` it opens the ones the settings name when it
    starts (and closes them when it stops); tests pass their own, which they then own."""
    if settings is None:
        settings = adapters.settings if adapters else Settings.from_env()
    resolved = settings

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        gc.set_threshold(*resolved.process.gc_thresholds)
        async with AsyncExitStack() as stack:
            opened: Adapters
            if adapters is not None:
                opened = adapters
            else:
                opened = await stack.enter_async_context(open_adapters(resolved))
            use_cases = build_use_cases(opened)
            app.state.adapters = opened
            app.state.use_cases = use_cases
            app.state.media_presenter = MediaPresenter(
                opened.storage, url_ttl=timedelta(seconds=resolved.read_model.media_url_ttl_s)
            )
            app.state.session_recheck = SessionRecheck(use_cases.get(Authenticate).standing)
            if resolved.in_process_worker and opened.job_queue is not None:
                jobs = opened.job_adapters or opened  # pools of their own when opened here
                worker = InProcessWorker(
                    build_worker(
                        opened.job_queue,
                        use_cases=build_use_cases(jobs) if jobs is not opened else use_cases,
                        concurrency=resolved.jobs.job_concurrency,
                        sweep_s=resolved.jobs.job_sweep_s,
                        relay_outbox=jobs.relay_outbox,
                    )
                )
                worker.start()
                stack.push_async_callback(worker.stop)
            yield

    prometheus = PrometheusConfig(
        app_name="social",
        prefix="social",
        group_path=True,
        exclude=["^/metrics", "^/health", "^/schema", "^/media-files"],
    )
    api = Router(
        path=API_PREFIX,
        dependencies=device_dependency(Networks(settings.http.trusted_proxies)),
        route_handlers=[
            AuthController,
            OidcController,
            OidcLinkController,
            MeController,
            TwoFactorController,
            DataExportController,
            SessionController,
            OwnListsController,
            AccountRecoveryController,
            EmailVerificationController,
            UserController,
            media_controller(settings.media.max_upload_bytes),
            PostController,
            PostInteractionController,
            CommentController,
            BrowseController,
            SearchController,
            NotificationController,
            GroupedNotificationController,
            PushController,
            stream_handler(settings.stream.stream_heartbeat_s),
            stream_upgrade_required,  # a plain GET of the stream's path: 426
            ReportController,
            SuggestedPostsController,
            SuggestedAccountsController,
            events_controller(settings.events.events_max_upload_bytes),
            EventCollectionController,
            MyPhotosController,
            face_reference_controller(settings.media.max_image_bytes),
            Router(
                path="/",
                route_handlers=[AdminController, ApiClientController, UsageController],
                guards=[
                    admin_allow_list(
                        Networks(settings.http.admin_allowed_ips),
                        Networks(settings.http.trusted_proxies),
                    )
                ],
            ),
        ],
    )
    handlers: list[object] = [
        api,
        mastodon_router(settings, is_database_outage, is_redis_outage),
        HealthController,
        docs_assets_router(),
    ]
    if settings.observability.metrics_token:  # else not served on this port (metrics_access.py)
        handlers.append(
            Router(
                path="/",
                route_handlers=[MetricsController],
                guards=[metrics_token_guard(settings.observability.metrics_token)],
            )
        )
    if not settings.services.s3_endpoint:
        handlers.append(
            media_files_router(
                lambda state: state.adapters.local_media,
                max_upload_bytes=settings.media.max_upload_bytes,
            )
        )
    middleware: list[object] = [  # per route; wrap_edge adds what every response needs
        AllowHeaderMiddleware,  # OPTIONS lists every method of the path
        DefineMiddleware(ActivityMiddleware, prefix=API_PREFIX),  # before limits: 429s count
    ]
    if settings.rate_limits.rate_limit_enabled:
        middleware.append(
            DefineMiddleware(
                RateLimitMiddleware,
                rules=auth_rules(settings, API_PREFIX),
                classes=EndpointClasses.from_settings(
                    settings, API_PREFIX, roots=("/api/v2",), twins=COLLIDING_PREFIX
                ),
                proxies=Networks(settings.http.trusted_proxies),
            )
        )
    middleware.append(prometheus.middleware)
    app = Litestar(
        route_handlers=handlers,  # type: ignore[arg-type]
        lifespan=[lifespan],
        plugins=[HandlerDependencies(use_case_types())],
        # the adapters' own judges of a driver error that got past them: the edge imports none
        exception_handlers=exception_handlers(is_database_outage, is_redis_outage),
        middleware=middleware,  # type: ignore[arg-type]
        openapi_config=openapi_config(version("social")),
        cors_config=CORSConfig(allow_origins=list(settings.http.cors_origins))
        if settings.http.cors_origins
        else None,
        request_max_body_size=settings.http.max_json_body_bytes,
        request_class=GuardedRequest,  # JSON bodies decoded under the hostile-input rules
        logging_config=None,  # the process configures JSON logging (social.cli, granian)
        debug=False,
    )
    app.asgi_handler = CollidingPathDispatch(app.asgi_handler)  # app tokens to the app API's twins
    return wrap_edge(app, hsts=settings.base_url.startswith("https://"))
