"""What a session remembers of the device that signed in (AUTH-9): its user agent and a coarse
address, enough for the owner to tell their devices apart and too coarse to locate anyone."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

__all__ = ["MAX_USER_AGENT", "Device", "coarse_ip"]

MAX_USER_AGENT = 256
"""Characters of the ``User-Agent`` kept: enough for any real browser or app, and a client
cannot make the session rows grow with a huge header."""

_IPV4_PREFIX = 24
_IPV6_PREFIX = 48


@dataclass(frozen=True, slots=True)
class Device:
    """The signing-in client as a session stores it: ``ip`` is already coarse (a network such
    as ``203.0.113.0/24``), ``None`` when the address is not known."""

    user_agent: str = ""
    ip: str | None = None

    @classmethod
    def of_client(cls, user_agent: str | None, address: str | None) -> Device:
        """From the raw ``User-Agent`` and client address: control characters dropped, the
        agent cut to ``MAX_USER_AGENT`` characters, the address made coarse."""
        agent = "".join(c for c in (user_agent or "") if c.isprintable()).strip()
        return cls(user_agent=agent[:MAX_USER_AGENT], ip=coarse_ip(address))


def coarse_ip(address: str | None) -> str | None:
    """The network of ``address``: IPv4 to its /24, IPv6 to its /48 (an IPv4-mapped IPv6
    address counts as IPv4); ``None`` for anything that is not an IP address."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = _IPV4_PREFIX if ip.version == 4 else _IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
