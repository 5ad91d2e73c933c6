"""The colliding-path dispatcher on a small app of its own (the real twins come from the other
parts of the app API): which requests move to the twin, and what stays where it was."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar, Request, WebSocket, get, websocket
from litestar.params import FromPath
from litestar.testing import TestClient

from social.adapters.mastodon.dispatch import CollidingPathDispatch, app_twin
from social.adapters.mastodon.routes import COLLIDING_PREFIX


@get("/api/v1/notifications", sync_to_thread=False)
def native(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {"surface": "native", "path": request.scope["path"]}


@get(f"{COLLIDING_PREFIX}/api/v1/notifications", sync_to_thread=False)
def twin(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {"surface": "app", "raw_path": request.scope["raw_path"].decode()}


@get(f"{COLLIDING_PREFIX}/api/v1/admin/reports/{{report_id:str}}", sync_to_thread=False)
def twin_report(report_id: FromPath[str]) -> dict[str, str]:
    return {"surface": "app", "report": report_id}


@websocket(f"{COLLIDING_PREFIX}/api/v1/tags/{{name:str}}")
async def twin_socket(socket: WebSocket[Any, Any, Any], name: FromPath[str]) -> None:
    await socket.accept()
    await socket.send_json({"surface": "app", "tag": name})
    await socket.close()


def _client() -> TestClient[Litestar]:
    app = Litestar([native, native_count, twin, twin_report, twin_socket])
    app.asgi_handler = CollidingPathDispatch(app.asgi_handler)
    return TestClient(app)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_app_token_reaches_the_twin_and_other_callers_stay_native() -> None:
    with _client() as client:
        app = client.get("/api/v1/notifications", headers=_bearer("opaque-app-token"))
        assert app.json() == {"surface": "app", "raw_path": "/_mastodon/api/v1/notifications"}
        jwt = client.get("/api/v1/notifications", headers=_bearer("a.b.c"))
        assert jwt.json()["surface"] == "native"
        assert client.get("/api/v1/notifications").json()["surface"] == "native"
        basic = client.get("/api/v1/notifications", headers={"Authorization": "Basic opaque"})
        assert basic.json()["surface"] == "native"


def test_sub_paths_and_trailing_slashes_move_too() -> None:
    with _client() as client:
        token = _bearer("opaque")
        report = client.get("/api/v1/admin/reports/7", headers=token)
        assert report.json() == {"surface": "app", "report": "7"}
        slash = client.get("/api/v1/notifications/", headers=token)
        assert slash.json()["surface"] == "app"


@get("/api/v1/notifications/unread-count", sync_to_thread=False)
def native_count() -> dict[str, str]:
    return {"surface": "native"}


def test_a_path_without_a_twin_stays_native_whatever_the_token() -> None:
    """A native-only sub-path, or a method the twin lacks: the native route answers (and
    refuses an app token there as any token that is not its own)."""
    with _client() as client:
        response = client.get("/api/v1/notifications/unread-count", headers=_bearer("opaque"))
        assert response.json() == {"surface": "native"}
        refused = client.post("/api/v1/notifications", headers=_bearer("opaque"))
        assert refused.status_code == 405
        assert refused.headers["content-type"].startswith("application/json")
        assert "error" not in refused.json()  # Litestar's own refusal, not the app API's


def test_websockets_move_as_http_does() -> None:
    with (
        _client() as client,
        client.websocket_connect("/api/v1/tags/cats", headers=_bearer("opaque")) as socket,
    ):
        assert socket.receive_json() == {"surface": "app", "tag": "cats"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/mediax",
        "/api/v1/admin/reportsx",
        "/api/v1/admin/users",
        "/api/v1/statuses",
        "/api/v2/media",
        "/media",
        f"{COLLIDING_PREFIX}/api/v1/notifications",
    ],
)
def test_other_paths_are_left_alone(path: str) -> None:
    scope: dict[str, Any] = {
        "type": "http",
        "path": path,
        "raw_path": path.encode(),
        "headers": [(b"authorization", b"Bearer opaque")],
    }
    assert not app_twin(scope)  # type: ignore[arg-type]
    assert scope["path"] == path and scope["raw_path"] == path.encode()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/media",
        "/api/v1/media/1",
        "/api/v1/notifications",
        "/api/v1/reports",
        "/api/v1/tags/cats",
        "/api/v1/admin/reports",
        "/api/v1/admin/reports/1/resolve",
    ],
)
def test_every_colliding_path_moves_for_an_app_token(path: str) -> None:
    scope: dict[str, Any] = {
        "type": "http",
        "path": path,
        "raw_path": path.encode(),
        "headers": [(b"authorization", b"Bearer opaque")],
    }
    assert app_twin(scope)  # type: ignore[arg-type]
    assert scope["path"] == COLLIDING_PREFIX + path
    assert scope["raw_path"] == (COLLIDING_PREFIX + path).encode()
