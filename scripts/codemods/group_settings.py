"""Codemod: flat ``Settings`` field accesses → grouped ones (``settings.port`` →
``settings.process.port``).

The settings used to be one flat struct; they are now grouped by concern
(``src/social/settings/``). ``GROUPS`` below is the mapping, kept equal to the package's
``FIELD_GROUP`` by ``tests/unit/test_settings.py``; it is spelled out here so the codemod runs
without importing the project and documents where each old field went.

    uv run python scripts/codemods/group_settings.py src tests benchmarks   # rewrite in place
    uv run python scripts/codemods/group_settings.py --check src tests      # exit 1 if it would
    uv run ruff format . && uv run mypy   # then: longer lines rewrapped; mypy finds any miss in src

What it rewrites (idempotent: a group name is never a field name, so a second run finds nothing):

- ``<receiver>.<field>`` where the receiver is the identifier ``settings`` or ``_settings`` at
  the end of any dotted chain (``settings.x``, ``self.settings.x``, ``adapters.settings.x``,
  ``a.settings.x``, ``state.adapters.settings.x``, ``self._settings.x``), or a name the same file
  annotates as ``Settings`` (``production: Settings``, ``s: Settings | None``) or assigns from
  ``Settings.from_env(...)``/``Settings.from_values(...)``/``Settings(...)`` or from another
  settings receiver (``resolved = settings``);
- ``Settings.from_env(...).<field>`` and ``Settings.from_values(...).<field>`` (arguments without
  parentheses);
- ``Settings(<flat keywords or **values>)`` → ``Settings.from_values(...)``.

A file containing the line ``# group_settings: skip`` is left alone (the codemod's own test
holds flat accesses on purpose), as are this file and the settings package.

What it only reports (file:line, to finish by hand): ``replace(<settings>, ...)`` (use
``settings.with_values(...)``), ``getattr(<settings>, ...)`` (use ``settings.value_of(name)``),
``fields(Settings)`` (the fields are now the groups) and ``Settings.<field>``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

GROUPS: dict[str, tuple[str, ...]] = {
    "process": (
        "environment",
        "host",
        "port",
        "workers",
        "server",
        "log_level",
        "data_dir",
        "secret_key",
        "auto_migrate",
        "gc_thresholds",
    ),
    "services": (
        "database_url",
        "database_pool_size",
        "database_pool_timeout_s",
        "database_read_pool_size",
        "database_job_pool_size",
        "redis_url",
        "s3_endpoint",
        "s3_access_key",
        "s3_secret_key",
        "s3_bucket",
        "s3_secure",
        "s3_region",
        "s3_public_endpoint",
        "opensearch_url",
        "opensearch_index_prefix",
        "search_index_name",
    ),
    "http": (
        "public_url",
        "cors_origins",
        "max_json_body_bytes",
        "idempotency_key_ttl_s",
        "trusted_proxies",
        "admin_allowed_ips",
    ),
    "media": (
        "max_image_bytes",
        "max_video_bytes",
        "max_avatar_bytes",
        "max_video_seconds",
        "storage_quota_bytes",
        "media_unattached_grace_s",
        "image_max_pixels",
        "image_threads",
    ),
    "posts": (
        "caption_max_length",
        "post_max_tags",
        "post_max_media",
        "comment_max_length",
        "explore_window_s",
        "trending_window_s",
    ),
    "stream": (
        "stream_heartbeat_s",
        "stream_max_per_user",
        "stream_connects_per_minute",
        "stream_messages_per_minute",
    ),
    "feed": (
        "feed_max_length",
        "feed_ttl_s",
        "fan_out_threshold",
        "fan_out_batch",
        "feed_large_followees_ttl_s",
        "feed_large_entries_ttl_s",
    ),
    "read_model": (
        "presented_ttl_s",
        "presented_cache_entries",
        "presented_local_ttl_s",
        "media_url_ttl_s",
    ),
    "accounts": (
        "access_token_ttl_s",
        "refresh_token_ttl_s",
        "jwt_issuer",
        "jwt_leeway_s",
        "refresh_reuse_grace_s",
        "session_cache_ttl_s",
        "session_cache_shared_ttl_s",
        "email_keys",
        "email_key_id",
        "argon2_time_cost",
        "argon2_memory_kib",
        "argon2_parallelism",
        "argon2_max_threads",
        "username_min_length",
        "username_max_length",
        "password_min_length",
        "password_max_length",
        "display_name_max_length",
        "bio_max_length",
        "website_max_length",
        "email_max_length",
    ),
    "rate_limits": (
        "rate_limit_enabled",
        "rate_limit_login",
        "rate_limit_login_window_s",
        "rate_limit_register",
        "rate_limit_register_window_s",
        "rate_limit_refresh",
        "rate_limit_refresh_window_s",
        "rate_limit_window_s",
        "rate_limit_writes",
        "rate_limit_uploads",
        "rate_limit_search",
        "rate_limit_reads",
    ),
    "activity": (
        "activity_buffer_size",
        "activity_batch_size",
        "activity_flush_interval_s",
        "activity_retention_days",
        "client_key_cache_ttl_s",
        "usage_cache_ttl_s",
    ),
    "jobs": (
        "run_worker_in_process",
        "job_concurrency",
        "job_heartbeat_s",
        "job_sweep_s",
        "outbox_relay_after_s",
    ),
    "observability": ("worker_metrics_port", "metrics_token", "health_check_timeout_s"),
}
"""Each group and the fields (flat names, each read from ``SOCIAL_<FIELD>``) it holds."""

MOVED_PROPERTIES: dict[str, str] = {
    "uses_embedded_database": "services",
    "media_dir": "process",
    "max_upload_bytes": "media",
}
"""Properties of one group moved into it; ``base_url`` and ``in_process_worker`` combine
groups and stay on ``Settings``."""

TARGET: dict[str, str] = {
    name: group for group, names in GROUPS.items() for name in names
} | MOVED_PROPERTIES
"""Old attribute → the group it now lives in."""

SKIP_MARKER = "# group_settings: skip"
_NAMES = "|".join(sorted(TARGET, key=len, reverse=True))
_ACCESS = r"(?<![\w])(?<!social\.)(?P<receiver>{receivers})\.(?P<name>" + _NAMES + r")\b"
_ANNOTATED = re.compile(r"(?<![\w.])(\w+)\s*:\s*(?:\"|')?Settings\b(?!\.)")
_ASSIGNED = re.compile(r"(?<![\w.])(\w+)\s*(?::[^=\n]+)?=\s*Settings(?:\.from_(?:env|values))?\(")
_BUILT = re.compile(
    r"(?P<call>(?<![\w.])Settings\.from_(?:env|values)\([^()]*\))\.(?P<name>" + _NAMES + r")\b"
)
_ALIASED = re.compile(r"^\s*(\w+)\s*=\s*(?:\w+\.)*_?settings[ \t]*(?:#.*)?$", re.MULTILINE)
_FLAT_CONSTRUCTOR = re.compile(r"(?<![\w.])(?<!class )Settings\((?=\s*(?:\*\*|(\w+)\s*=))")


def settings_names(text: str) -> set[str]:
    """Identifiers that hold a ``Settings`` in this file (besides ``settings``/``_settings``)."""
    names = {match[1] for match in _ANNOTATED.finditer(text)}
    names |= {match[1] for match in _ASSIGNED.finditer(text)}
    names |= {match[1] for match in _ALIASED.finditer(text)}
    return names - {"self", "cls"}


def rewrite(text: str) -> str:
    """``text`` with every flat settings access it recognises grouped."""
    receivers = sorted({"settings", "_settings"} | settings_names(text), key=len, reverse=True)
    access = re.compile(_ACCESS.format(receivers="|".join(map(re.escape, receivers))))
    text = access.sub(lambda m: f"{m['receiver']}.{TARGET[m['name']]}.{m['name']}", text)
    text = _BUILT.sub(lambda m: f"{m['call']}.{TARGET[m['name']]}.{m['name']}", text)

    def constructor(match: re.Match[str]) -> str:
        keyword = match[1]
        if keyword is not None and keyword in GROUPS:  # already Settings(process=...): grouped
            return match[0]
        return "Settings.from_values("

    return _FLAT_CONSTRUCTOR.sub(constructor, text)


def leftovers(text: str) -> Iterator[tuple[int, str]]:
    """Lines with flat-settings patterns the codemod cannot rewrite safely."""
    receivers = "|".join(sorted({"settings", "_settings"} | settings_names(text)))
    patterns = [
        (
            rf"(?<![\w.])replace\(\s*(?:\w+\.)*(?:{receivers})\s*,",
            "replace(): use settings.with_values(**flat)",
        ),
        (
            rf"getattr\(\s*(?:\w+\.)*(?:{receivers})\s*,",
            "getattr(): use settings.value_of(name)",
        ),
        (r"fields\(\s*Settings\s*\)", "fields(Settings) lists the groups now"),
        (rf"(?<![\w.])Settings\.(?:{_NAMES})\b", "Settings.<field>: name its group"),
    ]
    for pattern, advice in patterns:
        for match in re.finditer(pattern, text):
            yield text.count("\n", 0, match.start()) + 1, advice


def python_files(paths: list[Path]) -> Iterator[Path]:
    """The ``*.py`` files named or under the directories named, except this codemod, the
    settings package (both speak flat names on purpose) and virtualenvs."""
    for path in paths:
        found = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in found:
            inside = file.resolve().parts
            if (
                file.suffix != ".py"
                or ".venv" in inside
                or file.resolve() == Path(__file__).resolve()
            ):
                continue
            if any(inside[i : i + 2] == ("social", "settings") for i in range(len(inside) - 1)):
                continue
            yield file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("paths", nargs="+", type=Path, help="files or directories (*.py)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if needed")
    arguments = parser.parse_args(argv)
    pending = 0
    for path in python_files(arguments.paths):
        text = path.read_text()
        if SKIP_MARKER in text.splitlines():
            continue
        new = rewrite(text)
        if new != text:
            pending += 1
            print(f"{'would rewrite' if arguments.check else 'rewrote'} {path}")
            if not arguments.check:
                path.write_text(new)
        for number, advice in leftovers(new):
            print(f"{path}:{number}: by hand: {advice}", file=sys.stderr)
    return 1 if arguments.check and pending else 0


if __name__ == "__main__":
    sys.exit(main())
