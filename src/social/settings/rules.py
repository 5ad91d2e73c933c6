"""The rules a configuration must keep, each broken one reported as one line naming its
``SOCIAL_*`` variable: checked before anything starts, so a bad value never shows up as a
traceback from deep inside."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import fields
from typing import TYPE_CHECKING, Any, get_type_hints
from urllib.parse import urlsplit

from social.settings.accounts import AccountSettings
from social.settings.errors import env_name
from social.settings.posts import PostSettings

if TYPE_CHECKING:
    from social.settings.root import Settings

__all__ = ["broken_rules"]

_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")

_TIGHTEN_ONLY_MAX = (
    "username_max_length",
    "password_max_length",
    "display_name_max_length",
    "bio_max_length",
    "website_max_length",
    "email_max_length",
    "caption_max_length",
    "post_max_tags",
    "post_max_media",
    "comment_max_length",
)
"""Input limits the API document states and the HTTP edge enforces at their defaults
(``adapters/http/request_limits.py``): a setting may make the domain stricter, never looser."""
_TIGHTEN_ONLY_MIN = ("username_min_length", "password_min_length")
_LIMIT_DEFAULTS: dict[str, Any] = {
    item.name: item.default for group in (AccountSettings, PostSettings) for item in fields(group)
}


def broken_rules(settings: Settings) -> Iterator[str]:
    """One line per setting that breaks its rule, naming the variable and the rule."""

    def bad(name: str, rule: str) -> str:
        value = settings.value_of(name)
        shown = ",".join(value) if isinstance(value, tuple) else value
        return f"{env_name(name)}={shown!r}: {rule}"

    process, services, http = settings.process, settings.services, settings.http
    read_model = settings.read_model
    cached_for = read_model.presented_ttl_s + read_model.presented_local_ttl_s
    if read_model.presented_ttl_s <= 0 or cached_for > read_model.media_url_ttl_s / 2:
        yield (
            f"{env_name('presented_ttl_s')} must be positive and, with "
            f"{env_name('presented_local_ttl_s')}, at most half of {env_name('media_url_ttl_s')}, "
            "so cached media URLs stay valid for long"
        )
    if not 1 <= process.port <= 65535:
        yield bad("port", "must be a port number from 1 to 65535")
    faces = settings.faces
    if faces.face_index not in ("auto", "pgvector", "exact"):
        yield bad("face_index", "must be auto, pgvector or exact")
    if not 0 < faces.face_match_threshold < 2:
        yield bad("face_match_threshold", "must be between 0 and 2")
    if faces.face_max_side < 64 or not 0 <= faces.face_upsample <= 3 or faces.face_processes < 0:
        yield bad("face_max_side", "must be at least 64, with FACE_UPSAMPLE 0-3, PROCESSES >= 0")
    if not 0 <= settings.observability.worker_metrics_port <= 65535:
        yield bad("worker_metrics_port", "must be a port number from 1 to 65535, or 0 for none")
    if not process.host.strip() or any(c in process.host for c in "/ "):
        yield bad("host", "must be a host name or an IP address")
    for name in ("workers", "database_pool_size", "database_read_pool_size"):
        if settings.value_of(name) < 1:
            yield bad(name, "must be at least 1")
    if not 1 <= settings.accounts.export_ttl_days <= 7:  # S3 signs a GET for 7 days at most
        yield bad("export_ttl_days", "must be from 1 to 7 (days)")
    if process.log_level.upper() not in _LOG_LEVELS:
        yield bad("log_level", f"must be one of {', '.join(_LOG_LEVELS)}")
    if services.database_url and not _is_url(services.database_url, {"postgresql+asyncpg"}):
        yield bad("database_url", "must be a postgresql+asyncpg://user:password@host:port/name URL")
    if services.redis_url and not _is_url(services.redis_url, {"redis", "rediss", "unix"}):
        yield bad("redis_url", "must be a redis://host:port/db (or rediss://, unix://) URL")
    if services.opensearch_url and not _is_url(services.opensearch_url, {"http", "https"}):
        yield bad("opensearch_url", "must be an http(s)://host:port URL")
    if http.public_url and not _is_url(http.public_url, {"http", "https"}):
        yield bad("public_url", "must be an http(s)://host[:port][/path] URL")
    oidc = settings.oidc
    if oidc.oidc_issuer and not _is_url(oidc.oidc_issuer, {"http", "https"}):
        yield bad("oidc_issuer", "must be the issuer's http(s) URL")
    if not re.fullmatch(r"[a-z0-9-]{1,64}", oidc.oidc_provider_name) or (
        oidc.oidc_provider_name == "google"
    ):
        yield bad("oidc_provider_name", "must be [a-z0-9-], at most 64, and not 'google'")
    if services.s3_endpoint and not _is_host_port(services.s3_endpoint):
        yield bad("s3_endpoint", "must be host:port, without a scheme or a path")
    endpoint = services.s3_public_endpoint
    if endpoint and not (_is_host_port(endpoint) or _is_url(endpoint, {"http", "https"})):
        yield bad("s3_public_endpoint", "must be host[:port] or http(s)://host[:port]")
    bucket = services.s3_bucket
    if not _BUCKET.fullmatch(bucket) or ".." in bucket or _is_ip(bucket):
        yield bad(
            "s3_bucket",
            "must be an S3 bucket name: 3-63 lowercase letters, digits, '.' and '-', "
            "starting and ending with a letter or digit (no '_', no capitals)",
        )
    for group in (getattr(settings, item.name) for item in fields(settings)):
        hints = _hints(type(group))  # sizes, counts, durations, limits: 0 at most means "none"
        for item in fields(group):
            if hints[item.name] in (int, float) and getattr(group, item.name) < 0:
                yield bad(item.name, "must not be negative")
    for name in _TIGHTEN_ONLY_MAX:  # the API document states the default and the edge keeps it
        if settings.value_of(name) > (default := _LIMIT_DEFAULTS[name]):
            yield bad(name, f"must be at most {default} (the API's limit; lower is fine)")
    for name in _TIGHTEN_ONLY_MIN:
        if settings.value_of(name) < (default := _LIMIT_DEFAULTS[name]):
            yield bad(name, f"must be at least {default} (the API's limit; higher is fine)")
    for name in ("trusted_proxies", "admin_allowed_ips"):
        for block in settings.value_of(name):
            if not _is_network(block):
                yield bad(name, f"must list IP addresses or CIDR blocks, not {block!r}")
    for name, rule in settings.mail.broken_rules():
        yield bad(name, rule)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(group: type) -> dict[str, Any]:
    """A group's field types, resolved once (its annotations are strings)."""
    if (hints := _HINTS.get(group)) is None:
        hints = _HINTS[group] = get_type_hints(group)
    return hints


def _is_url(value: str, schemes: set[str]) -> bool:
    """A URL of one of ``schemes`` with a host (or a unix socket path), and a numeric port."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  # raises on a port that is not a number
    except ValueError:
        return False
    if parts.scheme not in schemes or any(c.isspace() for c in value):
        return False
    if parts.scheme == "unix":
        return bool(parts.path)
    return bool(parts.hostname) or "host=" in parts.query  # postgresql's unix-socket form


def _is_host_port(value: str) -> bool:
    return "://" not in value and "/" not in value and _is_url(f"http://{value}", {"http"})


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_network(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True
