"""Settings grouped by concern: every ``SOCIAL_*`` variable, those documented in README.md and
those that existed before grouping, is still read, into the group field the codemod names; the
rules still refuse the same values with the same one-line messages."""

# group_settings: skip
from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import fields
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, get_args, get_origin, get_type_hints

import pytest

from social.settings import FIELD_GROUP, GROUPS, Settings, SettingsError, env_name

ROOT = Path(__file__).resolve().parents[2]

_FLAT_VARIABLES = """
    SOCIAL_ENVIRONMENT SOCIAL_HOST SOCIAL_PORT SOCIAL_WORKERS SOCIAL_SERVER SOCIAL_LOG_LEVEL
    SOCIAL_DATA_DIR SOCIAL_SECRET_KEY SOCIAL_AUTO_MIGRATE SOCIAL_GC_THRESHOLDS SOCIAL_DATABASE_URL
    SOCIAL_DATABASE_POOL_SIZE SOCIAL_DATABASE_POOL_TIMEOUT_S SOCIAL_DATABASE_READ_POOL_SIZE
    SOCIAL_DATABASE_JOB_POOL_SIZE SOCIAL_REDIS_URL SOCIAL_S3_ENDPOINT SOCIAL_S3_ACCESS_KEY
    SOCIAL_S3_SECRET_KEY SOCIAL_S3_BUCKET SOCIAL_S3_SECURE SOCIAL_S3_REGION
    SOCIAL_S3_PUBLIC_ENDPOINT SOCIAL_OPENSEARCH_URL SOCIAL_OPENSEARCH_INDEX_PREFIX
    SOCIAL_SEARCH_INDEX_NAME SOCIAL_PUBLIC_URL SOCIAL_CORS_ORIGINS SOCIAL_MAX_JSON_BODY_BYTES
    SOCIAL_MAX_IMAGE_BYTES SOCIAL_MAX_VIDEO_BYTES SOCIAL_MAX_AVATAR_BYTES SOCIAL_MAX_VIDEO_SECONDS
    SOCIAL_STORAGE_QUOTA_BYTES SOCIAL_CAPTION_MAX_LENGTH SOCIAL_POST_MAX_TAGS SOCIAL_POST_MAX_MEDIA
    SOCIAL_MEDIA_UNATTACHED_GRACE_S SOCIAL_IDEMPOTENCY_KEY_TTL_S SOCIAL_IMAGE_MAX_PIXELS
    SOCIAL_IMAGE_THREADS SOCIAL_OUTBOX_RELAY_AFTER_S SOCIAL_HEALTH_CHECK_TIMEOUT_S
    SOCIAL_COMMENT_MAX_LENGTH SOCIAL_EXPLORE_WINDOW_S SOCIAL_TRENDING_WINDOW_S
    SOCIAL_STREAM_HEARTBEAT_S SOCIAL_STREAM_MAX_PER_USER SOCIAL_STREAM_CONNECTS_PER_MINUTE
    SOCIAL_STREAM_MESSAGES_PER_MINUTE SOCIAL_FEED_MAX_LENGTH SOCIAL_FEED_TTL_S
    SOCIAL_FAN_OUT_THRESHOLD SOCIAL_FAN_OUT_BATCH SOCIAL_FEED_LARGE_FOLLOWEES_TTL_S
    SOCIAL_FEED_LARGE_ENTRIES_TTL_S SOCIAL_PRESENTED_TTL_S SOCIAL_PRESENTED_CACHE_ENTRIES
    SOCIAL_PRESENTED_LOCAL_TTL_S SOCIAL_MEDIA_URL_TTL_S SOCIAL_ACCESS_TOKEN_TTL_S
    SOCIAL_REFRESH_TOKEN_TTL_S SOCIAL_JWT_ISSUER SOCIAL_JWT_LEEWAY_S SOCIAL_REFRESH_REUSE_GRACE_S
    SOCIAL_SESSION_CACHE_TTL_S SOCIAL_SESSION_CACHE_SHARED_TTL_S SOCIAL_EMAIL_KEYS
    SOCIAL_EMAIL_KEY_ID SOCIAL_ARGON2_TIME_COST SOCIAL_ARGON2_MEMORY_KIB SOCIAL_ARGON2_PARALLELISM
    SOCIAL_ARGON2_MAX_THREADS SOCIAL_USERNAME_MIN_LENGTH SOCIAL_USERNAME_MAX_LENGTH
    SOCIAL_PASSWORD_MIN_LENGTH SOCIAL_PASSWORD_MAX_LENGTH SOCIAL_DISPLAY_NAME_MAX_LENGTH
    SOCIAL_BIO_MAX_LENGTH SOCIAL_WEBSITE_MAX_LENGTH SOCIAL_EMAIL_MAX_LENGTH
    SOCIAL_RATE_LIMIT_ENABLED SOCIAL_RATE_LIMIT_LOGIN SOCIAL_RATE_LIMIT_LOGIN_WINDOW_S
    SOCIAL_RATE_LIMIT_REGISTER SOCIAL_RATE_LIMIT_REGISTER_WINDOW_S SOCIAL_RATE_LIMIT_REFRESH
    SOCIAL_RATE_LIMIT_REFRESH_WINDOW_S SOCIAL_RATE_LIMIT_WINDOW_S SOCIAL_RATE_LIMIT_WRITES
    SOCIAL_RATE_LIMIT_UPLOADS SOCIAL_RATE_LIMIT_SEARCH SOCIAL_RATE_LIMIT_READS
    SOCIAL_TRUSTED_PROXIES SOCIAL_ADMIN_ALLOWED_IPS SOCIAL_ACTIVITY_BUFFER_SIZE
    SOCIAL_ACTIVITY_BATCH_SIZE SOCIAL_ACTIVITY_FLUSH_INTERVAL_S SOCIAL_ACTIVITY_RETENTION_DAYS
    SOCIAL_CLIENT_KEY_CACHE_TTL_S SOCIAL_USAGE_CACHE_TTL_S SOCIAL_RUN_WORKER_IN_PROCESS
    SOCIAL_JOB_CONCURRENCY SOCIAL_JOB_HEARTBEAT_S SOCIAL_JOB_SWEEP_S SOCIAL_WORKER_METRICS_PORT
    SOCIAL_METRICS_TOKEN
"""
BEFORE_GROUPING = frozenset(_FLAT_VARIABLES.split())
"""Every variable of the flat ``Settings`` (``git show c64bc3c:src/social/settings.py``)."""

