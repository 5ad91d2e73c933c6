"""The ``device`` dependency: the signing-in client as a new session remembers it (AUTH-9), its
``User-Agent`` and its address as the rest of the edge sees it (``X-Forwarded-For`` believed
only from ``SOCIAL_TRUSTED_PROXIES``), made coarse by the domain."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import Provide

from social.adapters.http.client_ip import Networks, client_ip
from social.domain.accounts.devices import Device

__all__ = ["device_dependency"]


def device_dependency(proxies: Networks) -> dict[str, Provide]:
    """``{"device": …}`` for a router's dependencies; only the handlers that name a ``device``
    parameter (sign-up, sign-in) pay for it."""

    def device(request: Request[Any, Any, Any]) -> Device:
        agent = request.headers.get("user-agent")
        return Device.of_client(agent, client_ip(request.scope, proxies))

    return {"device": Provide(device, sync_to_thread=False)}
