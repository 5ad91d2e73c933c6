"""Issue 16, deliverable 5: a real client. Mastodon.py 2.x, unchanged, drives a real
``social serve`` process on the real services through the flows of mastodon-compat.md §10:
register an app, password sign-in, a photo post, the 422 of a text-only post, following a locked
account, home and hashtag timelines paged to the end, favourite, bookmark, reblog, reply and
context, notifications paged with ``fetch_next``, search, delete, revoke; then the sign-in and
the photo post again with ``version_check_mode="created"``. Each step names itself when it fails,
and no step may make Mastodon.py warn."""

from __future__ import annotations

import io
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import mastodon
import pytest
import requests
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonNotFoundError,
    MastodonUnauthorizedError,
)
from mastodon.return_types import Account, MediaAttachment, Notification, Status
from PIL import Image

from tests.api.mastodon.live import (
    TIMEOUT_S,
    Live,
    eventually,
    live_server,  # noqa: F401  (the fixture "live")
    photo,
    signed_in,
)
from tests.integration.conftest import production  # noqa: F401  (a fixture)

CLIENT_DIR = Path(mastodon.__file__).parent
"""Mastodon.py's own source: a warning raised from there is the client telling us off."""


@contextmanager
def step(number: int, what: str) -> Iterator[None]:
    """The §10 step a failure belongs to, in the failure's first line."""
    try:
        yield
    except Exception as error:
        raise AssertionError(f"§10 step {number} ({what}): {error!r}") from error


