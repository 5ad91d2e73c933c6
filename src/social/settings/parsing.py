"""Turning one ``SOCIAL_*`` string into the type of the field it sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from social.settings.errors import SettingsError, env_name

__all__ = ["convert"]


def convert(name: str, raw: str, annotation: Any) -> Any:
    """``raw`` as field ``name``'s type, or a one-line error naming the variable. Lists are
    comma-separated; an empty boolean is false (or "unset" where the field may be None)."""
    text: Any = raw.strip()
    origin = getattr(annotation, "__origin__", None)
    if origin is tuple:
        text = [item.strip() for item in raw.split(",") if item.strip()]
    elif annotation in (bool, bool | None) and text == "":
        return None if annotation == (bool | None) else False
    try:
        return msgspec.convert(text, annotation, strict=False, dec_hook=_decode_path)
    except msgspec.ValidationError as exc:
        raise SettingsError(f"{env_name(name)}={raw!r}: {exc}") from None


def _decode_path(type_: type, value: Any) -> Any:
    if type_ is Path and isinstance(value, str):
        return Path(value).expanduser()
    raise NotImplementedError
