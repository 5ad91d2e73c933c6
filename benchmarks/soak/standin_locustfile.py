"""A STAND-IN workload for the soak, until the load test's ``benchmarks/load/locustfile.py``
exists: signed-in users reading their home feed (and scrolling it by cursor), opening authors'
profiles and liking / unliking posts they saw. Not the mixed workload of issue 19 part 1.

    uv run locust -f benchmarks/soak/standin_locustfile.py --host http://127.0.0.1:8200 \\
        --headless -u 20 -r 5 -t 1m      # with SOAK_TOKENS set (soak.py sets it)

Environment: ``SOAK_TOKENS`` (a file of access tokens, one a line: each simulated user takes the
next), ``SOAK_USER_RPS`` (requests a second per user; ``constant_throughput``, so the total rate
is users times this whatever the latency, as long as the server keeps up). Every answer is checked
for its status and the shape the client relies on; anything else is a failure.
"""

from __future__ import annotations

import itertools
import os
import random
from pathlib import Path
from typing import Any

from locust import constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

_TOKENS = [t for t in Path(os.environ.get("SOAK_TOKENS", "/dev/null")).read_text().split() if t]
_NEXT = itertools.count()


class Member(FastHttpUser):
    """One signed-in account; mix by weight: feed 6, next page 2, profile 3, like or unlike 2."""

    wait_time = constant_throughput(float(os.environ.get("SOAK_USER_RPS", "1")))

    def on_start(self) -> None:
        if not _TOKENS:
            raise RuntimeError("SOAK_TOKENS names no file of access tokens")
        token = _TOKENS[next(_NEXT) % len(_TOKENS)]
        self.headers = {"Authorization": f"Bearer {token}"}
        self.cursor: str | None = None
        self.seen: list[tuple[str, str, bool]] = []  # (post id, author's username, liked)

    def _page(self, path: str, name: str) -> None:
        with self.client.get(path, headers=self.headers, name=name, catch_response=True) as r:
            body: Any = r.json() if r.status_code == 200 else None
            if not isinstance(body, dict) or not isinstance(body.get("items"), list):
                r.failure(f"{r.status_code}: not a feed page")
                return
            self.cursor = body.get("next_cursor")
            for item in body["items"]:
                post = item["post"]
                self.seen.append((post["id"], post["author"]["username"], post["liked"]))
            self.seen = self.seen[-100:]

    @task(6)
    def feed(self) -> None:
        self._page("/api/v1/feed?limit=20", "GET /api/v1/feed")

    @task(2)
    def scroll(self) -> None:
        if self.cursor is None:
            return self.feed()
        self._page(f"/api/v1/feed?limit=20&cursor={self.cursor}", "GET /api/v1/feed?cursor")
        return None

    @task(3)
    def profile(self) -> None:
        if not self.seen:
            return self.feed()
        username = random.choice(self.seen)[1]
        name = "GET /api/v1/users/{username}"
        with self.client.get(
            f"/api/v1/users/{username}", headers=self.headers, name=name, catch_response=True
        ) as r:
            if r.status_code != 200 or r.json().get("username") != username:
                r.failure(f"{r.status_code}: not the profile of {username}")
        return None

    @task(2)
    def like(self) -> None:
        if not self.seen:
            return self.feed()
        index = random.randrange(len(self.seen))
        post_id, username, liked = self.seen[index]
        method = self.client.delete if liked else self.client.post
        name = f"{'DELETE' if liked else 'POST'} /api/v1/posts/{{id}}/like"
        with method(
            f"/api/v1/posts/{post_id}/like", headers=self.headers, name=name, catch_response=True
        ) as r:
            if r.status_code != 200 or r.json().get("liked") is liked:
                r.failure(f"{r.status_code}: the like did not turn {'off' if liked else 'on'}")
            else:
                self.seen[index] = (post_id, username, not liked)
        return None