@contextmanager
def no_client_warnings() -> Iterator[None]:
    """Every warning Mastodon.py raises in the block fails the test (a deprecation header, a
    version without ``api_versions``, a timeline it thinks unavailable)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    raised = [w for w in caught if CLIENT_DIR in Path(w.filename).parents]
    assert [f"{w.category.__name__}: {w.message}" for w in raised] == []


def ready_photo(client: Mastodon, description: str) -> MediaAttachment:
    """An uploaded photo once processed, polled with ``media`` (``synchronous=True`` sleeps 5 s
    between polls: fine once, too slow for the 45 posts of step 6)."""
    upload = client.media_post(photo(), mime_type="image/jpeg", description=description)

    def processed() -> MediaAttachment | None:
        media = client.media(upload)
        return media if media.url else None

    return eventually(processed)


async def test_the_acceptance_flow(live: Live) -> None:
    live.register("alice")
    live.register("bob")
    with no_client_warnings():
        with step(1, "create_app, log_in, app_verify_credentials"):
            a = signed_in(live, "alice")
            b = signed_in(live, "bob")
            assert a.app_verify_credentials().name == "acc"
        with step(2, "verify_credentials and lookup"):
            me = a.account_verify_credentials()
            b_me = b.account_verify_credentials()
            assert (me.username, me.acct, b_me.acct) == ("alice", "alice", "bob")
            assert b.account_lookup(me.acct).id == me.id
        with step(3, "media_post synchronous, status_post, status"):
            s = post_with_photo(a, me)
        with step(4, "a text-only status is refused"):
            with pytest.raises(MastodonAPIError) as refused:
                a.status_post("text only")
            assert refused.value.args[1] == 422
        with step(5, "follow a locked account, authorize"):
            follow_locked(a, b, me, b_me)
        with step(6, "home timeline paged to the end, hashtag timeline"):
            more = home_and_hashtag(a, b, s)
        with step(7, "favourite, bookmark, reblog, reply, context"):
            c = interact(a, b, s, me)
        with step(8, "notifications with types, fetch_next"):
            notifications(a, b, more, b_me, c)
        with step(9, "search_v2"):
            tags = eventually(lambda: b.search_v2("cats").hashtags)
            assert tags[0].name == "cats"
            found = eventually(lambda: b.search_v2(me.username, result_type="accounts").accounts)
            assert me.id in [account.id for account in found]
        with step(10, "status_delete, revoke_access_token"):
            delete_and_revoke(live, a, b, s, b_me)


def post_with_photo(a: Mastodon, me: Account) -> Status:
    m = a.media_post(photo(), mime_type="image/jpeg", description="alt", synchronous=True)
    assert (m.type, m.description) == ("image", "alt")
    s: Status = a.status_post("hi #cats", media_ids=[m])
    assert s.created_at.tzinfo is not None
    assert (s.account.id, s.in_reply_to_id) == (me.id, None)
    seen = a.status(s.id)
    assert seen.id == s.id
    assert [attachment.id for attachment in seen.media_attachments] == [m.id]
    image = requests.get(seen.media_attachments[0].url, timeout=TIMEOUT_S)
    assert image.status_code == 200, image.text[:300]
    assert Image.open(io.BytesIO(image.content)).format == "JPEG"
    return s


def follow_locked(a: Mastodon, b: Mastodon, me: Account, b_me: Account) -> None:
    assert a.account_update_credentials(locked=True).locked is True
    asked = b.account_follow(me)
    assert (asked.id, asked.requested, asked.following) == (me.id, True, False)
    assert [account.id for account in a.follow_requests()] == [b_me.id]
    authorized = a.follow_request_authorize(b_me)
    assert (authorized.id, authorized.followed_by) == (b_me.id, True)
    assert b.account_relationships([me.id])[0].following is True
    assert a.follow_requests() == []
    # Public again for the rest of the flow: Mastodon refuses to reblog a followers-only
    # status (step 7), and the hashtag timeline and search are about public posts.
    assert a.account_update_credentials(locked=False).locked is False


def home_and_hashtag(a: Mastodon, b: Mastodon, s: Status) -> list[Status]:
    # the fan-out to followers' feeds is a job: a post reaches a home timeline a moment later
    eventually(lambda: s.id in [status.id for status in b.timeline_home()])
    photos = [ready_photo(a, f"photo {n}") for n in range(45)]
    more = [a.status_post(f"post {n}", media_ids=[m]) for n, m in enumerate(photos)]
    newest_first = [status.id for status in reversed([s, *more])]

    def walked() -> list[str]:
        return [status.id for status in b.fetch_remaining(b.timeline_home(limit=20))]

    ids = walked()
    deadline = time.monotonic() + 20  # until the fan-out jobs have delivered every post
    while not set(newest_first) <= set(ids) and time.monotonic() < deadline:
        time.sleep(0.2)
        ids = walked()
    assert ids == newest_first, (len(ids), len(set(ids)), len(newest_first))
    tagged = eventually(lambda: [status.id for status in b.timeline_hashtag("cats")])
    assert tagged == [s.id]
    return more


def interact(a: Mastodon, b: Mastodon, s: Status, me: Account) -> Status:
    assert b.status_favourite(s).favourited is True
    assert b.status_bookmark(s).bookmarked is True
    reblog = b.status_reblog(s)
    assert reblog.reblog.id == s.id and reblog.id != s.id
    c: Status = b.status_reply(s, "nice")
    assert c.in_reply_to_id == s.id
    assert [mention.id for mention in c.mentions] == [me.id]
    assert [status.id for status in a.status_context(s).descendants] == [c.id]
    seen = b.status(s.id)
    assert (seen.favourited, seen.bookmarked, seen.reblogged) == (True, True, True)
    assert (seen.favourites_count, seen.reblogs_count, seen.replies_count) == (1, 1, 1)
    return c


def notifications(a: Mastodon, b: Mastodon, more: list[Status], b_me: Account, c: Status) -> None:
    for status in more[:3]:  # four favourites and a mention: more than two pages of two
        b.status_favourite(status)
    wanted = ["favourite", "mention", "follow"]

    def all_of_them() -> list[Notification] | None:
        found = a.notifications(types=wanted, limit=40)
        kinds = Counter(n.type for n in found)
        return found if (kinds["favourite"], kinds["mention"]) == (4, 1) else None

    everything = eventually(all_of_them)
    assert {n.type for n in everything} <= set(wanted)
    assert {n.account.id for n in everything} == {b_me.id}
    mentions = [n.status for n in everything if n.type == "mention"]
    assert [status.id for status in mentions if status is not None] == [c.id]
    first = a.notifications(types=wanted, limit=2)
    second = a.fetch_next(first)
    assert second is not None
    paged = [n.id for n in first] + [n.id for n in second]
    assert paged == [n.id for n in everything][:4]


def delete_and_revoke(live: Live, a: Mastodon, b: Mastodon, s: Status, b_me: Account) -> None:
    deleted = a.status_delete(s)
    assert (deleted.id, deleted.text) == (s.id, "hi #cats")
    with pytest.raises(MastodonNotFoundError):
        a.status(s.id)
    token = a.access_token
    a.revoke_access_token(allow_http=True)  # the OAuth metadata names http URLs here
    old = Mastodon(access_token=token, api_base_url=live.url, request_timeout=TIMEOUT_S)
    with pytest.raises(MastodonUnauthorizedError):
        old.account_verify_credentials()
    assert b.account_verify_credentials().id == b_me.id  # only that token is gone


async def test_the_first_steps_with_version_checks(live: Live) -> None:
    """Step 11: with ``version_check_mode="created"`` every call first compares the version the
    instance claims with the one that introduced the endpoint."""
    live.register("alice")
    live.register("bob")
    with no_client_warnings(), step(11, "steps 1-3 with version_check_mode='created'"):
        a = signed_in(live, "alice", version_check_mode="created")
        b = signed_in(live, "bob", version_check_mode="created")
        assert a.app_verify_credentials().name == "acc"
        assert a.verify_minimum_version("3.1.4", cached=True)  # so media_post takes v2
        me = a.account_verify_credentials()
        assert b.account_lookup(me.acct).id == me.id
        post_with_photo(a, me)
