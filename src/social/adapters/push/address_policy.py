"""Where a push may go: the rules shared by the subscription check and the delivery resolver.

A subscription's endpoint is a URL a client chose, and the server posts to it: without these
rules it is a server-side request forgery into the private network (a cloud's metadata service,
an admin port on loopback). The rules refuse by address, after resolution, and a name is refused
when ANY of its addresses is, so a rebinding answer cannot smuggle one private address in.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from social.domain.shared.errors import Invalid

__all__ = [
    "FIELD",
    "Endpoint",
    "IPAddress",
    "Lookup",
    "address_refusal",
    "check_addresses",
    "parse_endpoint",
    "resolve",
    "system_lookup",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Lookup = Callable[[str, int], Awaitable[Sequence[str]]]
"""``(host, port) -> addresses``: the system resolver in production, a stub in tests."""

FIELD = "endpoint"
MAX_ENDPOINT_LENGTH = 2048
LOOKUP_TIMEOUT_S = 5.0

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_UNIQUE_LOCAL = ipaddress.IPv6Network("fc00::/7")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_METADATA_V4 = ipaddress.IPv4Address("169.254.169.254")
_RFC1918 = tuple(
    ipaddress.IPv4Network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
_DOCUMENTATION = tuple(
    ipaddress.ip_network(net)
    for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)
_PROTOCOL_ASSIGNMENTS = ipaddress.IPv4Network("192.0.0.0/24")
_BENCHMARKING = tuple(ipaddress.ip_network(net) for net in ("198.18.0.0/15", "2001:2::/48"))
_METADATA_NAMES = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.azure.internal",
        "metadata.tencentyun.com",
        "metadata.platformequinix.com",
    }
)
_LOCAL_SUFFIXES = ("local", "internal", "localdomain", "home.arpa", "intranet", "lan")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A syntactically allowed endpoint: its host (an address, or a lower-case name without a
    trailing dot) and port."""

    scheme: str
    host: str
    port: int
    address: IPAddress | None
    """The host when it is an address literal (no resolution happens for it)."""


def address_refusal(address: IPAddress, *, allow_loopback: bool) -> str | None:
    """The rule ``address`` breaks, or ``None`` when a push may go there."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return "a scoped (link-local) IPv6 address"
        mapped = address.ipv4_mapped
        if mapped is not None:
            return address_refusal(mapped, allow_loopback=allow_loopback)
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            refused = address_refusal(embedded, allow_loopback=False)
            if refused is not None:
                return refused
    return _direct_refusal(address, allow_loopback=allow_loopback)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-compatible, NAT64 or 6to4 IPv6 address reaches."""
    if address in _IPV4_COMPATIBLE and int(address) > 1:
        return ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    return address.sixtofour


def _direct_refusal(address: IPAddress, *, allow_loopback: bool) -> str | None:
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return None if allow_loopback else "a loopback address"
    if address == _METADATA_V4:
        return "the cloud metadata address"
    if address.is_link_local:
        return "a link-local address"
    if isinstance(address, ipaddress.IPv4Address):
        if address in _CGNAT:
            return "a shared (CGNAT) address"
        if any(address in net for net in _RFC1918):
            return "a private address"
        if address in _PROTOCOL_ASSIGNMENTS:
            return "an IETF protocol assignments address"
    elif address in _UNIQUE_LOCAL:
        return "a unique-local address"
    elif address.is_site_local:
        return "a private (site-local) address"
    if address.is_multicast:
        return "a multicast address"
    if any(address in net for net in _DOCUMENTATION):
        return "a documentation address"
    if any(address in net for net in _BENCHMARKING):
        return "a benchmarking address"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "an address that is not globally reachable"
    if isinstance(address, ipaddress.IPv4Address) and address.is_private:
        return "a private address"
    return None


def _refuse(message: str) -> Invalid:
    return Invalid.field(FIELD, message)


def parse_endpoint(endpoint: str, *, allow_loopback: bool) -> Endpoint:
    """The endpoint's host and port when its form is allowed (https; http only to a loopback
    address when ``allow_loopback``; no user info; no local or metadata names); else ``Invalid``
    naming the rule. Addresses behind a name are for ``resolve``."""
    if len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise _refuse(f"must be at most {MAX_ENDPOINT_LENGTH} characters")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise _refuse("is not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise _refuse("must be an https URL")
    if "@" in parts.netloc:
        raise _refuse("must not carry user info (user:password@)")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise _refuse("has no host")
    address = _address_literal(host)
    if scheme == "http" and not (allow_loopback and address is not None and address.is_loopback):
        raise _refuse("must be an https URL (http is allowed only to loopback in tests)")
    if address is None:
        _check_name(host, allow_loopback=allow_loopback)
    else:
        _raise_if_refused(address, host, allow_loopback=allow_loopback)
    return Endpoint(scheme, host, port or (443 if scheme == "https" else 80), address)


def _address_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if ":" in host or host.replace(".", "").isdigit() or host.startswith("0x"):
        raise _refuse(f"host {host!r} is not a canonical IP address")
    return None


def _check_name(host: str, *, allow_loopback: bool) -> None:
    try:
        host.encode("idna")
    except UnicodeError:
        raise _refuse(f"host {host!r} is not a valid host name") from None
    if host == "localhost" or host.endswith(".localhost"):
        if not allow_loopback:
            raise _refuse(f"host {host!r} is a loopback name")
        return
    if host in _METADATA_NAMES:
        raise _refuse(f"host {host!r} is a cloud metadata service")
    if any(host == suffix or host.endswith("." + suffix) for suffix in _LOCAL_SUFFIXES):
        raise _refuse(f"host {host!r} is a local network name")


def _raise_if_refused(address: IPAddress, host: str, *, allow_loopback: bool) -> None:
    refused = address_refusal(address, allow_loopback=allow_loopback)
    if refused is not None:
        shown = host if _is_literal(host) else f"{host} ({address})"
        raise _refuse(f"{shown} is {refused}; push endpoints must be on a public address")


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_addresses(host: str, addresses: Sequence[str], *, allow_loopback: bool) -> None:
    """``Invalid`` unless every one of ``addresses`` (what ``host`` resolved to) is allowed."""
    if not addresses:
        raise _refuse(f"host {host!r} has no address")
    for text in addresses:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            raise _refuse(f"host {host!r} resolved to {text!r}, not an IP address") from None
        _raise_if_refused(address, host, allow_loopback=allow_loopback)


async def system_lookup(host: str, port: int) -> Sequence[str]:
    """Every address the system resolver gives for ``host`` (TCP), in its order, once each."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def resolve(endpoint: Endpoint, lookup: Lookup, *, allow_loopback: bool) -> Sequence[str]:
    """The endpoint's addresses, all allowed; ``Invalid`` when any is not or none is found."""
    if endpoint.address is not None:
        return [str(endpoint.address)]
    try:
        async with asyncio.timeout(LOOKUP_TIMEOUT_S):
            addresses = await lookup(endpoint.host, endpoint.port)
    except (OSError, TimeoutError) as exc:
        raise _refuse(f"host {endpoint.host!r} could not be resolved ({exc})") from None
    check_addresses(endpoint.host, addresses, allow_loopback=allow_loopback)
    return addresses
