"""OAuth scopes of the client-app API: what a token may do, and who holds it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from social.domain.shared.errors import Forbidden, Invalid
from social.domain.shared.identity import Viewer

__all__ = [
    "TOP_SCOPES",
    "AppCaller",
    "InsufficientScope",
    "covers",
    "known_scopes",
    "parse_scopes",
]

TOP_SCOPES = frozenset({"read", "write", "follow", "push", "profile"})
"""The scopes a token may hold; ``read``/``write`` also come in ``read:statuses`` form."""

_SUB_SCOPES = {
    "read": {
        "accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists",
        "mutes", "notifications", "search", "statuses",
    },
    "write": {
        "accounts", "blocks", "bookmarks", "conversations", "favourites", "filters",
        "follows", "lists", "media", "mutes", "notifications", "reports", "statuses",
    },
}  # fmt: skip

_FOLLOW = frozenset(
    {"read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes"}
)
"""What the legacy ``follow`` scope grants (as on Mastodon)."""


class InsufficientScope(Forbidden):
    code = "insufficient-scope"


def parse_scopes(text: str | None, *, default: str = "read") -> frozenset[str]:
    """Space-separated scopes (``+`` too, as some clients send); unknown ones are a 422."""
    words = (text or default).replace("+", " ").split()
    unknown = [word for word in words if not _known(word)]
    if unknown:
        raise Invalid.field("scope", f"Unknown scope: {' '.join(sorted(unknown))}.")
    return frozenset(words or default.split())


def known_scopes() -> list[str]:
    """Every scope a token may hold, top-level ones first (the metadata document lists them)."""
    subs = [f"{top}:{sub}" for top, names in sorted(_SUB_SCOPES.items()) for sub in sorted(names)]
    return [*sorted(TOP_SCOPES), *subs]


def _known(scope: str) -> bool:
    if scope in TOP_SCOPES:
        return True
    top, _, sub = scope.partition(":")
    return sub in _SUB_SCOPES.get(top, ())


def covers(granted: Iterable[str], needed: str) -> bool:
    """Whether ``granted`` allows ``needed`` (``read`` covers ``read:statuses``; ``follow``
    covers the follow, block and mute sub-scopes)."""
    held = frozenset(granted)
    if needed in held:
        return True
    top = needed.partition(":")[0]
    return top in held or ("follow" in held and needed in _FOLLOW)


@dataclass(frozen=True, slots=True)
class AppCaller:
    """Who calls through an OAuth access token: the app it was issued to, its scopes and the
    account it acts for (``None`` for a client-credentials token: the app alone)."""

    app_id: UUID | None
    scopes: frozenset[str]
    viewer: Viewer | None

    def require(self, scope: str) -> Viewer:
        """The viewer, if the token holds ``scope`` and acts for an account."""
        self.check(scope)
        if self.viewer is None:
            raise Forbidden("This method requires an authenticated user.")
        return self.viewer

    def check(self, scope: str) -> None:
        if not covers(self.scopes, scope):
            raise InsufficientScope(f"This action is outside the authorized scopes ({scope}).")