VALID_TEXT = {
    "host": "::",
    "log_level": "DEBUG",
    "database_url": "postgresql+asyncpg://app:pw@db.internal:5432/social",
    "redis_url": "redis://redis.internal:6379/2",
    "s3_endpoint": "minio.internal:9000",
    "s3_public_endpoint": "https://media.example",
    "s3_bucket": "other-bucket",
    "opensearch_url": "http://search.internal:9200",
    "public_url": "https://social.example",
    "trusted_proxies": "10.0.0.0/8,192.168.1.1",
    "admin_allowed_ips": "172.16.0.0/12",
    "cors_origins": "https://a.example,https://b.example",
    "gc_thresholds": "1000,5,6",
    "run_worker_in_process": "false",
    "mail_from": "Social <hello@social.example>",
    "smtp_host": "smtp.social.example",
    "oidc_scopes": "openid,email",
    "oidc_provider_name": "corp-sso",
    "oidc_issuer": "https://sso.example/realms/corp",
}
"""Non-default values the rules accept, where a generic one would not do."""

TIGHTEN_ONLY = {name for name in FIELD_GROUP if name.endswith("_max_length")} | {
    "post_max_tags",
    "post_max_media",
    "export_ttl_days",  # at most 7: an S3 presigned GET lasts a week at most
}


