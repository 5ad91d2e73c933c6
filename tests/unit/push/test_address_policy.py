"""The push address policy: which endpoints a subscription may name and a delivery may reach."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence

import pytest

from social.adapters.push.address_policy import Lookup, address_refusal, parse_endpoint
from social.adapters.push.endpoint_guard import PublicEndpointGuard
from social.adapters.push.webpush import GuardedResolver, RefusedAddress
from social.domain.shared.errors import Invalid

REFUSED_ADDRESSES = {
    "127.0.0.1": "loopback",
    "127.8.9.10": "loopback",
    "::1": "loopback",
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "172.31.255.254": "private",
    "192.168.1.1": "private",
    "169.254.1.1": "link-local",
    "169.254.169.254": "metadata",
    "fe80::1": "link-local",
    "100.64.0.1": "CGNAT",
    "100.127.255.254": "CGNAT",
    "fc00::1": "unique-local",
    "fd00:ec2::254": "unique-local",
    "fec0::1": "site-local",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "ff02::1": "multicast",
    "0.0.0.0": "unspecified",  # noqa: S104 (an address refused, not bound)
    "::": "unspecified",
    "0.1.2.3": "not globally reachable",
    "192.0.2.10": "documentation",
    "198.51.100.7": "documentation",
    "203.0.113.99": "documentation",
    "2001:db8::1": "documentation",
    "198.18.0.1": "benchmarking",
    "198.19.255.1": "benchmarking",
    "240.0.0.1": "reserved",
    "255.255.255.255": "reserved",
    "192.0.0.8": "protocol assignments",
    "192.0.0.170": "protocol assignments",
    # IPv6 spellings of refused IPv4 addresses
    "::ffff:127.0.0.1": "loopback",
    "::ffff:10.0.0.1": "private",
    "::ffff:169.254.169.254": "metadata",
    "::ffff:192.168.0.1": "private",
    "::ffff:100.64.0.1": "CGNAT",
    "::10.0.0.1": "private",
    "::169.254.169.254": "metadata",
    "::127.0.0.1": "loopback",
    "::8.8.8.8": "reserved",
    "64:ff9b::a00:1": "private",
    "64:ff9b::a9fe:a9fe": "metadata",
    "2002:c0a8:0101::1": "private",
    "2002:7f00:1::1": "loopback",
    "2001::1": "not globally reachable",
}
PUBLIC_ADDRESSES = ["8.8.8.8", "142.250.74.46", "2a00:1450:4001:82b::200a", "::ffff:8.8.8.8"]


def _address(text: str) -> str:
    return f"[{text}]" if ":" in text else text


@pytest.mark.parametrize(("address", "rule"), REFUSED_ADDRESSES.items())
def test_every_non_public_range_is_refused_by_its_rule(address: str, rule: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_endpoint(f"https://{_address(address)}/push/abc", allow_loopback=False)
    assert refused.value.errors[0].field == "endpoint"
    assert rule in refused.value.message


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_public_addresses_are_allowed(address: str) -> None:
    endpoint = parse_endpoint(f"https://{_address(address)}/push/abc", allow_loopback=False)
    assert endpoint.address == ipaddress.ip_address(address)
    assert (endpoint.scheme, endpoint.port) == ("https", 443)


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "::ffff:127.0.0.1"])
def test_loopback_is_allowed_only_when_asked(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert address_refusal(ip, allow_loopback=True) is None
    assert address_refusal(ip, allow_loopback=False) == "a loopback address"


@pytest.mark.parametrize(
    "address", ["10.0.0.1", "169.254.169.254", "fe80::1", "::ffff:192.168.0.1", "fc00::1"]
)
def test_allow_loopback_keeps_private_and_link_local_refused(address: str) -> None:
    with pytest.raises(Invalid):
        parse_endpoint(f"https://{_address(address)}/", allow_loopback=True)


def test_http_only_to_loopback_and_only_when_allowed() -> None:
    assert parse_endpoint("http://127.0.0.1:8080/p", allow_loopback=True).port == 8080
    for endpoint, allow in [
        ("http://127.0.0.1:8080/p", False),
        ("http://push.example.com/p", True),
        ("http://8.8.8.8/p", True),
    ]:
        with pytest.raises(Invalid, match="https"):
            parse_endpoint(endpoint, allow_loopback=allow)


@pytest.mark.parametrize(
    ("endpoint", "rule"),
    [
        ("ftp://push.example.com/x", "https"),
        ("javascript:alert(1)", "https"),
        ("https://user:pw@push.example.com/x", "user info"),
        ("https://user@push.example.com/x", "user info"),
        ("https:///x", "no host"),
        ("https://push.example.com:99999/x", "valid URL"),
        ("https://localhost/x", "loopback name"),
        ("https://LOCALHOST./x", "loopback name"),
        ("https://api.localhost/x", "loopback name"),
        ("https://metadata.google.internal/x", "metadata"),
        ("https://metadata/x", "metadata"),
        ("https://instance-data/x", "metadata"),
        ("https://db.internal/x", "local network name"),
        ("https://printer.local/x", "local network name"),
        ("https://2130706433/x", "canonical"),
        ("https://127.1/x", "canonical"),
        ("https://0x7f.0.0.1/x", "canonical"),
        ("https://push.example.com/" + "a" * 2100, "at most"),
    ],
)
def test_forms_of_endpoint_that_are_refused(endpoint: str, rule: str) -> None:
    with pytest.raises(Invalid, match=rule):
        parse_endpoint(endpoint, allow_loopback=False)


def test_localhost_names_pass_with_allow_loopback_over_https_only() -> None:
    assert parse_endpoint("https://localhost:8443/x", allow_loopback=True).host == "localhost"
    with pytest.raises(Invalid, match="https"):
        parse_endpoint("http://localhost:8080/x", allow_loopback=True)


def _lookup_answering(*addresses: str) -> tuple[list[str], Lookup]:
    asked: list[str] = []

    async def lookup(host: str, port: int) -> Sequence[str]:
        asked.append(f"{host}:{port}")
        return list(addresses)

    return asked, lookup


async def test_the_guard_refuses_a_public_looking_name_that_resolves_privately() -> None:
    asked, lookup = _lookup_answering("10.20.30.40")
    guard = PublicEndpointGuard(lookup=lookup)
    with pytest.raises(Invalid, match=r"push\.example\.com \(10\.20\.30\.40\) is a private"):
        await guard.check("https://push.example.com/send/abc")
    assert asked == ["push.example.com:443"]


async def test_one_refused_address_among_several_refuses_the_name() -> None:
    _, lookup = _lookup_answering("142.250.74.46", "2a00:1450:4001:82b::200a", "169.254.169.254")
    guard = PublicEndpointGuard(lookup=lookup)
    with pytest.raises(Invalid, match="metadata"):
        await guard.check("https://fcm.example.com/send/abc")


async def test_a_name_resolving_to_public_addresses_passes() -> None:
    asked, lookup = _lookup_answering("142.250.74.46", "2a00:1450:4001:82b::200a")
    guard = PublicEndpointGuard(lookup=lookup)
    await guard.check("https://fcm.example.com:8443/send/abc")
    assert asked == ["fcm.example.com:8443"]


async def test_a_name_that_does_not_resolve_is_invalid_with_a_clear_message() -> None:
    async def failing(host: str, port: int) -> Sequence[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(Invalid, match="could not be resolved"):
        await PublicEndpointGuard(lookup=failing).check("https://nowhere.example.com/x")


async def test_a_name_without_addresses_is_invalid() -> None:
    _, lookup = _lookup_answering()
    with pytest.raises(Invalid, match="no address"):
        await PublicEndpointGuard(lookup=lookup).check("https://empty.example.com/x")


async def test_the_guard_answers_loopback_by_its_setting() -> None:
    await PublicEndpointGuard(allow_loopback=True).check("http://127.0.0.1:9/x")
    with pytest.raises(Invalid, match="loopback"):
        await PublicEndpointGuard().check("https://127.0.0.1:9/x")


async def test_the_delivery_resolver_hands_over_only_checked_addresses() -> None:
    _, lookup = _lookup_answering("142.250.74.46", "2a00:1450:4001:82b::200a")
    resolver = GuardedResolver(allow_loopback=False, lookup=lookup)
    results = await resolver.resolve("fcm.example.com", 443)
    assert [(r["host"], r["family"], r["port"]) for r in results] == [
        ("142.250.74.46", socket.AF_INET, 443),
        ("2a00:1450:4001:82b::200a", socket.AF_INET6, 443),
    ]


async def test_the_delivery_resolver_refuses_a_rebound_name() -> None:
    _, lookup = _lookup_answering("142.250.74.46", "127.0.0.1")
    resolver = GuardedResolver(allow_loopback=False, lookup=lookup)
    with pytest.raises(RefusedAddress, match="loopback"):
        await resolver.resolve("fcm.example.com", 443)
    loopback_ok = GuardedResolver(allow_loopback=True, lookup=lookup)
    assert len(await loopback_ok.resolve("fcm.example.com", 443)) == 2
