"""Part 2 of issue 19 (write paths, logins), as Locust users beside the mixed workload's.

    uv run python benchmarks/load/run.py --scenario writes    # Writer at 200/s + TokenMember
    uv run python benchmarks/load/run.py --scenario login     # FeedReader, then + SignIn at 10/s

- ``Writer``: ``--writers`` of them (``fixed_count``), each one write a second
  (``constant_throughput``), so 200 writers make 200 writes/s whatever the latency: like or
  unlike 50 %, comment 20 %, follow or unfollow 20 %, post 10 % (the post's photo was uploaded
  at the writer's previous post, so ``POST /posts`` is one request; the upload, ``POST /media``,
  is reported apart and is not one of the 200/s).
- ``SignIn``: ``POST /auth/login`` with a seeded username and the password, ``--login-rate``
  a second in all (two users per sign-in a second, each at most one every two seconds, so a
  slow argon2 does not lower the rate).
- ``FeedReader``: the home feed's first page, or the next one by ``next_cursor``, after 0.5
  to 1.5 s (a fast scroller): the feed whose p99 must stay put while logins run.

The mixed members (``TokenMember``, ``PasswordMember``) are importable from here too, so a
scenario runs them alongside as the background load.
"""

from __future__ import annotations

import random
from typing import Any

from locust import between, constant_throughput, events, task
from locustfile import Mixed, PasswordMember, TokenMember
from members import SEEDED_USERS, WORDS, Member, feed_page, jpeg, keys, multipart, tokens

__all__ = ["FeedReader", "Mixed", "PasswordMember", "SignIn", "TokenMember", "Writer"]


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--writers", type=int, default=200, help="Writer users, 1 write/s each")
    parser.add_argument("--login-rate", type=float, default=10.0, help="sign-ins a second")


@events.init.add_listener
def _counts(environment: Any, **_: Any) -> None:
    options = environment.parsed_options
    if options is not None:
        Writer.fixed_count = options.writers
        SignIn.fixed_count = max(1, round(options.login_rate * 2))


class _Token(Member):
    abstract = True

    def on_start(self) -> None:
        self.token = random.choice(tokens(self.environment.parsed_options.tokens_file))
        self.cursor: str | None = None
        self.whoami()

    def read_feed(self, name: str = "GET /feed") -> None:
        path = "/api/v1/feed?limit=20" + (f"&cursor={self.cursor}" if self.cursor else "")
        body = self.call("GET", path, name + ("?cursor" if self.cursor else ""), 200, feed_page)
        self.cursor = body["next_cursor"] if body else None


class Writer(_Token):
    """One write a second: what a writer likes, comments or follows comes from its feed."""

    wait_time = constant_throughput(1)
    fixed_count = 200

    def on_start(self) -> None:
        super().on_start()
        self.media: str | None = None
        self.read_feed("GET /feed (writer)")

    @task(50)
    def like(self) -> None:
        post = self.seen_post()
        if post is None:
            self.read_feed("GET /feed (writer)")
            return
        pid = post["id"]
        if pid in self.liked:
            self.liked.discard(pid)
            check = keys("likes_count", liked=False)
            self.call(
                "DELETE",
                f"/api/v1/posts/{pid}/like",
                "DELETE /posts/{id}/like (writer)",
                200,
                check,
            )
        elif self.call(
            "POST",
            f"/api/v1/posts/{pid}/like",
            "POST /posts/{id}/like (writer)",
            200,
            keys("likes_count", liked=True),
        ):
            self.liked.add(pid)

    @task(20)
    def comment(self) -> None:
        post = self.seen_post()
        if post is None or not post.get("comments_enabled", True):
            return
        pid = post["id"]
        self.call(
            "POST",
            f"/api/v1/posts/{pid}/comments",
            "POST /posts/{id}/comments (writer)",
            201,
            keys("id", post_id=pid),
            json={"text": " ".join(random.sample(WORDS, 3))},
        )

    @task(20)
    def follow(self) -> None:
        if self.followed and len(self.followed) > len(self.strangers):
            name = self.followed.pop(0)
            self.call(
                "DELETE", f"/api/v1/users/{name}/follow", "DELETE /users/{u}/follow (writer)", 204
            )
            return
        fallback = self.anyone()
        name = self.strangers.pop() if self.strangers else fallback
        path = f"/api/v1/users/{name}/follow"
        if self.call("POST", path, "POST /users/{u}/follow (writer)", 200, keys("state")):
            self.followed.append(name)

    @task(10)
    def post(self) -> None:
        """Post the photo uploaded last time once it is processed (one ``GET /media/{id}``;
        still processing: a like instead), then upload the next one."""
        if self.media is not None:
            check = keys("id", "status")
            path = f"/api/v1/media/{self.media}"
            media = self.call("GET", path, "GET /media/{id} (writer)", 200, check)
            if media and media["status"] == "processing":
                self.like()
                return
            if media and media["status"] == "ready":
                body = {"caption": f"{random.choice(WORDS)} #loadtest", "media_ids": [self.media]}
                self.call(
                    "POST", "/api/v1/posts", "POST /posts (writer)", 201, keys("id"), json=body
                )
            self.media = None
        data, content_type = multipart("file", "photo.jpg", jpeg(), "image/jpeg")
        media = self.call(
            "POST",
            "/api/v1/media",
            "POST /media (writer)",
            202,
            keys("id", "status"),
            data=data,
            headers={"Content-Type": content_type},
        )
        self.media = media["id"] if media else None


class SignIn(Member):
    """A sign-in every two seconds at most: a seeded account and its password."""

    wait_time = constant_throughput(0.5)
    fixed_count = 20

    @task
    def sign_in_now(self) -> None:
        self.sign_in(
            f"bench{random.randrange(SEEDED_USERS):06d}", self.environment.parsed_options.password
        )


class FeedReader(_Token):
    """Reads and scrolls the home feed."""

    wait_time = between(0.5, 1.5)

    @task
    def scroll(self) -> None:
        if random.random() < 0.45 and self.cursor:
            self.read_feed()
        else:
            self.cursor = None
            self.read_feed()
