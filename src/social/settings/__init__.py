"""Typed settings, read once from ``SOCIAL_*`` environment variables.

Every limit the service enforces (rates, sizes, lengths, token lifetimes) lives here with a
default, so operators can tune it without code changes. Unset service URLs select the embedded
adapters: a local PostgreSQL the app manages itself, local disk, PostgreSQL search and in-process
jobs. Fields are grouped by concern (``settings.feed.feed_max_length``), one module a group;
each is still read from ``SOCIAL_<FIELD>``.
"""

from __future__ import annotations

from social.settings.accounts import AccountSettings
from social.settings.activity import ActivitySettings
from social.settings.errors import ENV_PREFIX, SettingsError, env_name
from social.settings.feed import FeedSettings
from social.settings.http import HttpSettings
from social.settings.jobs import JobSettings
from social.settings.media import MediaSettings
from social.settings.observability import ObservabilitySettings
from social.settings.posts import PostSettings
from social.settings.process import ProcessSettings, default_data_dir
from social.settings.rate_limits import RateLimitSettings
from social.settings.read_model import ReadModelSettings
from social.settings.root import FIELD_GROUP, GROUPS, Settings
from social.settings.services import ServiceSettings
from social.settings.stream import StreamSettings

__all__ = [
    "ENV_PREFIX",
    "FIELD_GROUP",
    "GROUPS",
    "AccountSettings",
    "ActivitySettings",
    "FeedSettings",
    "HttpSettings",
    "JobSettings",
    "MediaSettings",
    "ObservabilitySettings",
    "PostSettings",
    "ProcessSettings",
    "RateLimitSettings",
    "ReadModelSettings",
    "ServiceSettings",
    "Settings",
    "SettingsError",
    "StreamSettings",
    "default_data_dir",
    "env_name",
]
