"""The OAuth rules on fakes: PKCE S256, codes used once and before they expire, the redirect
URI matched exactly, a token's scopes within its app's, the password grant closed to
two-factor accounts, revoked and ended tokens refused, client-credentials tokens acting for
nobody, and app tokens as sessions of their account."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from typing import Any

import pytest

from social.domain.accounts.app_scopes import InsufficientScope
from social.domain.accounts.authorize_app import CODE_TTL, AuthorizeRequest
from social.domain.accounts.devices import Device
from social.domain.accounts.grant_token import TokenRequest
from social.domain.accounts.model import AccountStatus
from social.domain.accounts.oauth_model import (
    OOB_REDIRECT,
    OAuthError,
    RegisteredApp,
    parse_redirect_uris,
    pkce_matches,
)
from social.domain.accounts.register_app import RegisterAppCommand
from social.domain.shared.errors import AuthenticationFailed, Forbidden, Invalid
from tests.unit.harness import PASSWORD, Accounts

CALLBACK = "https://app.example/cb"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  # RFC 7636, appendix B
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_pkce_s256_is_rfc_7636() -> None:
    assert pkce_matches(VERIFIER, CHALLENGE)
    assert not pkce_matches(VERIFIER[:-1] + "l", CHALLENGE)
    assert not pkce_matches("short", base64.urlsafe_b64encode(b"x").decode())
    long = "a" * 129
    digest = hashlib.sha256(long.encode()).digest()
    assert not pkce_matches(long, base64.urlsafe_b64encode(digest).rstrip(b"=").decode())
    assert not pkce_matches(CHALLENGE, CHALLENGE)  # "plain" is not accepted


def test_redirect_uris() -> None:
    assert parse_redirect_uris([]) == (OOB_REDIRECT,)
    assert parse_redirect_uris([f"{CALLBACK}\nmyapp://cb\n{CALLBACK}"]) == (CALLBACK, "myapp://cb")
    for bad in ("javascript:alert(1)", "data:text/html,x", "/relative", "https:///x", "a b:c"):
        with pytest.raises(Invalid):
            parse_redirect_uris([bad])


async def app(accounts: Accounts, scopes: str = "read write follow push") -> RegisteredApp:
    registered: RegisteredApp = await accounts.register_app.execute(
        RegisterAppCommand(name="Tusky", redirect_uris=[CALLBACK, OOB_REDIRECT], scopes=scopes)
    )
    return registered


def grant(app_: RegisteredApp, grant_type: str = "password", **fields: Any) -> TokenRequest:
    values: dict[str, Any] = {
        "grant_type": grant_type,
        "client_id": app_.app.client_id,
        "client_secret": app_.client_secret,
        "username": "alice",
        "password": PASSWORD,
        "scope": "read",
        "redirect_uri": CALLBACK,
        "device": Device("Tusky/1", "203.0.113.0/24"),
    }
    return TokenRequest(**(values | fields))


async def refused(accounts: Accounts, request: TokenRequest) -> str:
    with pytest.raises(OAuthError) as error:
        await accounts.grant_token.execute(request)
    return error.value.error


async def code_for(accounts: Accounts, app_: RegisteredApp, **extra: Any) -> str:
    user = next(u for u in accounts.store.users.values() if u.username == "alice")
    ask = await accounts.check_authorization.execute(
        AuthorizeRequest(client_id=app_.app.client_id, redirect_uri=CALLBACK, **extra)
    )
    code: str = await accounts.approve_authorization.execute(user.id, ask)
    return code


async def test_a_code_works_once_before_it_expires_with_its_verifier(accounts: Accounts) -> None:
    await accounts.sign_up()
    tusky = await app(accounts)
    pkce = {"code_challenge": CHALLENGE, "code_challenge_method": "S256", "scope": "read write"}
    code = await code_for(accounts, tusky, **pkce)
    token = await accounts.grant_token.execute(
        grant(tusky, "authorization_code", code=code, code_verifier=VERIFIER, scope=None)
    )
    assert token.scopes == {"read", "write"}
    assert await refused(
        accounts, grant(tusky, "authorization_code", code=code, code_verifier=VERIFIER)
    ) == ("invalid_grant")
    code = await code_for(accounts, tusky, **pkce)
    accounts.clock.advance(seconds=CODE_TTL.total_seconds())
    expired = grant(tusky, "authorization_code", code=code, code_verifier=VERIFIER)
    assert await refused(accounts, expired) == "invalid_grant"
    code = await code_for(accounts, tusky, **pkce)
    no_verifier = grant(tusky, "authorization_code", code=code)
    assert await refused(accounts, no_verifier) == "invalid_grant"
    spent = grant(tusky, "authorization_code", code=code, code_verifier=VERIFIER)
    assert await refused(accounts, spent) == "invalid_grant"  # the failed try spent it


async def test_public_clients_need_pkce_and_the_redirect_uri_must_match(
    accounts: Accounts,
) -> None:
    await accounts.sign_up()
    tusky = await app(accounts)
    code = await code_for(accounts, tusky)
    public = grant(tusky, "authorization_code", code=code, client_secret=None)
    assert await refused(accounts, public) == "invalid_client"
    code = await code_for(accounts, tusky)
    moved = grant(tusky, "authorization_code", code=code, redirect_uri=OOB_REDIRECT)
    assert await refused(accounts, moved) == "invalid_grant"
    code = await code_for(accounts, tusky, code_challenge=CHALLENGE, code_challenge_method="S256")
    public = grant(
        tusky, "authorization_code", code=code, client_secret=None, code_verifier=VERIFIER
    )
    assert (await accounts.grant_token.execute(public)).access_token
    with pytest.raises(OAuthError):
        await accounts.check_authorization.execute(
            AuthorizeRequest(client_id=tusky.app.client_id, redirect_uri=CALLBACK + "/")
        )
    other = await app(accounts)
    code = await code_for(accounts, tusky)
    stolen = grant(
        other,
        "authorization_code",
        code=code,
    )
    assert await refused(accounts, stolen) == "invalid_grant"


async def test_scopes_stay_within_the_apps(accounts: Accounts) -> None:
    await accounts.sign_up()
    reader = await app(accounts, scopes="read")
    assert await refused(accounts, grant(reader, scope="read write")) == "invalid_scope"
    assert await refused(accounts, grant(reader, scope="admin")) == "invalid_scope"
    token = await accounts.grant_token.execute(grant(reader, scope="read:statuses"))
    caller = await accounts.authenticate_app.execute(token.access_token)
    caller.require("read:statuses")
    with pytest.raises(InsufficientScope):
        caller.require("read:notifications")
    with pytest.raises(OAuthError):
        await accounts.check_authorization.execute(
            AuthorizeRequest(client_id=reader.app.client_id, redirect_uri=CALLBACK, scope="push")
        )


async def test_password_grant_rules(accounts: Accounts) -> None:
    user, _, _ = await accounts.sign_up()
    tusky = await app(accounts)
    assert await refused(accounts, grant(tusky, password="wrong")) == "invalid_grant"
    assert await refused(accounts, grant(tusky, client_secret="nope")) == "invalid_client"
    by_email = await accounts.grant_token.execute(grant(tusky, username="Alice@Example.com"))
    assert "." not in by_email.access_token and len(by_email.access_token) >= 43
    accounts.store.users[user.id] = replace(user, two_factor_enabled=True)
    assert await refused(accounts, grant(tusky)) == "invalid_grant"
    accounts.store.users[user.id] = replace(user, status=AccountStatus.SUSPENDED)
    assert await refused(accounts, grant(tusky)) == "invalid_grant"


async def test_an_app_token_is_a_session_of_its_account(accounts: Accounts) -> None:
    user, _, viewer = await accounts.sign_up()
    tusky = await app(accounts)
    token = await accounts.grant_token.execute(grant(tusky))
    caller = await accounts.authenticate_app.execute(token.access_token)
    assert caller.viewer is not None and caller.viewer.user_id == user.id
    assert caller.app_id == tusky.app.id and caller.scopes == {"read"}
    listed = await accounts.list_sessions.execute(viewer)
    assert ("Tusky (app)", "203.0.113.0/24") in [(s.user_agent, s.ip) for s in listed]
    accounts.clock.advance(days=3650)  # app tokens do not expire, and the purge keeps them
    await accounts.purge.execute()
    assert (await accounts.authenticate_app.execute(token.access_token)).viewer == caller.viewer
    await accounts.revoke_other_sessions.execute(viewer)  # sign out everywhere else
    with pytest.raises(AuthenticationFailed):
        await accounts.authenticate_app.execute(token.access_token)


async def test_revocation_and_suspension_end_a_token(accounts: Accounts) -> None:
    user, _, _ = await accounts.sign_up()
    tusky = await app(accounts)
    first = await accounts.grant_token.execute(grant(tusky))
    second = await accounts.grant_token.execute(grant(tusky))
    other = await app(accounts)
    await accounts.revoke_app_token.execute(
        other.app.client_id, other.client_secret, first.access_token
    )  # not its token: nothing happens
    await accounts.authenticate_app.execute(first.access_token)
    with pytest.raises(OAuthError):
        await accounts.revoke_app_token.execute(tusky.app.client_id, "x", first.access_token)
    await accounts.revoke_app_token.execute(
        tusky.app.client_id, tusky.client_secret, first.access_token
    )
    with pytest.raises(AuthenticationFailed):
        await accounts.authenticate_app.execute(first.access_token)
    await accounts.authenticate_app.execute(second.access_token)
    accounts.store.users[user.id] = replace(user, status=AccountStatus.SUSPENDED)
    with pytest.raises(AuthenticationFailed):
        await accounts.authenticate_app.execute(second.access_token)


async def test_client_credentials_act_for_nobody(accounts: Accounts) -> None:
    tusky = await app(accounts)
    token = await accounts.grant_token.execute(grant(tusky, "client_credentials", scope="read"))
    caller = await accounts.authenticate_app.execute(token.access_token)
    assert caller.viewer is None and caller.app_id == tusky.app.id
    caller.check("read:statuses")
    with pytest.raises(Forbidden):
        caller.require("read:statuses")
    bad = grant(tusky, "client_credentials", client_secret="nope")
    assert await refused(accounts, bad) == "invalid_client"
    assert await refused(accounts, grant(tusky, "implicit")) == "unsupported_grant_type"
