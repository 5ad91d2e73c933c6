"""Access tokens that are not exactly ours are refused (AUTH-3)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest

from social.adapters.security.keys import KeyRing
from tests.api.conftest import Api, bearer
from tests.conftest import TEST_SECRET

JWT_KEY = KeyRing.from_secret(TEST_SECRET).jwt_key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, JWT_KEY, algorithms=["HS256"], issuer="social")
    return claims


def tampered(token: str) -> str:
    header, _, signature = token.split(".")
    claims = _claims(token) | {"role": "admin"}
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


def expired(token: str) -> str:
    now = int(time.time())
    return jwt.encode(
        _claims(token) | {"iat": now - 3600, "exp": now - 60}, JWT_KEY, algorithm="HS256"
    )


def alg_none(token: str) -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(_claims(token)).encode())}."


def wrong_key(token: str) -> str:
    return jwt.encode(_claims(token), b"another-key-that-is-32-bytes-long!!", algorithm="HS256")


def other_algorithm(token: str) -> str:
    return jwt.encode(_claims(token), JWT_KEY, algorithm="HS512")


def missing_session(token: str) -> str:
    claims = _claims(token)
    del claims["sid"]
    return jwt.encode(claims, JWT_KEY, algorithm="HS256")


def garbage(token: str) -> str:
    return "not.a.jwt"


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize(
    "forge", [tampered, expired, alg_none, wrong_key, other_algorithm, missing_session, garbage]
)
async def test_forged_or_stale_tokens_get_401(api: Api, forge: Any) -> None:
    token = await api.token_for("alice")
    assert (await api.client.get("/api/v1/me", headers=bearer(token))).status_code == 200
    response = await api.client.get("/api/v1/me", headers=bearer(forge(token)))
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["", "Bearer", "Basic dXNlcjpwYXNz", "Token abc"])
async def test_missing_or_malformed_authorization_gets_401(api: Api, header: str) -> None:
    response = await api.client.get(
        "/api/v1/me", headers={"Authorization": header} if header else {}
    )
    assert response.status_code == 401


async def test_a_bad_token_on_an_anonymous_route_is_still_401(api: Api) -> None:
    await api.register("alice")
    assert (await api.client.get("/api/v1/users/alice")).status_code == 200
    response = await api.client.get("/api/v1/users/alice", headers=bearer("not.a.jwt"))
    assert response.status_code == 401


def test_a_remembered_token_is_checked_again_at_expiry_and_forgeries_never_pass() -> None:
    """Verified tokens are remembered by their text until they expire (plus the leeway)."""
    from datetime import UTC, datetime, timedelta
    from uuid import uuid4

    from social.adapters.security.jwt_issuer import JwtTokenIssuer
    from social.domain.shared.errors import AuthenticationFailed
    from social.domain.shared.identity import Role

    now = [time.time()]
    issuer = JwtTokenIssuer(
        key=JWT_KEY, issuer="social", ttl=timedelta(seconds=60), leeway_s=5, clock=lambda: now[0]
    )
    token, _ = issuer.issue_access_token(
        user_id=uuid4(), role=Role.USER, session_id=uuid4(), now=datetime.now(UTC)
    )
    first = issuer.verify_access_token(token)
    assert issuer.verify_access_token(token) is first  # remembered, not decoded again
    for forged in (tampered(token), token + "x", token[:-2]):
        for _ in range(2):
            with pytest.raises(AuthenticationFailed):
                issuer.verify_access_token(forged)
    now[0] += 64  # inside the leeway: still good
    assert issuer.verify_access_token(token) is first
    now[0] += 2  # past exp + leeway: forgotten and checked again, by the same clock
    with pytest.raises(AuthenticationFailed):
        issuer.verify_access_token(token)
