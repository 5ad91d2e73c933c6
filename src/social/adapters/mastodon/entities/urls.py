"""The absolute URLs of this server that Mastodon entities carry. There are no HTML pages:
profile, status and tag URLs follow Mastodon's shapes (``/@alice``, ``/@alice/<id>``,
``/tags/cats``) so clients recognise mentions and hashtags in ``content`` by their links; the
default avatar and header images are served (``images_controllers``)."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["DEFAULT_AVATAR_PATH", "DEFAULT_HEADER_PATH", "Urls"]

DEFAULT_AVATAR_PATH = "/mastodon/default-avatar.png"
DEFAULT_HEADER_PATH = "/mastodon/default-header.png"


class Urls:
    """URLs under one base (``https://social.example``, no trailing slash)."""

    __slots__ = ("base", "default_avatar", "default_header")

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.default_avatar = self.base + DEFAULT_AVATAR_PATH
        self.default_header = self.base + DEFAULT_HEADER_PATH

    def profile(self, username: str) -> str:
        return f"{self.base}/@{quote(username, safe='')}"

    def account_uri(self, username: str) -> str:
        return f"{self.base}/users/{quote(username, safe='')}"

    def tag(self, name: str) -> str:
        return f"{self.base}/tags/{quote(name, safe='')}"

    def status(self, username: str, status_id: str) -> str:
        return f"{self.profile(username)}/{status_id}"

    def status_uri(self, username: str, status_id: str) -> str:
        return f"{self.account_uri(username)}/statuses/{status_id}"
