"""OAuth 2 of the client-app API over HTTP: app registration, the password and
client-credentials grants, revocation, the token as a session of its account, the metadata
document."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import PASSWORD, Api, bearer
from tests.api.mastodon.tokens import app_token, register_app
from tests.api.test_two_factor import enable

OOB = "urn:ietf:wg:oauth:2.0:oob"


async def password_grant(api: Api, app: dict[str, Any], **fields: str) -> Any:
    body = {
        "grant_type": "password",
        "username": "alice",
        "password": PASSWORD,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "scope": "read write",
        "redirect_uri": OOB,
    }
    return await api.client.post("/oauth/token", data=body | fields)


def oauth_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert set(response.json()) == {"error", "error_description"}
    assert response.headers["cache-control"] == "no-store"
    return str(response.json()["error"])


async def test_registration_answers_the_application_with_its_secret_once(api: Api) -> None:
    response = await api.client.post(
        "/api/v1/apps",
        data={
            "client_name": "Tusky",
            "redirect_uris": "https://app.example/cb\nmyapp://oauth",
            "scopes": "read write:statuses push",
            "website": "https://tusky.example",
        },
    )
    assert response.status_code == 200, response.text
    app = response.json()
    assert app["name"] == "Tusky" and app["website"] == "https://tusky.example"
    assert app["scopes"] == ["push", "read", "write:statuses"]
    assert app["redirect_uris"] == ["https://app.example/cb", "myapp://oauth"]
    assert app["redirect_uri"] == "https://app.example/cb\nmyapp://oauth"
    assert app["client_secret_expires_at"] == 0 and app["vapid_key"] is None
    assert len(app["client_secret"]) >= 43 and "." not in app["client_secret"]
    json_app = await api.client.post("/api/v1/apps", json={"client_name": "j"})
    assert json_app.status_code == 200, json_app.text
    assert json_app.json()["redirect_uris"] == [OOB] and json_app.json()["scopes"] == ["read"]
    token = await app_token(api_user := api, await _alice(api_user), scopes="read")
    verified = await api.client.get("/api/v1/apps/verify_credentials", headers=bearer(token))
    assert verified.status_code == 200, verified.text
    assert verified.json()["name"] == "test app" and "client_secret" not in verified.json()


async def _alice(api: Api) -> str:
    await api.register("alice")
    return "alice"


async def test_bad_registrations_are_422(api: Api) -> None:
    for data in (
        {"client_name": ""},
        {"client_name": "x", "redirect_uris": "javascript:alert(1)"},
        {"client_name": "x", "redirect_uris": "https://a.example/cb#frag"},
        {"client_name": "x", "scopes": "read admin"},
        {"client_name": "x", "website": "ftp://x.example"},
    ):
        response = await api.client.post("/api/v1/apps", data=data)
        assert response.status_code == 422, (data, response.text)
        assert "error" in response.json()


async def test_password_grant_by_username_or_email(api: Api) -> None:
    await api.register("alice")
    app = await register_app(api)
    for login in ("alice", "ALICE@example.com"):
        response = await password_grant(api, app, username=login)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["token_type"] == "Bearer" and set(body["scope"].split()) == {"read", "write"}
        assert isinstance(body["created_at"], int) and "." not in body["access_token"]
        assert "expires_in" not in body
        me = await api.client.get("/oauth/userinfo", headers=bearer(body["access_token"]))
        assert me.status_code == 200 and me.json()["preferred_username"] == "alice"


async def test_password_grant_refusals(api: Api) -> None:
    await api.register("alice")
    app = await register_app(api, scopes="read")
    wrong = await password_grant(api, app, password="wrong one", scope="read")
    assert oauth_error(wrong, 400) == "invalid_grant"
    unknown = await password_grant(api, app, username="nobody", scope="read")
    assert oauth_error(unknown, 400) == "invalid_grant"
    bad_client = await password_grant(api, app, client_secret="nope", scope="read")
    assert oauth_error(bad_client, 401) == "invalid_client"
    assert oauth_error(await password_grant(api, app), 400) == "invalid_scope"  # write
    unsupported = await password_grant(api, app, grant_type="implicit", scope="read")
    assert oauth_error(unsupported, 400) == "unsupported_grant_type"


async def test_two_factor_accounts_are_sent_to_the_authorization_page(api: Api) -> None:
    token = await api.token_for("alice")
    await enable(api, token)
    app = await register_app(api)
    response = await password_grant(api, app)
    assert oauth_error(response, 400) == "invalid_grant"
    assert "/oauth/authorize" in response.json()["error_description"]


async def test_client_credentials_token_acts_for_no_account(api: Api) -> None:
    app = await register_app(api, scopes="read")
    body = {
        "grant_type": "client_credentials",
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
    }
    response = await api.client.post("/oauth/token", json=body)
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    verified = await api.client.get("/api/v1/apps/verify_credentials", headers=bearer(token))
    assert verified.status_code == 200 and verified.json()["id"] == app["id"]
    userinfo = await api.client.get("/oauth/userinfo", headers=bearer(token))
    assert userinfo.status_code == 403, userinfo.text


async def test_a_token_is_a_session_listed_and_ended_with_the_others(api: Api) -> None:
    native = await api.token_for("alice")
    token = await app_token(api, "alice")
    sessions = await api.client.get("/api/v1/me/sessions", headers=bearer(native))
    agents = [s["user_agent"] for s in sessions.json()]
    assert "test app (app)" in agents, agents
    signed_out = await api.client.delete("/api/v1/me/sessions", headers=bearer(native))
    assert signed_out.status_code in (200, 204), signed_out.text
    refused = await api.client.get("/oauth/userinfo", headers=bearer(token))
    assert refused.status_code == 401, refused.text
    assert refused.json()["error"]


async def test_revocation_ends_the_token_and_its_session(api: Api) -> None:
    native = await api.token_for("alice")
    app = await register_app(api)
    token = (await password_grant(api, app)).json()["access_token"]
    assert (await api.client.get("/oauth/userinfo", headers=bearer(token))).status_code == 200
    body = {"client_id": app["client_id"], "client_secret": app["client_secret"], "token": token}
    other = await register_app(api, name="other")
    stranger = body | {"client_id": other["client_id"], "client_secret": other["client_secret"]}
    assert (await api.client.post("/oauth/revoke", data=stranger)).json() == {}
    assert (await api.client.get("/oauth/userinfo", headers=bearer(token))).status_code == 200
    revoked = await api.client.post("/oauth/revoke", data=body)
    assert revoked.status_code == 200 and revoked.json() == {}
    assert (await api.client.get("/oauth/userinfo", headers=bearer(token))).status_code == 401
    sessions = await api.client.get("/api/v1/me/sessions", headers=bearer(native))
    assert [s["user_agent"] for s in sessions.json() if "(app)" in s["user_agent"]] == []
    again = await api.client.post("/oauth/revoke", data=body)
    assert again.status_code == 200 and again.json() == {}


async def test_metadata_document_is_complete(api: Api) -> None:
    response = await api.client.get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200, response.text
    doc = response.json()
    base = doc["issuer"]
    assert doc["authorization_endpoint"] == f"{base}/oauth/authorize"
    assert doc["token_endpoint"] == f"{base}/oauth/token"
    assert doc["revocation_endpoint"] == f"{base}/oauth/revoke"
    assert doc["userinfo_endpoint"] == f"{base}/oauth/userinfo"
    assert doc["app_registration_endpoint"] == f"{base}/api/v1/apps"
    assert "password" in doc["grant_types_supported"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["response_types_supported"] == ["code"]
    assert {"read", "write", "follow", "push", "read:statuses"} <= set(doc["scopes_supported"])
    assert all(value is not None for value in doc.values())
