"""The error a bad ``SOCIAL_*`` value raises, and the prefix every variable name shares."""

from __future__ import annotations

__all__ = ["ENV_PREFIX", "SettingsError", "env_name"]

ENV_PREFIX = "SOCIAL_"


class SettingsError(ValueError):
    """A ``SOCIAL_*`` variable holds a value of the wrong shape."""


def env_name(field: str) -> str:
    """The variable a settings field is read from: field ``foo_bar`` of any group is
    ``SOCIAL_FOO_BAR``, as it was before the fields were grouped (operators notice nothing)."""
    return ENV_PREFIX + field.upper()
