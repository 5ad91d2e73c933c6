"""The OIDC client adapter against a provider served in-process on loopback with keys made
here: discovery, the token endpoint's client authentication, the ID token's signature against
the JWKS (refetched when a token names an unknown key), and at_hash with the domain's check."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa

from social.adapters.oidc.client import AiohttpOidcClient, OidcSecrets
from social.domain.accounts.oidc_model import OidcProvider, OidcRefused, check_id_token

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return jwk | {"kid": kid, "use": "sig", "alg": "RS256"}


def at_hash(token: str) -> str:
    digest = hashlib.sha256(token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


@dataclass
class Provider:
    issuer: str = ""
    keys: list[dict[str, Any]] = field(default_factory=list)
    id_token: str = ""
    token_status: int = 200
    seen_auth: list[str] = field(default_factory=list)
    seen_forms: list[dict[str, str]] = field(default_factory=list)
    jwks_fetches: int = 0

    def sign(self, key: rsa.RSAPrivateKey, kid: str, **claims: Any) -> None:
        base = {"iss": self.issuer, "aud": "social", "sub": "u1", "nonce": "n-1"}
        stamp = int(NOW.timestamp())
        body = base | {"iat": stamp, "exp": stamp + 300, "at_hash": at_hash("access-1")} | claims
        self.id_token = jwt.encode(body, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
async def provider() -> AsyncIterator[Provider]:
    state = Provider()

    async def discovery(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": state.issuer,
                "authorization_endpoint": f"{state.issuer}/authorize",
                "token_endpoint": f"{state.issuer}/token",
                "jwks_uri": f"{state.issuer}/jwks",
            }
        )

    async def jwks(request: web.Request) -> web.Response:
        state.jwks_fetches += 1
        return web.json_response({"keys": state.keys})

    async def token(request: web.Request) -> web.Response:
        state.seen_auth.append(request.headers.get("Authorization", ""))
        state.seen_forms.append({k: str(v) for k, v in (await request.post()).items()})
        answer = {"id_token": state.id_token, "access_token": "access-1", "token_type": "Bearer"}
        if state.token_status != 200:
            answer = {"error": "invalid_grant"}
        return web.json_response(answer, status=state.token_status)

    app = web.Application()
    app.router.add_get("/.well-known/openid-configuration", discovery)
    app.router.add_get("/jwks", jwks)
    app.router.add_post("/token", token)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    state.issuer = str(server.make_url("")).rstrip("/")
    try:
        yield state
    finally:
        await server.close()


def client(auth_method: str = "client_secret_basic") -> AiohttpOidcClient:
    return AiohttpOidcClient(OidcSecrets({"idp": "s3cret:/"}, auth_method), jwks_min_refresh_s=0)


def idp(provider: Provider) -> OidcProvider:
    return OidcProvider(name="idp", display_name="IdP", issuer=provider.issuer, client_id="social")


async def redeem(adapter: AiohttpOidcClient, provider: Provider) -> Any:
    return await adapter.exchange(
        idp(provider), code="c", code_verifier="v" * 43, redirect_uri="https://s.example/cb"
    )


async def test_a_signed_token_verifies_and_passes_the_claim_checks(provider: Provider) -> None:
    key = new_key()
    provider.keys = [public_jwk(key, "k1")]
    provider.sign(key, "k1")
    adapter = client()
    url = await adapter.authorization_url(
        idp(provider),
        redirect_uri="https://s.example/cb",
        state="st",
        nonce="n-1",
        code_challenge="ch",
    )
    assert url.startswith(f"{provider.issuer}/authorize?") and "code_challenge_method=S256" in url
    answer = await redeem(adapter, provider)
    identity = check_id_token(
        answer.id_claims,
        issuer=provider.issuer,
        client_id="social",
        nonce="n-1",
        now=NOW,
        leeway=timedelta(seconds=60),
        max_age=timedelta(minutes=10),
        alg=answer.alg,
        access_token=answer.access_token,
    )
    assert identity.subject == "u1"
    assert provider.seen_auth == ["Basic " + base64.b64encode(b"social:s3cret%3A%2F").decode()]
    assert provider.seen_forms[0]["code_verifier"] == "v" * 43


async def test_a_wrong_at_hash_is_refused(provider: Provider) -> None:
    key = new_key()
    provider.keys = [public_jwk(key, "k1")]
    provider.sign(key, "k1", at_hash=at_hash("another-access-token"))
    answer = await redeem(client(), provider)
    with pytest.raises(OidcRefused, match="at_hash"):
        check_id_token(
            answer.id_claims,
            issuer=provider.issuer,
            client_id="social",
            nonce="n-1",
            now=NOW,
            leeway=timedelta(seconds=60),
            max_age=timedelta(minutes=10),
            access_token=answer.access_token,
        )


async def test_a_token_signed_by_another_key_is_refused(provider: Provider) -> None:
    provider.keys = [public_jwk(new_key(), "k1")]
    provider.sign(new_key(), "k1")  # the right kid, the wrong key: a forgery
    with pytest.raises(OidcRefused, match="signature"):
        await redeem(client(), provider)
    provider.sign(new_key(), "unknown")
    with pytest.raises(OidcRefused, match="unknown key"):
        await redeem(client(), provider)


async def test_a_rotated_key_is_fetched_once_when_a_token_names_it(provider: Provider) -> None:
    old, new = new_key(), new_key()
    provider.keys = [public_jwk(old, "k1")]
    provider.sign(old, "k1")
    adapter = client()
    await redeem(adapter, provider)
    await redeem(adapter, provider)
    assert provider.jwks_fetches == 1  # cached
    provider.keys = [public_jwk(old, "k1"), public_jwk(new, "k2")]
    provider.sign(new, "k2")
    assert (await redeem(adapter, provider)).id_claims["sub"] == "u1"
    assert provider.jwks_fetches == 2


async def test_client_secret_post_and_a_refused_code(provider: Provider) -> None:
    key = new_key()
    provider.keys = [public_jwk(key, "k1")]
    provider.sign(key, "k1")
    await redeem(client("client_secret_post"), provider)
    assert provider.seen_auth == [""]
    assert provider.seen_forms[0]["client_secret"] == "s3cret:/"
    provider.token_status = 400
    with pytest.raises(OidcRefused, match="code"):
        await redeem(client(), provider)
