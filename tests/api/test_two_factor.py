"""Two-factor authentication through HTTP (AUTH-7): enrolment, confirmation, sign-in with a TOTP
code (computed with pyotp from the returned secret) or a recovery code, replay, disabling,
the per-account budget. Mail about these events is another branch's."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyotp
from litestar.testing import AsyncTestClient

from social.adapters.postgres.database import Database
from social.app import create_app
from tests.api.conftest import PASSWORD, Api, api_settings, bearer

ENROL = "/api/v1/me/2fa/totp"
CONFIRM = "/api/v1/me/2fa/totp/confirm"
DISABLE = "/api/v1/me/2fa"
LOGIN = "/api/v1/auth/login"


def code(secret: str, *, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def problem(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return str(response.json()["type"])


async def login(api: Api, otp: str | None = None, password: str = PASSWORD) -> Any:
    body = {"login": "alice", "password": password} | ({"otp": otp} if otp else {})
    return await api.client.post(LOGIN, json=body)


async def enable(api: Api, token: str) -> tuple[str, list[str]]:
    enrolment = await api.client.post(ENROL, json={"password": PASSWORD}, headers=bearer(token))
    assert enrolment.status_code == 200, enrolment.text
    secret = enrolment.json()["secret"]
    confirmed = await api.client.post(CONFIRM, json={"code": code(secret)}, headers=bearer(token))
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["recovery_codes"]


async def test_enrolment_and_confirmation(api: Api) -> None:
    token = await api.token_for("alice")
    me = await api.client.get("/api/v1/me", headers=bearer(token))
    assert me.json()["two_factor_enabled"] is False
    wrong = await api.client.post(ENROL, json={"password": "not it at all"}, headers=bearer(token))
    assert problem(wrong, 422) == "/problems/validation-failed"
    assert wrong.json()["errors"][0]["field"] == "password"
    enrolment = await api.client.post(ENROL, json={"password": PASSWORD}, headers=bearer(token))
    assert enrolment.status_code == 200, enrolment.text
    secret, uri = enrolment.json()["secret"], enrolment.json()["otpauth_uri"]
    assert uri == f"otpauth://totp/social:alice?secret={secret}&issuer=social"
    assert pyotp.parse_uri(uri).secret == secret
    bad = await api.client.post(
        CONFIRM, json={"code": code(secret, steps_ahead=10)}, headers=bearer(token)
    )
    assert problem(bad, 422) == "/problems/validation-failed"
    confirmed = await api.client.post(CONFIRM, json={"code": code(secret)}, headers=bearer(token))
    assert confirmed.status_code == 200, confirmed.text
    recovery = confirmed.json()["recovery_codes"]
    assert len(recovery) == 10 and len(set(recovery)) == 10 and all(map(str, recovery))
    me = await api.client.get("/api/v1/me", headers=bearer(token))
    assert me.json()["two_factor_enabled"] is True
    again = await api.client.post(ENROL, json={"password": PASSWORD}, headers=bearer(token))
    assert problem(again, 409) == "/problems/conflict"
    twice = await api.client.post(CONFIRM, json={"code": code(secret)}, headers=bearer(token))
    assert problem(twice, 409) == "/problems/conflict"


async def test_login_without_with_wrong_with_right_and_with_replayed_code(api: Api) -> None:
    await api.register("bob")
    secret, _ = await enable(api, await api.token_for("alice"))
    assert problem(await login(api), 401) == "/problems/otp-required"
    # a wrong password answers exactly as for an account without two-factor
    wrong_password = await login(api, password="not the password")
    bob = await api.client.post(LOGIN, json={"login": "bob", "password": "not the password"})
    assert problem(wrong_password, 401) == problem(bob, 401) == "/problems/unauthorized"
    assert wrong_password.json() == bob.json()
    assert problem(await login(api, code(secret, steps_ahead=5)), 401) == "/problems/unauthorized"
    # the confirming code's step is spent: that code cannot sign in
    assert problem(await login(api, code(secret)), 401) == "/problems/unauthorized"
    ahead = code(secret, steps_ahead=1)  # a phone a step ahead is allowed
    signed_in = await login(api, ahead)
    assert signed_in.status_code == 200, signed_in.text
    me = await api.client.get("/api/v1/me", headers=bearer(signed_in.json()["access_token"]))
    assert me.status_code == 200
    assert problem(await login(api, ahead), 401) == "/problems/unauthorized"  # replayed


async def test_a_recovery_code_works_once(api: Api) -> None:
    _, recovery = await enable(api, await api.token_for("alice"))
    assert (await login(api, recovery[0])).status_code == 200
    assert problem(await login(api, recovery[0]), 401) == "/problems/unauthorized"
    assert (await login(api, recovery[1].upper())).status_code == 200


async def test_disabling_needs_the_password_and_a_code(api: Api) -> None:
    token = await api.token_for("alice")
    secret, recovery = await enable(api, token)
    headers = bearer(token)

    async def disable(body: dict[str, str]) -> Any:
        return await api.client.request("DELETE", DISABLE, json=body, headers=headers)

    no_otp = await disable({"password": PASSWORD})
    assert problem(no_otp, 422) == "/problems/validation-failed"
    wrong_password = await disable({"password": "not the password", "otp": recovery[0]})
    assert wrong_password.status_code == 422 and wrong_password.json()["errors"][0]["field"] == (
        "password"
    )
    wrong_code = await disable({"password": PASSWORD, "otp": code(secret, steps_ahead=5)})
    assert wrong_code.status_code == 422 and wrong_code.json()["errors"][0]["field"] == "otp"
    done = await disable({"password": PASSWORD, "otp": code(secret, steps_ahead=1)})
    assert done.status_code == 204 and done.content == b""
    me = await api.client.get("/api/v1/me", headers=headers)
    assert me.json()["two_factor_enabled"] is False
    assert (await login(api)).status_code == 200  # the password alone again
    assert problem(await disable({"password": PASSWORD, "otp": recovery[1]}), 409) == (
        "/problems/conflict"
    )


async def test_otp_is_a_field_of_login_and_ignored_without_two_factor(api: Api) -> None:
    await api.register("alice")
    assert (await login(api, "123456")).status_code == 200
    other = await api.client.post(LOGIN, json={"login": "alice", "password": PASSWORD, "x": 1})
    assert problem(other, 422) == "/problems/validation-failed"


async def test_code_checks_are_limited_per_account(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = api_settings(database_url, tmp_path, rate_limit_otp=3)
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        secret, _ = await enable(api, await api.token_for("alice"))  # one check
        for _ in range(2):
            assert (await login(api, code(secret, steps_ahead=5))).status_code == 401
        limited = await login(api, code(secret, steps_ahead=1))  # right, but over the budget
        assert problem(limited, 429) == "/problems/rate-limited"
        assert int(limited.headers["retry-after"]) > 0
        assert problem(await login(api), 401) == "/problems/otp-required"  # nothing checked
