"""The root of the settings tree: one frozen group per concern, read from ``SOCIAL_*``.

A field keeps its flat name inside its group (``settings.feed.feed_max_length``) and is read
from ``SOCIAL_<FIELD>`` as before grouping, so no variable changed. ``FIELD_GROUP`` is the alias
table from a field's name to its group; code that thinks in flat names (the environment, tests,
``social serve --port``) goes through ``from_values``/``from_env``/``with_values``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, get_type_hints

from social.settings.accounts import AccountSettings
from social.settings.activity import ActivitySettings
from social.settings.discovery import DiscoverySettings
from social.settings.errors import SettingsError, env_name
from social.settings.events import EventSettings
from social.settings.faces import FaceSettings
from social.settings.feed import FeedSettings
from social.settings.http import HttpSettings
from social.settings.jobs import JobSettings
from social.settings.mail import MailSettings
from social.settings.media import MediaSettings
from social.settings.observability import ObservabilitySettings
from social.settings.oidc import OidcSettings
from social.settings.parsing import convert
from social.settings.posts import PostSettings
from social.settings.process import ProcessSettings
from social.settings.push import PushSettings
from social.settings.rate_limits import RateLimitSettings
from social.settings.read_model import ReadModelSettings
from social.settings.rules import broken_rules
from social.settings.services import ServiceSettings
from social.settings.stream import StreamSettings

__all__ = ["FIELD_GROUP", "GROUPS", "Settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    """All configuration of one social process, grouped by concern.

    Field ``foo_bar`` of any group is read from ``SOCIAL_FOO_BAR``. Lists are comma-separated.
    """

    process: ProcessSettings = field(default_factory=ProcessSettings)
    services: ServiceSettings = field(default_factory=ServiceSettings)
    """Service URLs and pools; an empty URL selects the embedded adapter."""
    http: HttpSettings = field(default_factory=HttpSettings)
    media: MediaSettings = field(default_factory=MediaSettings)
    posts: PostSettings = field(default_factory=PostSettings)
    stream: StreamSettings = field(default_factory=StreamSettings)
    feed: FeedSettings = field(default_factory=FeedSettings)
    read_model: ReadModelSettings = field(default_factory=ReadModelSettings)
    accounts: AccountSettings = field(default_factory=AccountSettings)
    rate_limits: RateLimitSettings = field(default_factory=RateLimitSettings)
    activity: ActivitySettings = field(default_factory=ActivitySettings)
    jobs: JobSettings = field(default_factory=JobSettings)
    observability: ObservabilitySettings = field(default_factory=ObservabilitySettings)
    mail: MailSettings = field(default_factory=MailSettings)
    push: PushSettings = field(default_factory=PushSettings)
    discovery: DiscoverySettings = field(default_factory=DiscoverySettings)
    oidc: OidcSettings = field(default_factory=OidcSettings)
    events: EventSettings = field(default_factory=EventSettings)
    faces: FaceSettings = field(default_factory=FaceSettings)

    def __post_init__(self) -> None:
        if problem := next(broken_rules(self), None):
            raise SettingsError(problem)

    @property
    def base_url(self) -> str:
        """Where clients reach the API (media, avatar and upload URLs start with it):
        ``public_url``, else the address served, ``host``:``port`` (``social serve`` passes its
        ``--host``/``--port`` on); a wildcard host is reached at the loopback address."""
        if self.http.public_url:
            return self.http.public_url.rstrip("/")
        return f"http://{_url_host(self.process.host)}:{self.process.port}"

    @property
    def in_process_worker(self) -> bool:
        """Jobs run inside the API process: as set, else whenever there is no Redis."""
        if self.jobs.run_worker_in_process is not None:
            return self.jobs.run_worker_in_process
        return not self.services.redis_url

    def value_of(self, name: str) -> Any:
        """The value of the field with flat name ``name``, whichever group holds it."""
        return getattr(getattr(self, _group_of(name)), name)

    @classmethod
    def from_values(cls, **values: Any) -> Settings:
        """Settings from flat field names (``port=8001, feed_max_length=50``); the rest default."""
        return cls(**{group: GROUPS[group](**chosen) for group, chosen in _grouped(values).items()})

    def with_values(self, **values: Any) -> Settings:
        """A copy with the fields named flat changed (validated again)."""
        changed = {
            group: replace(getattr(self, group), **chosen)
            for group, chosen in _grouped(values).items()
        }
        return replace(self, **changed)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read every field from ``SOCIAL_<FIELD>``; ``overrides`` (flat names) win over the
        environment."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, group in FIELD_GROUP.items():
            raw = env.get(env_name(name))
            if raw is None or name in overrides:
                continue
            values[name] = convert(name, raw, _GROUP_HINTS[group][name])
        values.update(overrides)
        return cls.from_values(**values)


_ROOT_HINTS = get_type_hints(Settings)
GROUPS: dict[str, type[Any]] = {item.name: _ROOT_HINTS[item.name] for item in fields(Settings)}
"""Each group's attribute on ``Settings`` and its type, in declaration order."""
_GROUP_HINTS = {group: get_type_hints(kind) for group, kind in GROUPS.items()}
FIELD_GROUP: dict[str, str] = {
    item.name: group for group, kind in GROUPS.items() for item in fields(kind)
}
"""The alias table: each field's flat name (``SOCIAL_<NAME>``) → the group that holds it."""
if len(FIELD_GROUP) != sum(len(fields(kind)) for kind in GROUPS.values()) or (
    FIELD_GROUP.keys() & GROUPS.keys()
):  # a flat name must name one field, and never a group, or SOCIAL_<FIELD> would be ambiguous
    raise RuntimeError("settings: a field name is used twice, or as a group name")


def _group_of(name: str) -> str:
    try:
        return FIELD_GROUP[name]
    except KeyError:
        raise TypeError(f"Settings has no field {name!r}") from None


def _grouped(values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    grouped: dict[str, dict[str, Any]] = {}
    for name, value in values.items():
        grouped.setdefault(_group_of(name), {})[name] = value
    return grouped


def _url_host(host: str) -> str:
    """``host`` as a URL's host: the loopback address for a wildcard, IPv6 in brackets."""
    if host in ("", "0.0.0.0"):  # noqa: S104  # recognising the wildcard, not binding it
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host
