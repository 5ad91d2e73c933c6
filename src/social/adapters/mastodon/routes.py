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
from social.adapters.mastodon.oauth_controllers import (
    AppController,
    OAuthController,
    OAuthMetadataController,
)
from social.adapters.mastodon.rate_limits import APP_RATE_LIMITS
from social.adapters.mastodon.saved_controllers import SavedController
from social.adapters.mastodon.statuses_read_controllers import StatusReadController
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
