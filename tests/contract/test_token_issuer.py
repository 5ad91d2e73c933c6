"""One suite for the ``TokenIssuer`` port, on the fake and on HS256 JWTs: an access token
verifies to the claims it was issued with until its expiry (by the clock the issuer takes, a
remembered token included), a changed claim, another key or a missing claim is refused, a given
``jti`` makes the same token again, and refresh successors depend on the key. Then what only a
JWT can be asked: another algorithm, ``alg: none``, another issuer, the remaining claims."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import uuid4

import jwt
import pytest

from social.adapters.security.jwt_issuer import JwtTokenIssuer
from social.domain.accounts.ports import AccessClaims, TokenIssuer
from social.domain.shared.errors import AuthenticationFailed
from social.domain.shared.identity import Role
from tests.fakes.accounts import FakeTokenIssuer
from tests.fakes.shared import MutableClock

TTL_S = 900
KEY = b"the-contract-suite-signing-key-32-bytes!"
OTHER_KEY = b"another-signing-key-of-32-bytes-or-more"


@dataclass
class Tokens:
    """An issuer on a clock the test moves, and how to make tokens it did not issue."""

    clock: MutableClock
    make: Callable[[bytes], TokenIssuer]
    """An issuer on the same clock signing with the given key."""
    claims: Callable[[str], dict[str, Any]]
    """A token's claims, unverified."""
    sign: Callable[[dict[str, Any]], str]
    """A token of these claims signed with ``KEY``."""
    tamper: Callable[[str, dict[str, Any]], str]
    """The token with claims changed and its signature kept."""

    @property
    def issuer(self) -> TokenIssuer:
        return self.make(KEY)


