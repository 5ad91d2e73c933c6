"""The ``OidcClient`` port over aiohttp and PyJWT.

Discovery documents are cached per issuer (``discovery_ttl_s``); each provider's JWKS is
cached and fetched again when a token names a key id it does not hold (key rotation), at most
once per ``jwks_min_refresh_s``. The ID token's signature is verified here; its claims are
judged by the domain (``check_id_token``) with the application's clock.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
import jwt

from social.domain.accounts.oidc_model import OidcProvider, OidcRefused
from social.domain.accounts.oidc_ports import OidcTokens
from social.domain.shared.errors import Unavailable

__all__ = ["AiohttpOidcClient", "OidcSecrets"]

_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]


@dataclass(frozen=True, slots=True)
class OidcSecrets:
    """Each provider's client secret by provider name, and how it is sent to the token
    endpoint: ``client_secret_basic`` (HTTP Basic) or ``client_secret_post`` (form fields)."""

    secrets: Mapping[str, str]
    auth_method: str = "client_secret_basic"


@dataclass(slots=True)
class _Keys:
    keys: dict[str, jwt.PyJWK] = field(default_factory=dict)
    fetched_at: float = 0.0


class AiohttpOidcClient:
    def __init__(
        self,
        secrets: OidcSecrets,
        *,
        timeout_s: float = 10.0,
        discovery_ttl_s: float = 3600.0,
        jwks_min_refresh_s: float = 30.0,
    ) -> None:
        self._secrets = secrets
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._discovery_ttl_s = discovery_ttl_s
        self._jwks_min_refresh_s = jwks_min_refresh_s
        self._discovery: dict[str, tuple[float, dict[str, Any]]] = {}
        self._keys: dict[str, _Keys] = {}
        self._lock = asyncio.Lock()

    async def authorization_url(
        self,
        provider: OidcProvider,
        *,
        redirect_uri: str,
        state: str,
        nonce: str,
        code_challenge: str,
    ) -> str:
        endpoint = str((await self._document(provider))["authorization_endpoint"])
        query = urlencode(
            {
                "response_type": "code",
                "client_id": provider.client_id,
                "redirect_uri": redirect_uri,
                "scope": " ".join(provider.scopes),
                "state": state,
                "nonce": nonce,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    async def exchange(
        self, provider: OidcProvider, *, code: str, code_verifier: str, redirect_uri: str
    ) -> OidcTokens:
        document = await self._document(provider)
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        secret = self._secrets.secrets.get(provider.name, "")
        headers = {}
        if self._secrets.auth_method == "client_secret_post":
            form |= {"client_id": provider.client_id, "client_secret": secret}
        else:  # RFC 6749 2.3.1: each part form-encoded, then Basic
            pair = f"{quote(provider.client_id, safe='')}:{quote(secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        status, body = await self._call(
            "POST", str(document["token_endpoint"]), data=form, headers=headers
        )
        if status != 200 or not isinstance(body.get("id_token"), str):
            raise OidcRefused("The provider did not accept this sign-in (the code is not valid).")
        id_token: str = body["id_token"]
        access = body.get("access_token")
        claims, alg = await self._verified(provider, document, id_token)
        return OidcTokens(
            id_claims=claims, alg=alg, access_token=access if isinstance(access, str) else None
        )

    async def userinfo(self, provider: OidcProvider, access_token: str) -> Mapping[str, Any]:
        endpoint = (await self._document(provider)).get("userinfo_endpoint")
        if not endpoint:
            return {}
        headers = {"Authorization": f"Bearer {access_token}"}
        status, body = await self._call("GET", str(endpoint), headers=headers)
        return body if status == 200 else {}

    async def _verified(
        self, provider: OidcProvider, document: Mapping[str, Any], id_token: str
    ) -> tuple[dict[str, Any], str]:
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as exc:
            raise OidcRefused("The ID token is malformed.") from exc
        alg = str(header.get("alg", ""))
        if alg not in _ALGORITHMS:
            raise OidcRefused("The ID token is not signed with an accepted algorithm.")
        key = await self._key(provider, str(document["jwks_uri"]), header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key=key,
                algorithms=[alg],
                options={  # claims are the domain's to judge, with its clock
                    "verify_aud": False,
                    "verify_iss": False,
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.PyJWTError as exc:
            raise OidcRefused("The ID token's signature is not valid.") from exc
        return claims, alg

    async def _key(self, provider: OidcProvider, jwks_uri: str, kid: Any) -> jwt.PyJWK:
        cached = self._keys.setdefault(provider.issuer, _Keys())
        found = self._pick(cached, kid)
        if found is None and time.monotonic() - cached.fetched_at >= self._jwks_min_refresh_s:
            status, body = await self._call("GET", jwks_uri)
            if status != 200:
                raise Unavailable("The provider's keys cannot be read.", dependency="oidc")
            keys: dict[str, jwt.PyJWK] = {}
            for index, data in enumerate(body.get("keys", [])):
                if data.get("use", "sig") != "sig":
                    continue
                try:
                    keys[str(data.get("kid", f"#{index}"))] = jwt.PyJWK(data)
                except jwt.PyJWTError:
                    continue  # a key type this library cannot use: never ours to trust
            cached.keys, cached.fetched_at = keys, time.monotonic()
            found = self._pick(cached, kid)
        if found is None:
            raise OidcRefused("The ID token is signed with an unknown key.")
        return found

    @staticmethod
    def _pick(cached: _Keys, kid: Any) -> jwt.PyJWK | None:
        if kid is not None:
            return cached.keys.get(str(kid))
        return next(iter(cached.keys.values())) if len(cached.keys) == 1 else None

    async def _document(self, provider: OidcProvider) -> dict[str, Any]:
        async with self._lock:
            cached = self._discovery.get(provider.issuer)
            if cached is not None and time.monotonic() - cached[0] < self._discovery_ttl_s:
                return cached[1]
            url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
            status, body = await self._call("GET", url)
            required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
            if status != 200 or any(not body.get(name) for name in required):
                raise Unavailable("The sign-in provider cannot be reached.", dependency="oidc")
            if body["issuer"] != provider.issuer:  # OIDC Discovery 4.3
                raise Unavailable("The sign-in provider names another issuer.", dependency="oidc")
            self._discovery[provider.issuer] = (time.monotonic(), body)
            return body

    async def _call(self, method: str, url: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.request(method, url, **kwargs) as response,
            ):
                body = await response.json(content_type=None)
                return response.status, body if isinstance(body, dict) else {}
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as exc:
            raise Unavailable("The sign-in provider cannot be reached.", dependency="oidc") from exc
