"""The app API's routes, assembled into one router at the root (Mastodon clients call fixed
paths: ``/api/v1/...``, ``/api/v2/...``, ``/oauth/...``, ``/.well-known/...``), with its own
error shape and its own callers."""

from __future__ import annotations

from litestar import Router

from social.adapters.http.errors import Outage
from social.adapters.http.rate_limit import RATE_LIMIT_STYLE
from social.adapters.mastodon.auth import CALLER_DEPENDENCIES
from social.adapters.mastodon.authorize_page import authorize_page
from social.adapters.mastodon.entities import BASE_URL_OPT
from social.adapters.mastodon.errors import mastodon_exception_handlers
from social.adapters.mastodon.instance_controllers import (
    default_images_controller,
    instance_controller,
)
from social.adapters.mastodon.interactions_controllers import INTERACTION_HANDLERS
from social.adapters.mastodon.media_controllers import media_handlers
from social.adapters.mastodon.oauth_controllers import (
    AppController,
    OAuthController,
    OAuthMetadataController,
)
from social.adapters.mastodon.rate_limits import APP_RATE_LIMITS
from social.adapters.mastodon.saved_controllers import SavedController
from social.adapters.mastodon.status_people_controllers import STATUS_PEOPLE_HANDLERS
from social.adapters.mastodon.statuses_read_controllers import StatusReadController
from social.adapters.mastodon.statuses_write_controllers import STATUS_WRITE_HANDLERS
from social.adapters.mastodon.streaming import streaming_handlers
from social.adapters.mastodon.stubs_controllers import StubsController
from social.adapters.mastodon.tags_controllers import tags_controller
from social.adapters.mastodon.timelines_controllers import TimelinesController
from social.settings import Settings

__all__ = ["COLLIDING_PREFIX", "MASTODON_TAG", "mastodon_router"]

MASTODON_TAG = "mastodon"
"""The OpenAPI tag of every app-API operation."""

COLLIDING_PREFIX = "/_mastodon"
"""Where the app API's twins of native paths (``media``, ``notifications``, ``reports``,
``tags/{name}``, ``admin/reports``) are mounted: a request on such a path carrying an app token is
sent here (the dispatcher), JWT and anonymous callers keep the native route."""


def mastodon_router(settings: Settings, *outages: Outage) -> Router:
    handlers: list[object] = []  # each controller module adds its controllers here
    media = settings.media
    handlers += media_handlers(
        media.max_upload_bytes, media.media_upload_wait_s, COLLIDING_PREFIX
    )  # writes: media
    handlers += [*STATUS_WRITE_HANDLERS, *INTERACTION_HANDLERS, *STATUS_PEOPLE_HANDLERS]
    handlers += [AppController, OAuthController, OAuthMetadataController, authorize_page(*outages)]
    handlers += [
        instance_controller(settings),
        default_images_controller(),
        TimelinesController,
        StubsController,
        StatusReadController,
        SavedController,
        tags_controller(COLLIDING_PREFIX),
    ]
    handlers += account_controllers(settings)
    handlers += streaming_handlers(settings.stream.stream_heartbeat_s)
    return Router(
        path="/",
        route_handlers=handlers,  # type: ignore[arg-type]
        dependencies=CALLER_DEPENDENCIES,
        exception_handlers=mastodon_exception_handlers(*outages),
        tags=[MASTODON_TAG],
        opt={
            BASE_URL_OPT: settings.http.public_url.rstrip("/"),
            RATE_LIMIT_STYLE: APP_RATE_LIMITS,  # X-RateLimit-* headers, {"error"} 429s
        },
    )


def account_controllers(settings: Settings) -> list[object]:
    """Accounts, relationships, follow requests, notifications, search and reports (imported
    here: their modules import this one's ``COLLIDING_PREFIX``)."""
    from social.adapters.mastodon.accounts_controllers import AccountController
    from social.adapters.mastodon.credentials_controllers import credentials_controller
    from social.adapters.mastodon.notifications_controllers import NotificationController
    from social.adapters.mastodon.own_lists_controllers import OwnListsController
    from social.adapters.mastodon.relationships_controllers import (
        FollowRequestController,
        RelationshipController,
    )
    from social.adapters.mastodon.reports_controllers import (
        AdminReportController,
        ReportController,
    )
    from social.adapters.mastodon.search_controllers import SearchController
    from social.adapters.mastodon.suggestions_controllers import SuggestionController

    return [
        AccountController,
        credentials_controller(settings.media.max_avatar_bytes),
        RelationshipController,
        FollowRequestController,
        OwnListsController,
        NotificationController,
        SearchController,
        SuggestionController,
        ReportController,
        AdminReportController,
    ]
