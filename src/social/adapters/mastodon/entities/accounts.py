"""``Account``: the cached native presentation of an account translated once into the fixed
part of Mastodon's object; what varies (privacy, counters) is written per response."""

from __future__ import annotations

from html import escape
from typing import NamedTuple

import msgspec

from social.adapters.http.presenting import AccountContentOut
from social.adapters.mastodon.entities.html import text_html
from social.adapters.mastodon.entities.times import rfc3339
from social.adapters.mastodon.entities.urls import Urls
from social.domain.reads.model import AccountState

__all__ = ["AccountParts", "account_json", "account_parts", "json_text"]

_decode = msgspec.json.Decoder(AccountContentOut).decode
_encode = msgspec.json.encode
_PRIVACY = (
    b'"locked":false,"discoverable":true,"indexable":true',
    b'"locked":true,"discoverable":false,"indexable":false',
)


def json_text(text: str) -> bytes:
    """A string's JSON form without its quotes (to splice into a longer string)."""
    return _encode(text)[1:-1]


class AccountParts(NamedTuple):
    """What a presentation translates to: the object's fixed head (no closing brace), and the
    pieces statuses and mentions reuse."""

    head: bytes
    id: str
    username: str
    profile_url: bytes
    """JSON-escaped, without quotes."""
    uri: bytes
    """JSON-escaped, without quotes."""


def account_parts(presented: bytes, urls: Urls) -> AccountParts:
    """A pure function of the presentation (and the server's base URL)."""
    content = _decode(presented + b"}")
    username = content.username
    avatar = content.avatar
    avatar_url = (avatar.url if avatar and avatar.status == "ready" else None) or None
    profile, uri = urls.profile(username), urls.account_uri(username)
    fields = []
    if content.website:
        fields.append(
            {"name": "Website", "value": _website_html(content.website), "verified_at": None}
        )
    head = _encode(
        {
            "id": str(content.id),
            "username": username,
            "acct": username,
            "display_name": content.display_name,
            "note": text_html(content.bio, urls.tag, urls.profile),
            "url": profile,
            "uri": uri,
            "avatar": avatar_url or urls.default_avatar,
            "avatar_static": avatar_url or urls.default_avatar,
            "header": urls.default_header,
            "header_static": urls.default_header,
            "bot": False,
            "group": False,
            "created_at": rfc3339(content.created_at),
            "last_status_at": None,
            "fields": fields,
            "emojis": [],
        }
    )[:-1]
    return AccountParts(head, str(content.id), username, json_text(profile), json_text(uri))


def _website_html(website: str) -> str:
    """A link for an http(s) address, escaped text otherwise (never a ``javascript:`` href)."""
    shown = escape(website.split("://", 1)[-1].rstrip("/"))
    if not website.lower().startswith(("https://", "http://")):
        return shown
    rel = "nofollow noopener noreferrer me"
    return f'<a href="{escape(website)}" rel="{rel}" target="_blank">{shown}</a>'


def account_json(parts: AccountParts, state: AccountState) -> bytes:
    """The whole ``Account`` object."""
    return b'%b,%b,"followers_count":%d,"following_count":%d,"statuses_count":%d}' % (
        parts.head,
        _PRIVACY[state.is_private],
        state.followers_count,
        state.following_count,
        state.posts_count,
    )
