"""Typed settings, read once from ``SOCIAL_*`` environment variables.

Every limit the service enforces (rates, sizes, lengths, token lifetimes) lives here with a
default, so operators can tune it without code changes. Unset service URLs select the embedded
adapters: a local PostgreSQL the app manages itself, local disk, PostgreSQL search and in-process
jobs.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_type_hints
from urllib.parse import urlsplit

import msgspec

__all__ = ["Settings", "SettingsError", "default_data_dir"]

ENV_PREFIX = "SOCIAL_"


class SettingsError(ValueError):
    """A ``SOCIAL_*`` variable holds a value of the wrong shape."""


def default_data_dir() -> Path:
    """Per-user data directory (XDG on Linux), where the embedded mode keeps its state."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "social"


@dataclass(frozen=True, slots=True)
class Settings:
    """All configuration of one social process.

    Field ``foo_bar`` is read from ``SOCIAL_FOO_BAR``. Lists are comma-separated.
    """

    # --- process -------------------------------------------------------------------------------
    environment: Literal["development", "production", "test"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    server: Literal["granian", "uvicorn"] = "granian"
    """The ASGI server of ``social serve``. Granian is the faster HTTP server; uvicorn holds an
    open WebSocket in 43 KB instead of Granian's 172 KB (its WebSocket library reserves a
    128 KiB read buffer per socket), so it suits processes that serve ``/api/v1/stream``."""
    log_level: str = "INFO"
    data_dir: Path = field(default_factory=default_data_dir)
    secret_key: str = ""
    """Master secret (≥ 32 bytes); JWT, email and URL-signing keys are derived from it.
    Empty: a random one is created once in ``data_dir/secret_key``."""
    auto_migrate: bool = False
    """Apply migrations on start-up (always on for the embedded database)."""
    gc_thresholds: tuple[int, int, int] = (50_000, 20, 100)
    """``gc.set_threshold`` for an API process (CPython's default is 700, 10, 10). A full
    collection scans every live object and stops the process: 1.3 s at 10,000 open sockets
    (1.6 million objects), which the default thresholds ran every ~12 s. With a young
    generation of 50,000 short-lived objects die before any collection, so few reach the old
    one and full collections become rare (docs/benchmarks.md, WebSocket stream)."""

    # --- services (empty → embedded adapter) ----------------------------------------------------
    database_url: str = ""
    database_pool_size: int = 20
    """Connections of a process's write pool (units of work: a transaction each)."""
    database_pool_timeout_s: float = 10.0
    database_read_pool_size: int = 10
    """Connections of a process's read pool (the read model: one statement at a time, no
    transaction). An in-process job worker gets ``database_job_pool_size`` of its own, so a
    busy API never starves its jobs."""
    database_job_pool_size: int = 5
    redis_url: str = ""
    s3_endpoint: str = ""
    """host:port of an S3-compatible service (MinIO); empty → media on the local disk."""
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_bucket: str = "social-media"
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    s3_public_endpoint: str = ""
    """Endpoint clients use for presigned URLs when it differs from ``s3_endpoint``."""
    opensearch_url: str = ""
    opensearch_index_prefix: str = "social"
    search_index_name: str = "posts"

    # --- HTTP ----------------------------------------------------------------------------------
    public_url: str = ""
    """Base URL clients reach the API at (for media links); default ``http://host:port``."""
    cors_origins: tuple[str, ...] = ()
    max_json_body_bytes: int = 1_048_576
    max_image_bytes: int = 20 * 1024 * 1024
    max_video_bytes: int = 200 * 1024 * 1024
    max_avatar_bytes: int = 10 * 1024 * 1024
    max_video_seconds: float = 180.0
    storage_quota_bytes: int = 10 * 1024 * 1024 * 1024
    """The most bytes one user's post media may hold (0: no limit): a pending upload counts its
    size, a ready item its renditions. 10 GiB is ~50 videos at the video limit or tens of
    thousands of photos, yet stops one account from filling the bucket (30 uploads a minute
    at 200 MB would otherwise store 6 GB a minute)."""
    caption_max_length: int = 2200
    post_max_tags: int = 30
    post_max_media: int = 10
    media_unattached_grace_s: int = 24 * 3600
    """Uploads no post used within this long are deleted."""
    idempotency_key_ttl_s: int = 24 * 3600
    """How long a repeated ``Idempotency-Key`` returns the first result."""
    image_max_pixels: int = 50_000_000
    """Larger images are refused before decoding (decompression bombs)."""
    image_threads: int = 2
    outbox_relay_after_s: float = 10.0
    """Outbox jobs older than this that are still undispatched are queued by the relay."""
    health_check_timeout_s: float = 2.0

    comment_max_length: int = 1000
    explore_window_s: int = 7 * 24 * 3600
    """Explore ranks the posts of this recent window."""
    trending_window_s: int = 24 * 3600
    """Trending tags count the posts of this recent window."""

    stream_heartbeat_s: float = 25.0
    """WebSocket heartbeat period; the session is checked again at each beat."""
    stream_max_per_user: int = 5
    """Open ``/api/v1/stream`` sockets one user may hold (across processes with Redis); one
    more is closed with 4429."""
    stream_connects_per_minute: int = 30
    """Stream connection attempts per minute, per client IP and per user (over: 4429)."""
    stream_messages_per_minute: int = 120
    """Messages one socket may send per minute (pings); over: closed with 4429."""

    # --- home feeds ----------------------------------------------------------------------------
    feed_max_length: int = 800
    """Entries kept per precomputed feed (older pages are read from the database)."""
    feed_ttl_s: int = 7 * 24 * 3600
    """A stored feed nobody read this long is dropped (rebuilt at its next read)."""
    fan_out_threshold: int = 10_000
    """Authors with more followers are merged into feeds at read time instead of fanned out."""
    fan_out_batch: int = 1000
    """Followers' feeds written per round trip by the fan-out job."""
    feed_large_followees_ttl_s: float = 60.0
    """How long a process remembers which large accounts a viewer follows (a large account
    followed just now joins the feed within this; an unfollow applies at once)."""
    feed_large_entries_ttl_s: float = 1.0
    """How long a process reuses the newest entries of large accounts for first pages (their
    new posts show within this; a deleted one disappears at once)."""

    # --- the read model ------------------------------------------------------------------------
    presented_ttl_s: float = 600.0
    """How long a presented post or account is cached. Media URLs in it are signed for
    ``media_url_ttl_s``, so each URL handed out lives at least the difference."""
    presented_cache_entries: int = 20_000
    """Presentations a process keeps in its memory (about 3 KB each), alone or in front of
    Redis."""
    presented_local_ttl_s: float = 60.0
    """With Redis: how long a process keeps its own copy of a presentation read from Redis."""
    media_url_ttl_s: int = 3600
    """Lifetime of signed media URLs."""

    # --- accounts and tokens -------------------------------------------------------------------
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 30 * 24 * 3600
    jwt_issuer: str = "social"
    jwt_leeway_s: int = 10
    refresh_reuse_grace_s: int = 30
    """A refresh token presented again within this of its rotation (two tabs, a retry) returns
    the same new pair; later, reuse revokes the session."""
    session_cache_ttl_s: float = 5.0
    """How long a process trusts that a session is still active before asking the database."""
    session_cache_shared_ttl_s: float = 60.0
    """The same with Redis, where every revocation is told to every process at once (this is
    then only the bound for one whose message got lost)."""
    email_keys: str = ""
    """Extra email-encryption keys for rotation: ``kid:base64key,kid2:base64key``."""
    email_key_id: str = ""
    """Key id used to encrypt new emails; default: the key derived from ``secret_key`` (``k1``)."""
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 32_768
    argon2_parallelism: int = 1
    argon2_max_threads: int = 4
    username_min_length: int = 3
    username_max_length: int = 30
    password_min_length: int = 10
    password_max_length: int = 128
    display_name_max_length: int = 50
    bio_max_length: int = 150
    website_max_length: int = 200
    email_max_length: int = 254

    # --- rate limits (requests per window, per client IP or user) --------------------------------
    rate_limit_enabled: bool = True
    rate_limit_login: int = 10
    rate_limit_login_window_s: int = 60
    rate_limit_register: int = 5
    rate_limit_register_window_s: int = 60
    rate_limit_refresh: int = 30
    rate_limit_refresh_window_s: int = 60
    rate_limit_window_s: int = 60
    """The window of the per-user classes below."""
    rate_limit_writes: int = 100
    rate_limit_uploads: int = 30
    rate_limit_search: int = 60
    rate_limit_reads: int = 1200
    trusted_proxies: tuple[str, ...] = ()
    """CIDR blocks of our own proxies: only their ``X-Forwarded-For`` is believed."""
    admin_allowed_ips: tuple[str, ...] = ()
    """When set, /admin endpoints answer only these CIDR blocks (others get 403)."""

    # --- API clients and the activity log ----------------------------------------------------
    activity_buffer_size: int = 50_000
    """Activity entries held in memory awaiting their write; when full the oldest are dropped."""
    activity_batch_size: int = 500
    """Entries per write; a full batch is written at once, without waiting for the interval."""
    activity_flush_interval_s: float = 1.0
    """How often the activity buffer is written: about what a crash can lose of the log."""
    activity_retention_days: int = 30
    """Activity entries older than this are deleted by a daily job."""
    client_key_cache_ttl_s: float = 5.0
    """How long a process trusts its lookup of an ``X-Client-Key`` (a revocation elsewhere
    takes effect within this)."""
    usage_cache_ttl_s: float = 30.0
    """How long the admin usage figures are cached in each process."""

    # --- jobs ----------------------------------------------------------------------------------
    run_worker_in_process: bool | None = None
    """Run background jobs inside the API process; default: on when no Redis is configured."""
    job_concurrency: int = 10
    job_heartbeat_s: int = 30
    """A running job is touched every third of this; one left untouched this long (its worker
    was killed) is queued again."""
    job_sweep_s: int = 10
    """How often a worker looks for stuck jobs."""
    worker_metrics_port: int = 0
    """Where ``social worker`` serves its Prometheus metrics (on ``host``); 0: not served."""
    metrics_token: str = ""
    """Bearer token ``/metrics`` asks of the API port's scrapers; empty: not served there."""

    def __post_init__(self) -> None:
        cached_for = self.presented_ttl_s + self.presented_local_ttl_s
        if self.presented_ttl_s <= 0 or cached_for > self.media_url_ttl_s / 2:
            raise SettingsError(
                f"{ENV_PREFIX}PRESENTED_TTL_S must be positive and, with "
                f"{ENV_PREFIX}PRESENTED_LOCAL_TTL_S, at most half of {ENV_PREFIX}MEDIA_URL_TTL_S, "
                "so cached media URLs stay valid for long"
            )
        if problem := next(_broken_rules(self), None):
            raise SettingsError(problem)

    @property
    def uses_embedded_database(self) -> bool:
        return not self.database_url

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def base_url(self) -> str:
        """Where clients reach the API (media, avatar and upload URLs start with it):
        ``public_url``, else the address served, ``host``:``port`` (``social serve`` passes its
        ``--host``/``--port`` on); a wildcard host is reached at the loopback address."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def max_upload_bytes(self) -> int:
        return max(self.max_image_bytes, self.max_video_bytes)

    @property
    def in_process_worker(self) -> bool:
        if self.run_worker_in_process is not None:
            return self.run_worker_in_process
        return not self.redis_url

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read every field from ``SOCIAL_<FIELD>``; ``overrides`` win over the environment."""
        env = os.environ if environ is None else environ
        hints = get_type_hints(cls)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is None or f.name in overrides:
                continue
            values[f.name] = _convert(f.name, raw, hints[f.name])
        values.update(overrides)
        return cls(**values)


def _convert(name: str, raw: str, annotation: Any) -> Any:
    """Turn one environment string into the field's type, with a message naming the variable."""
    text: Any = raw.strip()
    origin = getattr(annotation, "__origin__", None)
    if origin is tuple:
        text = [item.strip() for item in raw.split(",") if item.strip()]
    elif annotation in (bool, bool | None) and text == "":
        return None if annotation == (bool | None) else False
    try:
        return msgspec.convert(text, annotation, strict=False, dec_hook=_decode_path)
    except msgspec.ValidationError as exc:
        raise SettingsError(f"{ENV_PREFIX}{name.upper()}={raw!r}: {exc}") from None


def _url_host(host: str) -> str:
    """``host`` as a URL's host: the loopback address for a wildcard, IPv6 in brackets."""
    if host in ("", "0.0.0.0"):  # noqa: S104  # recognising the wildcard, not binding it
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


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


def _broken_rules(settings: Settings) -> Iterator[str]:
    """One line per setting that breaks its rule, naming the variable and the rule: checked
    before anything starts, so a bad value never shows up as a traceback from deep inside."""

    def bad(name: str, rule: str) -> str:
        value = getattr(settings, name)
        shown = ",".join(value) if isinstance(value, tuple) else value
        return f"{ENV_PREFIX}{name.upper()}={shown!r}: {rule}"

    if not 1 <= settings.port <= 65535:
        yield bad("port", "must be a port number from 1 to 65535")
    if not 0 <= settings.worker_metrics_port <= 65535:
        yield bad("worker_metrics_port", "must be a port number from 1 to 65535, or 0 for none")
    if not settings.host.strip() or any(c in settings.host for c in "/ "):
        yield bad("host", "must be a host name or an IP address")
    for name in ("workers", "database_pool_size", "database_read_pool_size"):
        if getattr(settings, name) < 1:
            yield bad(name, "must be at least 1")
    if settings.log_level.upper() not in _LOG_LEVELS:
        yield bad("log_level", f"must be one of {', '.join(_LOG_LEVELS)}")
    if settings.database_url and not _is_url(settings.database_url, {"postgresql+asyncpg"}):
        yield bad("database_url", "must be a postgresql+asyncpg://user:password@host:port/name URL")
    if settings.redis_url and not _is_url(settings.redis_url, {"redis", "rediss", "unix"}):
        yield bad("redis_url", "must be a redis://host:port/db (or rediss://, unix://) URL")
    if settings.opensearch_url and not _is_url(settings.opensearch_url, {"http", "https"}):
        yield bad("opensearch_url", "must be an http(s)://host:port URL")
    if settings.public_url and not _is_url(settings.public_url, {"http", "https"}):
        yield bad("public_url", "must be an http(s)://host[:port][/path] URL")
    if settings.s3_endpoint and not _is_host_port(settings.s3_endpoint):
        yield bad("s3_endpoint", "must be host:port, without a scheme or a path")
    endpoint = settings.s3_public_endpoint
    if endpoint and not (_is_host_port(endpoint) or _is_url(endpoint, {"http", "https"})):
        yield bad("s3_public_endpoint", "must be host[:port] or http(s)://host[:port]")
    bucket = settings.s3_bucket
    if not _BUCKET.fullmatch(bucket) or ".." in bucket or _is_ip(bucket):
        yield bad(
            "s3_bucket",
            "must be an S3 bucket name: 3-63 lowercase letters, digits, '.' and '-', "
            "starting and ending with a letter or digit (no '_', no capitals)",
        )
    hints = get_type_hints(Settings)
    for item in fields(Settings):  # sizes, counts, durations, limits: 0 at most means "none"
        value = getattr(settings, item.name)
        if hints[item.name] in (int, float) and value < 0:
            yield bad(item.name, "must not be negative")
    defaults = {item.name: item.default for item in fields(Settings)}
    for name in _TIGHTEN_ONLY_MAX:  # the API document states the default and the edge keeps it
        if getattr(settings, name) > defaults[name]:
            yield bad(name, f"must be at most {defaults[name]} (the API's limit; lower is fine)")
    for name in _TIGHTEN_ONLY_MIN:
        if getattr(settings, name) < defaults[name]:
            yield bad(name, f"must be at least {defaults[name]} (the API's limit; higher is fine)")
    for name in ("trusted_proxies", "admin_allowed_ips"):
        for block in getattr(settings, name):
            if not _is_network(block):
                yield bad(name, f"must list IP addresses or CIDR blocks, not {block!r}")


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


def _decode_path(type_: type, value: Any) -> Any:
    if type_ is Path and isinstance(value, str):
        return Path(value).expanduser()
    raise NotImplementedError
