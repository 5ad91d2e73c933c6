"""App access tokens for the client-app API tests: an app registered and the password grant
run over HTTP, as Mastodon.py's ``create_app`` and ``log_in`` do."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import PASSWORD, Api

__all__ = ["app_token", "register_app"]


async def register_app(
    api: Api,
    name: str = "test app",
    scopes: str = "read write follow push",
    redirect_uris: str = "urn:ietf:wg:oauth:2.0:oob",
) -> dict[str, Any]:
    """A registered app: its Application entity with ``client_id`` and ``client_secret``."""
    response = await api.client.post(
        "/api/v1/apps",
        data={"client_name": name, "scopes": scopes, "redirect_uris": redirect_uris},
    )
    assert response.status_code == 200, response.text
    app: dict[str, Any] = response.json()
    return app


async def app_token(api: Api, username: str, scopes: str = "read write follow push") -> str:
    """An access token of a new app for ``username`` (who must exist: ``api.register``),
    holding ``scopes``."""
    app = await register_app(api, scopes=scopes)
    response = await api.client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "username": username,
            "password": PASSWORD,
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": scopes,
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
        },
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token
