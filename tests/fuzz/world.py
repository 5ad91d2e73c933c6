"""A small populated world for the fuzzers: real accounts, posts, comments, media and the rest.

Generated path parameters are random UUIDs and names, so without real objects every request would
stop at 404 before reaching the code worth fuzzing. The world gives each path parameter real
values to pick from; ``PATH_VALUES`` maps a parameter name to them.

Requests go through a synchronous ``requests`` session on the app in process (Schemathesis's ASGI
client), the same transport the schema fuzzer uses, so the app runs on one event loop throughout.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import requests

from tests.api.conftest import PASSWORD
from tests.media_files import jpeg

__all__ = ["World", "build_world", "sign_in"]

API = "/api/v1"


@dataclass
class World:
    """Who signs in, and the real objects path parameters may name."""

    token: str
    """The signed-in user's access token (an admin, so admin routes get past their guard)."""
    other_token: str
    path_values: dict[str, list[str]] = field(default_factory=dict)
    """Real values for each path parameter name, the first being the one reads should use."""
    disposable: dict[str, list[str]] = field(default_factory=dict)
    """Values for routes that destroy what they name (DELETE of the object itself)."""
    body_values: dict[str, list[Any]] = field(default_factory=dict)
    """Real values for JSON body fields that name objects (``media_ids``, ``target_id``)."""

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _ok(response: requests.Response, *statuses: int) -> Any:
    assert response.status_code in statuses, (response.status_code, response.text)
    return response.json() if response.content else None


def sign_in(client: requests.Session, username: str = "asker") -> dict[str, str]:
    """Bearer headers of a new session of ``username``: for requests that end their session
    (log out), so the signed-in user's own session survives them."""
    body = {"login": username, "password": PASSWORD}
    token = _ok(client.post(f"{API}/auth/login", json=body), 200)["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _register(client: requests.Session, username: str) -> tuple[str, str]:
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    result = _ok(client.post(f"{API}/auth/register", json=body), 201)
    return str(result["tokens"]["access_token"]), str(result["user"]["id"])


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _ready_media(client: requests.Session, token: str, name: str) -> str:
    response = client.post(
        f"{API}/media",
        files={"file": (name, jpeg((64, 48)), "application/octet-stream")},
        data={"alt_text": f"alt for {name}"},
        headers=_bearer(token),
    )
    media_id = str(_ok(response, 202)["id"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        media = _ok(client.get(f"{API}/media/{media_id}", headers=_bearer(token)), 200)
        if media["status"] != "processing":
            assert media["status"] == "ready", media
            return media_id
        time.sleep(0.05)
    raise AssertionError(f"media {media_id} was not processed in time")


def _post(client: requests.Session, token: str, caption: str, tags: list[str]) -> str:
    media_id = _ready_media(client, token, f"{caption}.jpg")
    body = {"caption": caption, "media_ids": [media_id], "tags": tags}
    return str(_ok(client.post(f"{API}/posts", json=body, headers=_bearer(token)), 201)["id"])


def _comment(client: requests.Session, token: str, post_id: str, text: str) -> str:
    response = client.post(
        f"{API}/posts/{post_id}/comments", json={"text": text}, headers=_bearer(token)
    )
    return str(_ok(response, 201)["id"])


def build_world(client: requests.Session, make_admin: Any) -> World:
    """Populate the app behind ``client``; ``make_admin(username)`` grants the admin role."""
    token, _ = _register(client, "fuzzer")
    make_admin("fuzzer")
    other_token, other_id = _register(client, "friend")
    requester_token, _ = _register(client, "asker")
    _, target_id = _register(client, "target")

    # The signed-in user is private with one pending follow request, so request ids are real.
    _ok(client.patch(f"{API}/me", json={"is_private": True}, headers=_bearer(token)), 200)
    _ok(client.post(f"{API}/users/fuzzer/follow", headers=_bearer(requester_token)), 200)
    follow_requests = _ok(client.get(f"{API}/me/follow-requests", headers=_bearer(token)), 200)
    request_ids = [str(item["id"]) for item in follow_requests["items"]]
    _ok(client.post(f"{API}/users/friend/follow", headers=_bearer(token)), 200)

    mine = _post(client, token, "fuzz", ["fuzz", "tags"])
    theirs = _post(client, other_token, "friend", ["fuzz"])
    doomed_posts = [_post(client, token, f"doomed{n}", []) for n in range(2)]
    comment = _comment(client, other_token, theirs, "first")
    my_comment = _comment(client, token, mine, "mine")
    doomed_comments = [_comment(client, token, mine, f"doomed{n}") for n in range(2)]
    pending = _ok(
        client.post(
            f"{API}/media/uploads",
            json={"kind": "image", "content_type": "image/jpeg", "size": 1000},
            headers=_bearer(token),
        ),
        201,
    )
    ready_media = _ready_media(client, token, "loose.jpg")
    unposted = [_ready_media(client, token, f"unposted{n}.jpg") for n in range(3)]
    report = _ok(
        client.post(
            f"{API}/reports",
            json={"target_type": "post", "target_id": theirs, "reason": "fuzz"},
            headers=_bearer(other_token),
        ),
        201,
    )
    clients = [
        str(
            _ok(client.post(f"{API}/admin/clients", json={"name": n}, headers=_bearer(token)), 201)[
                "id"
            ]
        )
        for n in ("fuzz-web", "fuzz-doomed")
    ]
    return World(
        token=token,
        other_token=other_token,
        path_values={
            "username": ["friend", "fuzzer", "target"],
            "post_id": [mine, theirs],
            "comment_id": [my_comment, comment],
            "media_id": [ready_media, str(pending["media"]["id"])],
            "request_id": request_ids,
            "report_id": [str(report["id"])],
            "user_id": [target_id, other_id],
            "client_id": [clients[0]],
            "tag": ["fuzz", "tags"],
        },
        body_values={
            "media_ids": [[media_id] for media_id in unposted],
            "target_id": [theirs, comment, other_id],
            "parent_id": [my_comment],
        },
        disposable={
            "post_id": doomed_posts,
            "comment_id": doomed_comments,
            "client_id": [clients[1]],
        },
    )
