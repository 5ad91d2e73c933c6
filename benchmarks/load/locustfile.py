"""The mixed workload of issue 19: members using the product as people use Instagram.

    uv run locust -f benchmarks/load/locustfile.py --host http://127.0.0.1:8150 \\
        --headless --users 50 --spawn-rate 10 --run-time 60s     # or benchmarks/load/run.py

Who: ``TokenMember`` (9 in 10) takes a seeded access token (``--tokens-file``: the 2,000
signed-in accounts of ``seed_feed_data.py``, so about five simulated people share one account
at 10,000 users); ``PasswordMember`` (1 in 10) signs in with a seeded username and the shared
password (``--password``) first, refreshes its token before it expires (soak runs last longer
than the 15-minute token), and now and then signs in again (a new device).

What, and why these weights: a photo app is read-heavy: people scroll far more than they
post. Per task (each followed by ``--think-min``..``--think-max`` seconds of think time, 2 to 14 s,
mean 8 s: reading a page of photos; 10,000 members then ask about 1,300 requests a second):

    read the home feed, first page            24   the app's opening screen, pulled to refresh
    scroll the feed (``next_cursor``)         20   then scrolling, a page of 20 at a time
    open a post seen (+ its comments, 1 in 3) 12
    open a profile seen (+ its grid)           8   two requests: profile, then its posts
    notifications (+ unread count, 1 in 2)     6
    explore                                    4
    a tag page (+ the tag's count, 1 in 2)     4
    search (posts, people or tags)             3
    like a post seen, or unlike one liked      7   the commonest write, ~ 1 in 12 requests
    comment on a post seen                     2
    follow someone shown, or unfollow          1.5
    upload a photo and post it                 0.5  POST /media, poll until ready, POST /posts

So about 92 % of tasks and ~ 90 % of requests read (a post's upload polls are reads); ~ 1 in 12
requests writes. Every request is checked for its status and its shape (``members.py``): a
page has an ``items`` list and a ``next_cursor`` key, a feed item its post, a like answers
``liked`` as asked…; anything else is a failure in Locust with the reason.
"""

from __future__ import annotations

import random
import time
from typing import Any

from locust import task
from members import (
    SEEDED_USERS,
    TAGS,
    WORDS,
    Member,
    feed_page,
    jpeg,
    keys,
    multipart,
    page,
    post_page,
    tokens,
)

MEDIA_POLL_S = 0.5
MEDIA_POLLS = 40


class Mixed(Member):
    """The tasks of the mix above; subclasses say who the member is."""

    abstract = True

    def on_start(self) -> None:
        self.cursor: str | None = None

    @task(24)
    def open_feed(self) -> None:
        body = self.call("GET", "/api/v1/feed?limit=20", "GET /feed", 200, feed_page)
        self.cursor = body["next_cursor"] if body else None

    @task(20)
    def scroll_feed(self) -> None:
        if not self.cursor:
            self.open_feed()
            return
        path = f"/api/v1/feed?limit=20&cursor={self.cursor}"
        body = self.call("GET", path, "GET /feed?cursor", 200, feed_page)
        self.cursor = body["next_cursor"] if body else None

    @task(12)
    def open_post(self) -> None:
        post = self.seen_post()
        if post is None:
            self.open_feed()
            return
        pid = post["id"]
        self.call("GET", f"/api/v1/posts/{pid}", "GET /posts/{id}", 200, keys(id=pid))
        if random.random() < 1 / 3:
            path = f"/api/v1/posts/{pid}/comments?limit=20"
            self.call("GET", path, "GET /posts/{id}/comments", 200, page, remember=False)

    @task(8)
    def open_profile(self) -> None:
        post = self.seen_post()
        if post is None:
            self.open_feed()
            return
        name = post["author"]["username"]
        self.call("GET", f"/api/v1/users/{name}", "GET /users/{u}", 200, keys(username=name))
        path = f"/api/v1/users/{name}/posts?limit=12"
        self.call("GET", path, "GET /users/{u}/posts", 200, post_page)

    @task(6)
    def notifications(self) -> None:
        self.call("GET", "/api/v1/notifications?limit=20", "GET /notifications", 200, page)
        if random.random() < 0.5:
            path = "/api/v1/notifications/unread-count"
            self.call("GET", path, "GET /notifications/unread-count", 200, keys("count"))

    @task(4)
    def explore(self) -> None:
        self.call("GET", "/api/v1/explore?limit=20", "GET /explore", 200, post_page)

    @task(4)
    def tag_page(self) -> None:
        tag = random.choice(TAGS)
        self.call(
            "GET", f"/api/v1/tags/{tag}/posts?limit=20", "GET /tags/{t}/posts", 200, post_page
        )
        if random.random() < 0.5:
            self.call(
                "GET", f"/api/v1/tags/{tag}", "GET /tags/{t}", 200, keys("posts_count", name=tag)
            )

    @task(3)
    def search(self) -> None:
        kind = random.choices(("posts", "users", "tags"), weights=(5, 3, 2))[0]
        q = {"posts": random.choice(WORDS), "users": "bench00", "tags": random.choice(TAGS)[:3]}
        path = f"/api/v1/search?type={kind}&q={q[kind]}&limit=20"
        self.call("GET", path, f"GET /search?type={kind}", 200, _search(kind))

    @task(7)
    def like(self) -> None:
        post = self.seen_post()
        if post is None:
            self.open_feed()
            return
        pid = post["id"]
        if pid in self.liked and random.random() < 0.5:
            self.liked.discard(pid)
            check = keys("likes_count", liked=False)
            self.call("DELETE", f"/api/v1/posts/{pid}/like", "DELETE /posts/{id}/like", 200, check)
            return
        check = keys("likes_count", liked=True)
        if self.call("POST", f"/api/v1/posts/{pid}/like", "POST /posts/{id}/like", 200, check):
            self.liked.add(pid)

    @task(2)
    def comment(self) -> None:
        post = self.seen_post()
        if post is None or not post.get("comments_enabled", True):
            self.open_feed()
            return
        pid, text = post["id"], " ".join(random.sample(WORDS, 3))
        path = f"/api/v1/posts/{pid}/comments"
        self.call(
            "POST",
            path,
            "POST /posts/{id}/comments",
            201,
            keys("id", post_id=pid),
            json={"text": text},
        )

    @task(3)
    def follow(self) -> None:  # weight 1.5 of 100: half the draws of this weight-3 task
        if random.random() < 0.5:
            return
        if self.followed and (random.random() < 0.4 or not self.strangers):
            name = self.followed.pop(0)
            self.call("DELETE", f"/api/v1/users/{name}/follow", "DELETE /users/{u}/follow", 204)
            return
        name = self.strangers.pop() if self.strangers else self.anyone()
        if self.call(
            "POST", f"/api/v1/users/{name}/follow", "POST /users/{u}/follow", 200, keys("state")
        ):
            self.followed.append(name)

    @task(1)
    def upload_and_post(self) -> None:  # weight 0.5 of 100: half the draws
        if random.random() < 0.5:
            return
        post_photo(self)