def _codemod() -> ModuleType:
    path = ROOT / "scripts" / "codemods" / "group_settings.py"
    spec = importlib.util.spec_from_file_location("group_settings", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("group_settings", module)
    spec.loader.exec_module(module)
    return module


def _documented() -> set[str]:
    """The variables README.md's configuration section documents."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"\bSOCIAL_[A-Z0-9_]*[A-Z0-9]", section))


def _non_default(name: str, annotation: Any, default: Any, tmp_path: Path) -> tuple[str, Any]:
    """A raw variable value other than the default the rules accept, and what it reads as."""
    if name in VALID_TEXT:
        raw = VALID_TEXT[name]
        if get_origin(annotation) is tuple:
            parsed = tuple(int(x) if annotation.__args__[0] is int else x for x in raw.split(","))
            return raw, parsed
        return raw, {"false": False}.get(raw, raw)
    if get_origin(annotation) is Literal:
        choice = next(value for value in get_args(annotation) if value != default)
        return choice, choice
    if annotation is bool:
        return str(not default).lower(), not default
    if annotation is int:
        value = default - 1 if name in TIGHTEN_ONLY else default + 1
        return str(value), value
    if annotation is float:
        return str(default + 0.5), default + 0.5
    if annotation is Path:
        return str(tmp_path / name), tmp_path / name
    assert annotation is str, (name, annotation)
    return f"value-of-{name}", f"value-of-{name}"


def test_every_variable_is_documented_and_none_was_lost() -> None:
    read = {env_name(name) for name in FIELD_GROUP}
    assert set(BEFORE_GROUPING) <= read  # settings added since are documented like the rest
    assert _documented() == read


def test_the_codemods_table_is_the_settings_alias_table() -> None:
    codemod = _codemod()
    # the codemod knows the fields that existed when settings were grouped; later ones are
    # written grouped from the start
    table = {name: group for group, names in codemod.GROUPS.items() for name in names}
    assert table.items() <= FIELD_GROUP.items()
    assert {env_name(name) for name in table} == set(BEFORE_GROUPING)
    assert list(codemod.GROUPS) == [group for group in GROUPS if group in codemod.GROUPS]
    for name, group in codemod.MOVED_PROPERTIES.items():
        assert isinstance(getattr(GROUPS[group], name), property)


def test_every_variable_is_read_into_its_group_field(tmp_path: Path) -> None:
    """All variables at once, each set to a value other than its default: those that existed
    before grouping and those added since."""
    environ: dict[str, str] = {}
    expected: dict[str, Any] = {}
    for kind in GROUPS.values():
        hints = get_type_hints(kind)
        for item in fields(kind):
            default = getattr(kind(), item.name)
            raw, expected[item.name] = _non_default(item.name, hints[item.name], default, tmp_path)
            assert expected[item.name] != default, item.name
            environ[env_name(item.name)] = raw
    assert set(BEFORE_GROUPING) <= set(environ) == {env_name(name) for name in FIELD_GROUP}
    settings = Settings.from_env(environ)
    for name, value in expected.items():
        assert getattr(getattr(settings, FIELD_GROUP[name]), name) == value, name
        assert settings.value_of(name) == value


def test_flat_names_build_and_change_settings(tmp_path: Path) -> None:
    settings = Settings.from_values(port=8001, feed_max_length=50, data_dir=tmp_path)
    assert (settings.process.port, settings.feed.feed_max_length) == (8001, 50)
    assert settings.feed.feed_ttl_s == 7 * 24 * 3600 and settings.base_url.endswith(":8001")
    changed = settings.with_values(redis_url="redis://r:6379/0", fan_out_batch=7)
    assert changed.services.redis_url and changed.feed.fan_out_batch == 7
    assert changed.feed.feed_max_length == 50 and not changed.in_process_worker
    assert Settings.from_env({"SOCIAL_PORT": "9000"}, port=8002).process.port == 8002
    with pytest.raises(TypeError, match="no field 'prot'"):
        Settings.from_values(prot=1)
    with pytest.raises(SettingsError, match="SOCIAL_PORT=0"):
        settings.with_values(port=0)


def test_groups_give_their_contexts_limits() -> None:
    settings = Settings.from_values(
        username_max_length=20, max_video_bytes=5, post_max_media=3, comment_max_length=9
    )
    assert settings.accounts.limits().username_max == 20
    assert settings.media.limits().video_max_bytes == 5
    assert settings.posts.limits().media_max == 3
    assert settings.posts.comment_limits().text_max == 9
    assert settings.feed.limits().max_length == 800


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"SOCIAL_PORT": "abc"}, "SOCIAL_PORT='abc': Expected `int`, got `str`"),
        ({"SOCIAL_PORT": "70000"}, "SOCIAL_PORT=70000: must be a port number from 1 to 65535"),
        (
            {"SOCIAL_WORKER_METRICS_PORT": "-1"},
            "SOCIAL_WORKER_METRICS_PORT=-1: must be a port number from 1 to 65535, or 0 for none",
        ),
        ({"SOCIAL_HOST": "a b"}, "SOCIAL_HOST='a b': must be a host name or an IP address"),
        (
            {"SOCIAL_DATABASE_READ_POOL_SIZE": "0"},
            "SOCIAL_DATABASE_READ_POOL_SIZE=0: must be at least 1",
        ),
        (
            {"SOCIAL_LOG_LEVEL": "LOUD"},
            "SOCIAL_LOG_LEVEL='LOUD': must be one of CRITICAL, ERROR, WARNING, INFO, DEBUG",
        ),
        (
            {"SOCIAL_DATABASE_URL": "postgres//x"},
            "SOCIAL_DATABASE_URL='postgres//x': must be a "
            "postgresql+asyncpg://user:password@host:port/name URL",
        ),
        (
            {"SOCIAL_REDIS_URL": "localhost:6379"},
            "SOCIAL_REDIS_URL='localhost:6379': must be a redis://host:port/db "
            "(or rediss://, unix://) URL",
        ),
        (
            {"SOCIAL_S3_ENDPOINT": "http://minio:9000/"},
            "SOCIAL_S3_ENDPOINT='http://minio:9000/': "
            "must be host:port, without a scheme or a path",
        ),
        (
            {"SOCIAL_S3_BUCKET": "media_files"},
            "SOCIAL_S3_BUCKET='media_files': must be an S3 bucket name: 3-63 lowercase letters, "
            "digits, '.' and '-', starting and ending with a letter or digit "
            "(no '_', no capitals)",
        ),
        (
            {"SOCIAL_STORAGE_QUOTA_BYTES": "-1"},
            "SOCIAL_STORAGE_QUOTA_BYTES=-1: must not be negative",
        ),
        (
            {"SOCIAL_FEED_LARGE_ENTRIES_TTL_S": "-0.5"},
            "SOCIAL_FEED_LARGE_ENTRIES_TTL_S=-0.5: must not be negative",
        ),
        (
            {"SOCIAL_CAPTION_MAX_LENGTH": "5000"},
            "SOCIAL_CAPTION_MAX_LENGTH=5000: must be at most 2200 (the API's limit; lower is fine)",
        ),
        (
            {"SOCIAL_PASSWORD_MIN_LENGTH": "8"},
            "SOCIAL_PASSWORD_MIN_LENGTH=8: must be at least 10 (the API's limit; higher is fine)",
        ),
        (
            {"SOCIAL_TRUSTED_PROXIES": "10.0.0.0/33"},
            "SOCIAL_TRUSTED_PROXIES='10.0.0.0/33': must list IP addresses or CIDR blocks, "
            "not '10.0.0.0/33'",
        ),
        (
            {"SOCIAL_PRESENTED_TTL_S": "3000"},
            "SOCIAL_PRESENTED_TTL_S must be positive and, with SOCIAL_PRESENTED_LOCAL_TTL_S, at "
            "most half of SOCIAL_MEDIA_URL_TTL_S, so cached media URLs stay valid for long",
        ),
        (
            {"SOCIAL_GC_THRESHOLDS": "1000,5"},
            "SOCIAL_GC_THRESHOLDS='1000,5': Expected `array` of length 3, got 2",
        ),
        ({"SOCIAL_SERVER": "gunicorn"}, "SOCIAL_SERVER='gunicorn': Invalid enum value 'gunicorn'"),
        (
            {"SOCIAL_RATE_LIMIT_ENABLED": "maybe"},
            "SOCIAL_RATE_LIMIT_ENABLED='maybe': Expected `bool`, got `str`",
        ),
        (
            {"SOCIAL_PORT": "0", "SOCIAL_STORAGE_QUOTA_BYTES": "-1"},
            "SOCIAL_PORT=0: must be a port number from 1 to 65535",
        ),
    ],
)
def test_a_broken_rule_is_one_line_naming_its_variable(
    environ: dict[str, str], message: str
) -> None:
    """The messages the flat settings gave, word for word."""
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(environ)
    assert str(raised.value) == message


def test_the_codemod_groups_each_access_pattern_once() -> None:
    codemod = _codemod()
    before = """
from social.settings import Settings


def serve(settings: Settings, production: Settings, adapters: Any) -> None:
    resolved = settings
    port = settings.port + self.settings.feed_max_length + self._settings.workers
    ttl = adapters.settings.jwt_issuer, a.settings.max_upload_bytes, state.adapters.settings.host
    bucket = production.s3_bucket, resolved.job_sweep_s, other.port, api_settings(x).port
    built = Settings(environment="test"), Settings(**values), Settings(process=ProcessSettings())
    gc = Settings.from_env({}).gc_thresholds, settings.base_url, settings.uses_embedded_database
    from social.settings.process import ProcessSettings
"""
    after = codemod.rewrite(before)
    assert after == before.replace(
        "settings.port + self.settings.feed_max_length + self._settings.workers",
        "settings.process.port + self.settings.feed.feed_max_length"
        " + self._settings.process.workers",
    ).replace(
        "adapters.settings.jwt_issuer, a.settings.max_upload_bytes, state.adapters.settings.host",
        "adapters.settings.accounts.jwt_issuer, a.settings.media.max_upload_bytes,"
        " state.adapters.settings.process.host",
    ).replace(
        "production.s3_bucket, resolved.job_sweep_s",
        "production.services.s3_bucket, resolved.jobs.job_sweep_s",
    ).replace(
        'Settings(environment="test"), Settings(**values)',
        'Settings.from_values(environment="test"), Settings.from_values(**values)',
    ).replace(
        "Settings.from_env({}).gc_thresholds, settings.base_url, settings.uses_embedded_database",
        "Settings.from_env({}).process.gc_thresholds, settings.base_url,"
        " settings.services.uses_embedded_database",
    )
    assert codemod.rewrite(after) == after
    leftovers = "x = replace(settings, port=1)\ny = getattr(production, name)\nfields(Settings)\n"
    found = codemod.leftovers(leftovers + "production: Settings\n")
    assert sorted(line for line, _ in found) == [1, 2, 3]
