"""The push endpoint guard's contract, on the fake the API and unit tests use and on the real
``PublicEndpointGuard``: what the fake allows, the real guard allows; what it refuses, the real
guard refuses too. Names resolve through a stub (a public address), so no test reaches DNS."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from social.adapters.push.endpoint_guard import PublicEndpointGuard
from social.domain.notifications.push_ports import PushEndpointGuard
from social.domain.shared.errors import Invalid
from tests.fakes.push import FakePushEndpointGuard


async def _public(host: str, port: int) -> Sequence[str]:
    return ["93.184.215.14"]


@pytest.fixture(params=["fake", "real"])
def guard(request: pytest.FixtureRequest) -> PushEndpointGuard:
    if request.param == "fake":
        return FakePushEndpointGuard()
    return PublicEndpointGuard(lookup=_public)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/xyz",
        "https://93.184.215.14/push/1",
    ],
)
async def test_https_endpoints_on_public_addresses_are_allowed(
    guard: PushEndpointGuard, endpoint: str
) -> None:
    await guard.check(endpoint)


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/abc",  # not https
        "ftp://push.example.net/x",
        "https://127.0.0.1/push",  # loopback
        "https://localhost/push",
        "https://10.0.0.7/push",  # private
        "https://192.168.1.20/push",
        "https://169.254.169.254/latest/meta-data",  # link-local: cloud metadata
        "https://[::1]/push",
        "https://[fc00::1]/push",  # unique local
    ],
)
async def test_other_endpoints_are_refused_naming_the_endpoint(
    guard: PushEndpointGuard, endpoint: str
) -> None:
    with pytest.raises(Invalid) as refused:
        await guard.check(endpoint)
    assert [error.field for error in refused.value.errors] == ["endpoint"]
