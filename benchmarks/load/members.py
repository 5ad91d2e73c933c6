"""What every simulated member of the load test stands on: who they are (a seeded access token,
or a seeded username and password they sign in with), the checks that make a request count as
failed in Locust (status AND shape, with the reason), and the one small JPEG they upload.

Kept apart from ``locustfile.py`` so the mixed workload and the part-2 scenarios
(``scenarios.py``) share one definition of a request and of its check.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any
from uuid import uuid4

from locust import FastHttpUser, events
from locust.contrib.fasthttp import ResponseContextManager
from seeded import DEFAULT_PASSWORD, DEFAULT_TOKENS, SEEDED_USERS, TAGS, WORDS, jpeg

__all__ = ["SEEDED_USERS", "TAGS", "WORDS", "Member", "jpeg"]

Check = Callable[[Any], str | None]
"""A shape check: the parsed JSON body in, ``None`` when right or the reason it is wrong."""


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--tokens-file", default=DEFAULT_TOKENS, help="seeded access tokens")
    parser.add_argument("--password", default=DEFAULT_PASSWORD, help="every seeded account's")
    parser.add_argument("--think-min", type=float, default=2.0, help="think time, seconds")
    parser.add_argument("--think-max", type=float, default=14.0, help="think time, seconds")


@cache
def tokens(path: str) -> tuple[str, ...]:
    with open(path) as handle:
        return tuple(line.strip() for line in handle if line.strip())


def multipart(field: str, filename: str, body: bytes, content_type: str) -> tuple[bytes, str]:
    """A multipart/form-data body of one file part (geventhttpclient has no ``files=``)."""
    boundary = uuid4().hex
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name={field!r}; "
        f"filename={filename!r}\r\nContent-Type: {content_type}\r\n\r\n"
    ).replace("'", '"')
    data = head.encode() + body + f"\r\n--{boundary}--\r\n".encode()
    return data, f"multipart/form-data; boundary={boundary}"


def page(body: Any) -> str | None:
    """A cursor page: ``items`` a list and a ``next_cursor`` key (string or null)."""
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return "no items list"
    if "next_cursor" not in body or not isinstance(body["next_cursor"], str | None):
        return "no next_cursor key"
    return None


def post_page(body: Any) -> str | None:
    """A page of posts, each with an id and an author's username."""
    wrong = page(body)
    if wrong is None and any(not _is_post(p) for p in body["items"]):
        return "an item is not a post"
    return wrong


def feed_page(body: Any) -> str | None:
    """A home-feed page: items of kind post or share, each carrying its post."""
    wrong = page(body)
    if wrong is None:
        for item in body["items"]:
            if item.get("kind") not in ("post", "share") or not _is_post(item.get("post")):
                return "a feed item without its post"
    return wrong


def keys(*names: str, **equal: Any) -> Check:
    """An object holding ``names`` and the given values."""

    def check(body: Any) -> str | None:
        if not isinstance(body, dict):
            return "not an object"
        missing = [n for n in (*names, *equal) if n not in body]
        if missing:
            return f"missing {', '.join(missing)}"
        wrong = [k for k, v in equal.items() if body[k] != v]
        return f"unexpected {', '.join(wrong)}" if wrong else None

    return check


def _is_post(value: Any) -> bool:
    if not isinstance(value, dict) or "id" not in value or "media" not in value:
        return False
    return "username" in (value.get("author") or {})


class Member(FastHttpUser):
    """A signed-in member: ``self.token`` is set by the subclass's ``on_start``. Requests go
    through ``call``, which checks the status and the shape and remembers posts and authors
    seen, as a person's app does: what one likes, comments or opens comes from what was shown."""

    abstract = True
    token = ""
    username = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[dict[str, Any]] = []  # posts shown lately, newest last (at most 60)
        self.strangers: list[str] = []  # authors shown who are not followed yet
        self.followed: list[str] = []  # accounts this member followed during the run
        self.liked: set[str] = set()

    def wait_time(self) -> float:
        options = self.environment.parsed_options
        low, high = (options.think_min, options.think_max) if options else (2.0, 14.0)
        return random.uniform(low, high)

    def call(
        self,
        method: str,
        path: str,
        name: str,
        status: int,
        check: Check | None = None,
        **kwargs: Any,
    ) -> Any:
        """The request, failed in Locust (with the reason) unless the status is ``status`` and
        the body passes ``check``; the parsed body when it passed, else ``None``."""
        anonymous = kwargs.pop("anonymous", False)
        remember = kwargs.pop("remember", True)
        headers = {} if anonymous or not self.token else {"Authorization": f"Bearer {self.token}"}
        headers |= kwargs.pop("headers", {})
        with self._request(method, path, name, headers, **kwargs) as response:
            if response.status_code != status:
                text = (response.text or "")[:120] if response.status_code else response.error
                response.failure(f"status {response.status_code} (want {status}): {text}")
                return None
            if check is None:
                return True
            try:
                body = response.json()
            except ValueError:
                response.failure("body is not JSON")
                return None
            wrong = check(body)
            if wrong:
                response.failure(f"shape: {wrong}")
                return None
            if remember:
                self._remember(body)
            return body

    @contextmanager
    def _request(
        self, method: str, path: str, name: str, headers: dict[str, str], **kwargs: Any
    ) -> Iterator[ResponseContextManager]:
        with self.client.request(
            method, path, name=name, headers=headers, catch_response=True, **kwargs
        ) as response:
            yield response

    def _remember(self, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            return
        for item in body["items"]:
            post = item.get("post", item) if isinstance(item, dict) else None
            if not isinstance(post, dict) or not _is_post(post):
                continue
            self.seen.append(post)
            author = post["author"]
            stranger = (author.get("relationship") or {}).get("following") is False
            if stranger and author["username"] != self.username:
                self.strangers.append(author["username"])
        del self.seen[:-60]
        del self.strangers[:-30]

    def whoami(self) -> None:
        """``GET /me`` as an app does when it opens: the member's own username."""
        me = self.call("GET", "/api/v1/me", "GET /me", 200, keys("username"), remember=False)
        self.username = me["username"] if me else ""

    def anyone(self) -> str:
        """A seeded account other than the member's own."""
        while (name := f"bench{random.randrange(SEEDED_USERS):06d}") == self.username:
            pass
        return name

    def seen_post(self) -> dict[str, Any] | None:
        return random.choice(self.seen) if self.seen else None

    def sign_in(self, username: str, password: str) -> bool:
        """``POST /auth/login`` (argon2 verifies the password): the member's new token."""
        body = self.call(
            "POST",
            "/api/v1/auth/login",
            "POST /auth/login",
            200,
            keys("access_token", "refresh_token", "expires_in"),
            json={"login": username, "password": password},
            anonymous=True,
        )
        if body:
            self.token, self.refresh = body["access_token"], body["refresh_token"]
            self.expires = time.monotonic() + float(body["expires_in"])
        return bool(body)