def _fake(clock: MutableClock) -> Tokens:
    def claims(token: str) -> dict[str, Any]:
        return dict(pair.split("=", 1) for pair in token.split("|")[1:-1])

    def tamper(token: str, changes: dict[str, Any]) -> str:
        changed = FakeTokenIssuer(clock, key=KEY).sign(claims(token) | changes)
        return f"{changed.rpartition('|')[0]}|{token.rpartition('|')[2]}"

    return Tokens(
        clock,
        lambda key: FakeTokenIssuer(clock, ttl_s=TTL_S, key=key),
        claims,
        lambda values: FakeTokenIssuer(clock, key=KEY).sign(values),
        tamper,
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(clock: MutableClock) -> Tokens:
    def claims(token: str) -> dict[str, Any]:
        found: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
        return found

    def tamper(token: str, changes: dict[str, Any]) -> str:
        header, _, signature = token.split(".")
        return f"{header}.{_b64(json.dumps(claims(token) | changes).encode())}.{signature}"

    return Tokens(
        clock,
        lambda key: JwtTokenIssuer(
            key=key,
            issuer="social",
            ttl=timedelta(seconds=TTL_S),
            leeway_s=0,
            clock=lambda: clock.now().timestamp(),
        ),
        claims,
        lambda values: jwt.encode(values, KEY, algorithm="HS256"),
        tamper,
    )


@pytest.fixture(params=["fake", "jwt"])
def tokens(request: pytest.FixtureRequest) -> Tokens:
    clock = MutableClock()
    return _fake(clock) if request.param == "fake" else _jwt(clock)


def issue(tokens: Tokens, issuer: TokenIssuer | None = None, **given: Any) -> str:
    token, lifetime = (issuer or tokens.issuer).issue_access_token(
        user_id=given.get("user_id", uuid4()),
        role=given.get("role", Role.USER),
        session_id=given.get("session_id", uuid4()),
        now=tokens.clock.now(),
        token_id=given.get("token_id"),
    )
    assert lifetime == TTL_S
    return token


@pytest.mark.parametrize("role", list(Role))
def test_a_token_verifies_to_the_claims_it_was_issued_with(tokens: Tokens, role: Role) -> None:
    user_id, session_id = uuid4(), uuid4()
    token = issue(tokens, user_id=user_id, session_id=session_id, role=role, token_id="t-1")
    assert tokens.issuer.verify_access_token(token) == AccessClaims(
        user_id, session_id, role, "t-1", tokens.clock.now() + timedelta(seconds=TTL_S)
    )


def test_a_given_token_id_makes_the_same_token_and_none_a_new_one(tokens: Tokens) -> None:
    user_id, session_id = uuid4(), uuid4()
    same = [issue(tokens, user_id=user_id, session_id=session_id, token_id="j") for _ in "ab"]
    assert same[0] == same[1]
    fresh = [issue(tokens, user_id=user_id, session_id=session_id) for _ in "ab"]
    ids = {tokens.issuer.verify_access_token(token).token_id for token in fresh}
    assert len(ids) == 2


def test_a_token_expires_by_the_issuers_clock(tokens: Tokens) -> None:
    token = issue(tokens)
    issuer = tokens.issuer
    claims = issuer.verify_access_token(token)
    tokens.clock.advance(seconds=TTL_S - 1)
    assert issuer.verify_access_token(token) == claims  # remembered or not, still good
    assert tokens.issuer.verify_access_token(token) == claims
    tokens.clock.advance(seconds=1)
    for verifier in (issuer, tokens.issuer):  # one that saw it before, and a fresh one
        with pytest.raises(AuthenticationFailed):
            verifier.verify_access_token(token)


def test_a_token_issued_long_ago_is_refused(tokens: Tokens) -> None:
    token = issue(tokens)
    tokens.clock.advance(days=30)
    with pytest.raises(AuthenticationFailed):
        tokens.issuer.verify_access_token(token)


@pytest.mark.parametrize(
    "changes",
    [{"role": "admin"}, {"sub": str(uuid4())}, {"sid": str(uuid4())}, {"jti": "other"}],
    ids=["role", "sub", "sid", "jti"],
)
def test_a_changed_claim_is_refused(tokens: Tokens, changes: dict[str, Any]) -> None:
    token = issue(tokens)
    issuer = tokens.issuer
    issuer.verify_access_token(token)
    forged = tokens.tamper(token, changes)
    assert forged != token
    with pytest.raises(AuthenticationFailed):
        issuer.verify_access_token(forged)


def test_a_later_expiry_is_refused(tokens: Tokens) -> None:
    token = issue(tokens)
    later = tokens.tamper(token, {"exp": int(tokens.claims(token)["exp"]) + 86_400})
    tokens.clock.advance(seconds=TTL_S)
    with pytest.raises(AuthenticationFailed):
        tokens.issuer.verify_access_token(later)


def test_another_key_is_refused(tokens: Tokens) -> None:
    theirs = issue(tokens, tokens.make(OTHER_KEY))
    tokens.make(OTHER_KEY).verify_access_token(theirs)  # good where it came from
    with pytest.raises(AuthenticationFailed):
        tokens.issuer.verify_access_token(theirs)


@pytest.mark.parametrize("claim", ["sub", "sid", "role", "exp", "jti"])
def test_every_claim_is_required(tokens: Tokens, claim: str) -> None:
    values = tokens.claims(issue(tokens))
    tokens.issuer.verify_access_token(tokens.sign(values))  # re-signed whole: still good
    del values[claim]
    with pytest.raises(AuthenticationFailed):
        tokens.issuer.verify_access_token(tokens.sign(values))


@pytest.mark.parametrize(
    "changes",
    [{"role": "emperor"}, {"sub": "not-a-uuid"}, {"sid": ""}, {"exp": "soon"}],
    ids=["role", "sub", "sid", "exp"],
)
def test_a_signed_claim_of_the_wrong_shape_is_refused(
    tokens: Tokens, changes: dict[str, Any]
) -> None:
    values = tokens.claims(issue(tokens)) | changes
    with pytest.raises(AuthenticationFailed):
        tokens.issuer.verify_access_token(tokens.sign(values))


@pytest.mark.parametrize("garbage", ["", "not.a.jwt", "access|", "|||", "a" * 10_000])
def test_garbage_is_refused(tokens: Tokens, garbage: str) -> None:
    with pytest.raises(AuthenticationFailed):
        tokens.issuer.verify_access_token(garbage)


def test_refresh_successors_are_derived_with_the_key(tokens: Tokens) -> None:
    issuer, other = tokens.issuer, tokens.make(OTHER_KEY)
    successor = issuer.successor_refresh_token("refresh-1")
    assert successor == tokens.issuer.successor_refresh_token("refresh-1")  # a repeat: the same
    assert successor not in ("refresh-1", issuer.successor_refresh_token("refresh-2"))
    assert successor != other.successor_refresh_token("refresh-1")


@pytest.fixture
def jwt_tokens() -> Tokens:
    return _jwt(MutableClock())


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
def test_jwt_another_algorithm_with_the_same_key_is_refused(
    jwt_tokens: Tokens, algorithm: str
) -> None:
    """JWT only: verification pins HS256."""
    values = jwt_tokens.claims(issue(jwt_tokens))
    with pytest.raises(AuthenticationFailed):
        jwt_tokens.issuer.verify_access_token(jwt.encode(values, KEY, algorithm=algorithm))


def test_jwt_alg_none_is_refused(jwt_tokens: Tokens) -> None:
    values = jwt_tokens.claims(issue(jwt_tokens))
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    with pytest.raises(AuthenticationFailed):
        jwt_tokens.issuer.verify_access_token(f"{header}.{_b64(json.dumps(values).encode())}.")


@pytest.mark.parametrize("claim", ["iat", "iss"])
def test_jwt_issued_at_and_issuer_are_required_too(jwt_tokens: Tokens, claim: str) -> None:
    values = jwt_tokens.claims(issue(jwt_tokens))
    del values[claim]
    with pytest.raises(AuthenticationFailed):
        jwt_tokens.issuer.verify_access_token(jwt_tokens.sign(values))


def test_jwt_another_issuer_or_a_future_issue_time_is_refused(jwt_tokens: Tokens) -> None:
    values = jwt_tokens.claims(issue(jwt_tokens))
    for changes in ({"iss": "elsewhere"}, {"iat": values["iat"] + 60}):
        with pytest.raises(AuthenticationFailed):
            jwt_tokens.issuer.verify_access_token(jwt_tokens.sign(values | changes))
