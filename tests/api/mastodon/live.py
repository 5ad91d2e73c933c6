"""A real ``social serve`` process on every real service, for Mastodon.py: the client is
synchronous (``requests``), so it can only drive a server that runs beside the test, over a
socket. Jobs run in the server process (media gets processed, notifications and search get
written) and the rate limits are far above what one flow spends, so no step waits on a 429."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
import requests
from mastodon import Mastodon

from social.settings import Settings
from tests.api.conftest import PASSWORD
from tests.integration.conftest import worker_environment
from tests.media_files import jpeg
from tests.served import free_port

__all__ = ["TIMEOUT_S", "Live", "eventually", "live_server", "photo", "signed_in"]

T = TypeVar("T")

TIMEOUT_S = 30
"""Mastodon.py's request timeout (its default is 300 s: a hung server would hang the test)."""


@dataclass(frozen=True)
class Live:
    """The served app: its base URL and what the process has printed so far."""

    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def register(self, username: str) -> None:
        """A person, through the native sign-up (the app API has no registration)."""
        body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
        response = requests.post(f"{self.url}/api/v1/auth/register", json=body, timeout=TIMEOUT_S)
        assert response.status_code == 201, response.text


@pytest.fixture(name="live")
def live_server(production: Settings, tmp_path: Path) -> Iterator[Live]:
    """``social serve`` on the production shape (PostgreSQL, Redis, MinIO, OpenSearch) with its
    jobs in process; its output goes to a file, so a chatty server never blocks on a pipe."""
    port = free_port()
    env = worker_environment(
        production,
        run_worker_in_process="1",
        log_level="WARNING",
        rate_limit_login="1000",
        rate_limit_register="1000",
        rate_limit_writes="10000",
        rate_limit_uploads="10000",
        rate_limit_search="10000",
        rate_limit_reads="100000",
    )
    env = {k: v for k, v in env.items() if not k.startswith("SOCIAL_TEST_")}
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "social", "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    served = Live(url=f"http://127.0.0.1:{port}", log_path=log_path)
    try:
        _await_ready(served, process)
        yield served
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
    log = served.log()
    assert "Traceback" not in log, log[-4000:]


def _await_ready(served: Live, process: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        try:
            if requests.get(f"{served.url}/health/ready", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        assert process.poll() is None, f"social serve ended at start-up:\n{served.log()[-3000:]}"
        time.sleep(0.5)
    raise AssertionError(f"not ready within 60 s:\n{served.log()[-3000:]}")


def signed_in(
    served: Live, username: str, app_name: str = "acc", version_check_mode: str = "none"
) -> Mastodon:
    """Mastodon.py's own sign-in, as its documentation shows it: register an app, construct the
    client with its credentials, then the password grant (Mastodon's login is the e-mail)."""
    client_id, client_secret = Mastodon.create_app(
        app_name, api_base_url=served.url, request_timeout=TIMEOUT_S
    )
    client = Mastodon(
        client_id=client_id,
        client_secret=client_secret,
        api_base_url=served.url,
        request_timeout=TIMEOUT_S,
        version_check_mode=version_check_mode,
    )
    client.log_in(f"{username}@example.com", PASSWORD, allow_http=True)
    return client


def photo(color: tuple[int, int, int] = (30, 90, 160)) -> io.BytesIO:
    """A real JPEG, made with Pillow, as an open file."""
    return io.BytesIO(jpeg((320, 240), color))


def eventually(check: Callable[[], T | None], seconds: float = 20) -> T:
    """The first truthy result of ``check``: what a job writes (a notification, a search
    document) shows a little after the request that caused it."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"still {result!r} after {seconds} s")
        time.sleep(0.2)