def post_photo(member: Member) -> str | None:
    """``POST /media``, ``GET /media/{id}`` until ready, ``POST /posts`` with it: the post's id."""
    data, content_type = multipart("file", "photo.jpg", jpeg(), "image/jpeg")
    headers = {"Content-Type": content_type}
    media = member.call(
        "POST",
        "/api/v1/media",
        "POST /media",
        202,
        keys("id", "status"),
        data=data,
        headers=headers,
    )
    if not media:
        return None
    for _ in range(MEDIA_POLLS):
        if media["status"] == "ready":
            break
        if media["status"] == "failed":
            return None
        time.sleep(MEDIA_POLL_S)
        media = member.call(
            "GET", f"/api/v1/media/{media['id']}", "GET /media/{id}", 200, keys("id", "status")
        )
        if not media:
            return None
    caption = f"{' '.join(random.sample(WORDS, 4))} #{random.choice(TAGS)}"
    body = {"caption": caption, "media_ids": [media["id"]]}
    post = member.call("POST", "/api/v1/posts", "POST /posts", 201, keys("id", "media"), json=body)
    return post["id"] if post else None


def _search(kind: str) -> Any:
    def check(body: Any) -> str | None:
        wrong = page(body)
        return wrong or (None if body.get("type") == kind else f"type is not {kind}")

    return check


class TokenMember(Mixed):
    """A member already signed in on this device: one of the seeded access tokens."""

    weight = 9

    def on_start(self) -> None:
        super().on_start()
        self.token = random.choice(tokens(self.environment.parsed_options.tokens_file))
        self.whoami()


class PasswordMember(Mixed):
    """A member who signs in with username and password, keeps the token fresh with the refresh
    token, and signs in again now and then."""

    weight = 1

    def on_start(self) -> None:
        super().on_start()
        self.username = f"bench{random.randrange(SEEDED_USERS):06d}"
        self.sign_in(self.username, self.environment.parsed_options.password)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        if self.token and time.monotonic() > self.expires - 60 and not kwargs.get("anonymous"):
            self._refresh()
        return super().call(*args, **kwargs)

    def _refresh(self) -> None:
        body = super().call(
            "POST",
            "/api/v1/auth/refresh",
            "POST /auth/refresh",
            200,
            keys("access_token", "refresh_token", "expires_in"),
            json={"refresh_token": self.refresh},
            anonymous=True,
        )
        if body:
            self.token, self.refresh = body["access_token"], body["refresh_token"]
            self.expires = time.monotonic() + float(body["expires_in"])

    @task(1)
    def sign_in_again(self) -> None:
        self.sign_in(self.username, self.environment.parsed_options.password)
