"""Validation of account input: usernames, emails, passwords and profile fields.

Each ``parse_*`` returns the normalized value or raises ``Invalid`` naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from social.domain.accounts.common_passwords import COMMON_PASSWORDS
from social.domain.shared.errors import FieldError, Invalid

__all__ = [
    "AccountLimits",
    "parse_bio",
    "parse_display_name",
    "parse_email",
    "parse_username",
    "parse_website",
    "validate_password",
]

_USERNAME = re.compile(r"[a-z0-9_.]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
_HOSTNAME = re.compile(
    r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}"
)
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "api",
        "explore",
        "me",
        "moderator",
        "root",
        "social",
        "support",
        "system",
        "settings",
        "help",
        "about",
        "login",
        "logout",
        "register",
        "signup",
        "null",
    }
)


@dataclass(frozen=True, slots=True)
class AccountLimits:
    """Lengths the account rules enforce; built from settings."""

    username_min: int = 3
    username_max: int = 30
    password_min: int = 10
    password_max: int = 128
    display_name_max: int = 50
    bio_max: int = 150
    website_max: int = 200
    email_max: int = 254


def parse_username(raw: str, limits: AccountLimits) -> str:
    """Usernames are case-insensitive: stored lower case, ``[a-z0-9_.]``, no edge or double dots."""
    name = raw.strip().lower()
    if not limits.username_min <= len(name) <= limits.username_max:
        raise Invalid.field(
            "username", f"must be {limits.username_min} to {limits.username_max} characters"
        )
    if not _USERNAME.fullmatch(name):
        raise Invalid.field("username", "may contain only letters, digits, '_' and '.'")
    if name.startswith(".") or name.endswith(".") or ".." in name:
        raise Invalid.field("username", "may not start or end with '.' or contain '..'")
    if name in RESERVED_USERNAMES:
        raise Invalid.field("username", "is reserved")
    return name


def parse_email(raw: str, limits: AccountLimits) -> str:
    """Emails are case-insensitive: stored lower case after a shape check."""
    email = raw.strip().lower()
    if len(email) > limits.email_max or not _EMAIL.fullmatch(email):
        raise Invalid.field("email", "is not a valid email address")
    local, _, domain = email.rpartition("@")
    if len(local) > 64 or domain.startswith(".") or ".." in email:
        raise Invalid.field("email", "is not a valid email address")
    return email


def validate_password(
    raw: str, limits: AccountLimits, *, field: str, avoid: tuple[str, ...]
) -> str:
    """Length bounds, not a common password, not the username or email itself."""
    if len(raw) < limits.password_min:
        raise Invalid.field(field, f"must be at least {limits.password_min} characters")
    if len(raw) > limits.password_max:
        raise Invalid.field(field, f"must be at most {limits.password_max} characters")
    folded = raw.casefold()
    if folded in COMMON_PASSWORDS or len(set(folded)) < 4:
        raise Invalid.field(field, "is too common or too easy to guess")
    if any(len(part) >= 4 and part.casefold() in folded for part in avoid):
        raise Invalid.field(field, "must not contain your username or email")
    return raw


def parse_display_name(raw: str, limits: AccountLimits) -> str:
    name = _clean_text(raw, single_line=True)
    if len(name) > limits.display_name_max:
        raise Invalid.field("display_name", f"must be at most {limits.display_name_max} characters")
    return name


def parse_bio(raw: str, limits: AccountLimits) -> str:
    bio = _clean_text(raw, single_line=False)
    if len(bio) > limits.bio_max:
        raise Invalid.field("bio", f"must be at most {limits.bio_max} characters")
    return bio


def parse_website(raw: str, limits: AccountLimits) -> str | None:
    """An http(s) URL to a public host; a bare domain gets ``https://``; empty clears it."""
    url = raw.strip()
    if not url:
        return None
    if "://" not in url:
        url = "https://" + url
    error = FieldError("website", "must be an http or https address like https://example.com")
    if len(url) > limits.website_max:
        raise Invalid.field("website", f"must be at most {limits.website_max} characters")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        _ = parts.port  # raises on a malformed port
    except ValueError:
        raise Invalid(error) from None
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        raise Invalid(error)
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in url):
        raise Invalid(error)
    if not _HOSTNAME.fullmatch(host):
        raise Invalid(error)
    return url


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _clean_text(raw: str, *, single_line: bool) -> str:
    """NFC-normalize, drop control and bidi-override characters (keeping newlines where allowed).

    Format characters such as the zero-width joiner stay: emoji sequences need them.
    """
    text = unicodedata.normalize("NFC", raw)
    keep = "" if single_line else "\n"
    text = "".join(
        ch
        for ch in text
        if ch in keep or (unicodedata.category(ch) != "Cc" and ch not in _BIDI_CONTROLS)
    )
    return text.strip()
