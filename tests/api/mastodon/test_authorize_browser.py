"""The authorization-code flow with PKCE in a real headless browser (Debian's chromium driven
by selenium) against ``social serve`` as a real process: sign in, approve, land on the app's
redirect URI (served here) with the code, exchange it. The page works under its own CSP: the
browser reports no violation on it (and does report one on a page that breaks its CSP, so the
check can fail)."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from social.adapters.postgres.database import Database
from tests.api.conftest import PASSWORD
from tests.api.mastodon.authorize_flow import pkce_pair
from tests.conftest import TEST_SECRET
from tests.served import free_port, serving
from tests.services import REQUIRED

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
_CONTROL = b"<!doctype html><title>callback</title><style>body{color:red}</style>landed"


def _require_browser() -> None:
    if os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER):
        return
    message = "chromium and chromium-driver are not installed (scripts/browser.sh)"
    if REQUIRED:
        pytest.fail(f"SOCIAL_REQUIRE_SERVICES=1 but {message}", pytrace=False)
    pytest.skip(message)


class _Callback(BaseHTTPRequestHandler):
    """The app's redirect URI: a page whose CSP forbids its own inline style (the control)."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Security-Policy", "default-src 'none'")
        self.end_headers()
        self.wfile.write(_CONTROL)

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def _callback_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Callback)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/callback"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def _browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
async def server(database: Database, database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    _require_browser()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIAL_")}
    env |= {
        "SOCIAL_DATA_DIR": str(tmp_path / "data"),
        "SOCIAL_DATABASE_URL": database_url,
        "SOCIAL_SECRET_KEY": TEST_SECRET.decode(),
        "SOCIAL_LOG_LEVEL": "WARNING",
    }
    async with serving(env, "--port", str(port)) as served:
        yield f"http://127.0.0.1:{served.port}"
    assert b"Traceback" not in served.output, served.log[-3000:]


def _approve_in_browser(driver: Any, url: str, callback: str) -> dict[str, list[str]]:
    """Sign in and approve on the page; the query of the redirect URI the browser lands on."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    wait = WebDriverWait(driver, 20)
    driver.get(url)
    wait.until(expected_conditions.presence_of_element_located((By.NAME, "login")))
    driver.find_element(By.NAME, "login").send_keys("alice@example.com")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    approve = (By.CSS_SELECTOR, "button[value=approve]")
    wait.until(expected_conditions.element_to_be_clickable(approve))
    assert "@alice" in driver.page_source
    driver.find_element(*approve).click()
    wait.until(lambda d: d.current_url.startswith(callback))
    assert "landed" in driver.page_source
    return parse_qs(urlsplit(driver.current_url).query)


def _csp_reports(entries: list[dict[str, Any]]) -> list[str]:
    return [
        str(entry["message"])
        for entry in entries
        if "Content Security Policy" in str(entry.get("message", ""))
        or "Refused to" in str(entry.get("message", ""))
    ]


async def test_code_flow_with_pkce_in_a_real_browser(server: str) -> None:
    async with httpx.AsyncClient(base_url=server, timeout=20) as client:
        body = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
        assert (await client.post("/api/v1/auth/register", json=body)).status_code == 201
        with _callback_server() as callback:
            registered = await client.post(
                "/api/v1/apps",
                data={"client_name": "Browser app", "redirect_uris": callback, "scopes": "read"},
            )
            app = registered.json()
            verifier, challenge = pkce_pair()
            query = {
                "client_id": app["client_id"],
                "redirect_uri": callback,
                "response_type": "code",
                "scope": "read",
                "state": "st4te",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
            url = f"{server}/oauth/authorize?{urlencode(query)}"
            with _browser() as driver:
                first = await asyncio.to_thread(_approve_in_browser, driver, url, callback)
                second = await asyncio.to_thread(_approve_in_browser, driver, url, callback)
                logs: list[dict[str, Any]] = await asyncio.to_thread(driver.get_log, "browser")

        assert first["state"] == ["st4te"] and second["state"] == ["st4te"]
        reports = _csp_reports(logs)
        on_page = [r for r in reports if "/oauth/authorize" in r]
        assert on_page == [], on_page
        assert any("/callback" in r for r in reports), f"the control was not reported: {logs}"

        exchange = {
            "grant_type": "authorization_code",
            "redirect_uri": callback,
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        }
        wrong = await client.post(
            "/oauth/token",
            data=exchange | {"code": first["code"][0], "code_verifier": pkce_pair()[0]},
        )
        assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
        token = await client.post(
            "/oauth/token", data=exchange | {"code": second["code"][0], "code_verifier": verifier}
        )
        assert token.status_code == 200, token.text
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        verified = await client.get("/api/v1/apps/verify_credentials", headers=auth)
        assert verified.status_code == 200 and verified.json()["name"] == "Browser app"
        userinfo = await client.get("/oauth/userinfo", headers=auth)
        assert userinfo.status_code == 200 and userinfo.json()["preferred_username"] == "alice"
