"""Every route of both client APIs falls into the class its kind of work calls for, whichever
path it is served at (``/api/v1``, the app API's ``/api/v2``, the ``/_mastodon`` twins)."""

from __future__ import annotations

import pytest

from social.adapters.http.rate_limit import EndpointClasses
from social.domain.shared.rate_limits import RateLimit

CLASSES = EndpointClasses(
    prefix="/api/v1",
    uploads=RateLimit(1, 60),
    search=RateLimit(2, 60),
    writes=RateLimit(3, 60),
    reads=RateLimit(4, 60),
    roots=("/api/v2",),
    twins="/_mastodon",
)


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", "/api/v1/media", "uploads"),
        ("POST", "/api/v2/media", "uploads"),
        ("POST", "/_mastodon/api/v1/media", "uploads"),
        ("PUT", "/api/v1/me/avatar", "uploads"),
        ("PATCH", "/api/v1/accounts/update_credentials", "uploads"),
        ("POST", "/api/v1/events/1/photos", "uploads"),
        ("POST", "/api/v1/events/1/photos/attach", "writes"),
        ("GET", "/api/v2/search", "search"),
        ("GET", "/api/v1/search", "search"),
        ("GET", "/api/v1/accounts/search", "search"),
        ("GET", "/_mastodon/api/v1/tags/cats", "search"),
        ("POST", "/api/v1/statuses", "writes"),
        ("POST", "/api/v1/statuses/1/favourite", "writes"),
        ("POST", "/api/v1/accounts/1/follow", "writes"),
        ("DELETE", "/api/v1/statuses/1", "writes"),
        ("PUT", "/_mastodon/api/v1/media/1", "writes"),
        ("POST", "/_mastodon/api/v1/notifications/clear", "writes"),
        ("GET", "/api/v1/timelines/home", "reads"),
        ("GET", "/api/v2/instance", "reads"),
        ("GET", "/_mastodon/api/v1/notifications", "reads"),
        ("GET", "/api/v1/feed", "reads"),
    ],
)
def test_each_route_has_its_class(method: str, path: str, expected: str) -> None:
    found = CLASSES.classify(method, path)
    assert found is not None and found[0] == expected


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/health/live"),
        ("POST", "/oauth/token"),  # the sign-in rules count it, per IP
        ("GET", "/.well-known/oauth-authorization-server"),
        ("GET", "/_mastodon"),
        ("GET", "/api/v3/anything"),
        ("OPTIONS", "/api/v1/statuses"),
    ],
)
def test_other_requests_are_not_classified(method: str, path: str) -> None:
    assert CLASSES.classify(method, path) is None
