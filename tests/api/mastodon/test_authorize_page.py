"""The authorization page over HTTP: the code flow with PKCE, two-factor accounts, refusals
that never redirect, CSRF, and the security headers of the page."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.api.conftest import Api, bearer
from tests.api.mastodon.authorize_flow import hidden_fields, pkce_pair, sign_in
from tests.api.mastodon.tokens import register_app
from tests.api.test_two_factor import code, enable

CALLBACK = "https://app.example/callback"


def query(app: dict[str, Any], **extra: str) -> dict[str, str]:
    return {
        "client_id": app["client_id"],
        "redirect_uri": CALLBACK,
        "response_type": "code",
        "scope": "read write",
    } | extra


async def exchange(api: Api, app: dict[str, Any], code_: str, **extra: str) -> Any:
    body = {
        "grant_type": "authorization_code",
        "code": code_,
        "redirect_uri": CALLBACK,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
    }
    return await api.client.post("/oauth/token", data=body | extra)


async def approve(api: Api, consent: Any, decision: str = "approve") -> Any:
    assert consent.status_code == 200, consent.text
    fields = hidden_fields(consent.text) | {"decision": decision}
    assert fields["step"] == "consent"
    return await api.client.post("/oauth/authorize", data=fields, follow_redirects=False)


async def test_code_flow_with_pkce_and_state(api: Api) -> None:
    await api.register("alice")
    app = await register_app(api, redirect_uris=CALLBACK)
    verifier, challenge = pkce_pair()
    ask = query(app, state="xyz", code_challenge=challenge, code_challenge_method="S256")
    consent = await sign_in(api, ask)
    assert "@alice" in consent.text and "(read)" in consent.text and "(write)" in consent.text
    redirected = await approve(api, consent)
    assert redirected.status_code == 302, redirected.text
    location = urlsplit(redirected.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    params = parse_qs(location.query)
    assert params["state"] == ["xyz"]
    wrong = await exchange(api, app, params["code"][0], code_verifier="x" * 50)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    spent = await exchange(api, app, params["code"][0], code_verifier=verifier)
    assert spent.status_code == 400, "a failed exchange spends the code"
    redirected = await approve(api, await sign_in(api, ask))
    good_code = parse_qs(urlsplit(redirected.headers["location"]).query)["code"][0]
    assert (await exchange(api, app, good_code)).status_code == 400  # verifier required
    redirected = await approve(api, await sign_in(api, ask))
    good_code = parse_qs(urlsplit(redirected.headers["location"]).query)["code"][0]
    token = await exchange(api, app, good_code, code_verifier=verifier)
    assert token.status_code == 200, token.text
    assert set(token.json()["scope"].split()) == {"read", "write"}
    me = await api.client.get("/oauth/userinfo", headers=bearer(token.json()["access_token"]))
    assert me.status_code == 200 and me.json()["preferred_username"] == "alice"
    again = await exchange(api, app, good_code, code_verifier=verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


async def test_without_pkce_the_secret_is_enough_and_none_state_is_not_echoed(api: Api) -> None:
    await api.register("alice")
    app = await register_app(api, redirect_uris=CALLBACK)
    redirected = await approve(api, await sign_in(api, query(app, state="None")))
    params = parse_qs(urlsplit(redirected.headers["location"]).query)
    assert "state" not in params
    no_secret = await exchange(api, app, params["code"][0], client_secret="")
    assert no_secret.status_code == 401
    redirected = await approve(api, await sign_in(api, query(app)))
    params = parse_qs(urlsplit(redirected.headers["location"]).query)
    assert (await exchange(api, app, params["code"][0])).status_code == 200


async def test_deny_redirects_with_access_denied(api: Api) -> None:
    await api.register("alice")
    app = await register_app(api, redirect_uris=CALLBACK)
    denied = await approve(api, await sign_in(api, query(app, state="s1")), decision="deny")
    assert denied.status_code == 302
    params = parse_qs(urlsplit(denied.headers["location"]).query)
    assert params == {"error": ["access_denied"], "state": ["s1"]}


async def test_out_of_band_shows_the_code(api: Api) -> None:
    await api.register("alice")
    app = await register_app(api)
    oob = "urn:ietf:wg:oauth:2.0:oob"
    shown = await approve(api, await sign_in(api, query(app, redirect_uri=oob)))
    assert shown.status_code == 200 and "<code id=code>" in shown.text
    the_code = shown.text.split("<code id=code>")[1].split("</code>")[0]
    token = await exchange(api, app, the_code, redirect_uri=oob)
    assert token.status_code == 200, token.text


async def test_two_factor_accounts_give_a_code_after_the_password(api: Api) -> None:
    secret, _ = await enable(api, await api.token_for("alice"))
    app = await register_app(api, redirect_uris=CALLBACK)
    second = await sign_in(api, query(app))
    assert second.status_code == 200 and "name=otp" in second.text
    fields = hidden_fields(second.text)
    wrong = await api.client.post("/oauth/authorize", data=fields | {"otp": "000000"})
    assert wrong.status_code == 401 and "not valid" in wrong.text
    consent = await api.client.post(
        "/oauth/authorize", data=fields | {"otp": code(secret, steps_ahead=1)}
    )
    redirected = await approve(api, consent)
    assert redirected.status_code == 302 and "code=" in redirected.headers["location"]


async def test_refusals_are_pages_and_never_redirect(api: Api) -> None:
    await api.register("alice")
    app = await register_app(api, redirect_uris=CALLBACK)
    for bad in (
        query(app, redirect_uri="https://evil.example/callback"),
        query(app, client_id="nope"),
        query(app, scope="read admin"),
        query(app, code_challenge="abc", code_challenge_method="plain"),
        query(app, response_type="token"),
    ):
        page = await api.client.get("/oauth/authorize", params=bad)
        assert page.status_code in (400, 401), (bad, page.status_code)
        assert page.headers["content-type"].startswith("text/html")
        assert "location" not in page.headers
        assert "<script" not in page.text and "evil.example" not in page.text


async def test_forms_need_the_csrf_cookie_and_the_page_is_locked_down(api: Api) -> None:
    await api.register("alice")
    app = await register_app(api, redirect_uris=CALLBACK)
    page = await api.client.get("/oauth/authorize", params=query(app))
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "form-action 'self' https://app.example" in csp and "script-src" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    fields = hidden_fields(page.text) | {"login": "alice", "password": "whatever"}
    forged = await api.client.post("/oauth/authorize", data=fields | {"csrf": "x.y"})
    assert forged.status_code == 403 and forged.headers["content-type"].startswith("text/html")
    api.client.cookies.clear()
    no_cookie = await api.client.post("/oauth/authorize", data=fields)
    assert no_cookie.status_code == 403
    escaped = await api.client.get("/oauth/authorize", params=query(app, state='"><b>x</b>'))
    assert '"><b>x</b>' not in escaped.text and "&quot;&gt;&lt;b&gt;" in escaped.text
