"""The client's address, believing ``X-Forwarded-For`` only from the proxies we run.

Behind a load balancer every request arrives from the balancer's address; it says who the client
was in ``X-Forwarded-For``. Anyone can send that header, so it counts only when the peer is one
of the configured proxies, and then the rightmost address that is not a proxy is the client
(each proxy appends the peer it saw; the leftmost entries are whatever the client claimed).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from litestar.types import Scope

__all__ = ["Networks", "client_ip"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Networks:
    """A set of CIDR blocks (``10.0.0.0/8``, ``127.0.0.1``) to test addresses against."""

    def __init__(self, blocks: Iterable[str]) -> None:
        self._blocks: tuple[Network, ...] = tuple(
            ipaddress.ip_network(block.strip(), strict=False) for block in blocks if block.strip()
        )

    def __bool__(self) -> bool:
        return bool(self._blocks)

    def __contains__(self, address: str) -> bool:
        return _contains(self._blocks, address)


@lru_cache(maxsize=4096)
def _contains(blocks: tuple[Network, ...], address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in block for block in blocks)


def client_ip(scope: Scope, proxies: Networks) -> str:
    client = scope.get("client")
    peer = client[0] if client else "unknown"
    if not proxies or peer not in proxies:
        return peer
    for name, value in scope.get("headers", []):
        if name == b"x-forwarded-for":
            hops = [hop.strip() for hop in value.decode("latin-1").split(",") if hop.strip()]
            for hop in reversed(hops):
                if hop not in proxies:
                    return hop
            return hops[0] if hops else peer
    return peer
