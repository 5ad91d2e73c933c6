"""The subscription-time half of the push address policy (``PushEndpointGuard``).

A subscription passing here may still be refused at delivery: names are resolved again then, and
the delivery connects only to the addresses it checked (see ``webpush.GuardedResolver``).
"""

from __future__ import annotations

from social.adapters.push.address_policy import Lookup, parse_endpoint, resolve, system_lookup

__all__ = ["PublicEndpointGuard"]


class PublicEndpointGuard:
    """Allows https endpoints on public addresses only (and loopback ones, over http too, when
    ``allow_loopback``: tests deliver to a local receiver)."""

    def __init__(self, *, allow_loopback: bool = False, lookup: Lookup | None = None) -> None:
        self._allow_loopback = allow_loopback
        self._lookup = lookup or system_lookup

    async def check(self, endpoint: str) -> None:
        """Return when ``endpoint`` is allowed; raise ``Invalid`` (naming the rule) when not."""
        parsed = parse_endpoint(endpoint, allow_loopback=self._allow_loopback)
        await resolve(parsed, self._lookup, allow_loopback=self._allow_loopback)
