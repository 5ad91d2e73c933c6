"""Mastodon entities from the read model's cards: every field a client reads, in its type."""

from __future__ import annotations

import json
import time
from uuid import uuid4

from social.adapters.mastodon.entities import (
    Entities,
    context_json,
    notification_json,
    relationship_json,
    tag_json,
)
from social.domain.graph.model import Relationship
from social.domain.notifications.model import Notification, NotificationKind
from social.domain.reads.model import Comment, ViewerFlags
from tests.unit.mastodon.samples import AT, account, post

BASE = "https://social.example"


def test_an_account() -> None:
    card = account("alice", private=True)
    out = json.loads(Entities(BASE).account(card))
    assert out["id"] == str(card.state.id)
    assert out["username"] == out["acct"] == "alice"
    assert out["locked"] is True and out["discoverable"] is False
    assert out["note"] == (
        '<p>I &lt;3 <a href="https://social.example/tags/cats" class="mention hashtag" '
        'rel="tag">#<span>cats</span></a></p>'
    )
    assert out["url"] == f"{BASE}/@alice"
    assert out["avatar"] == out["avatar_static"] == f"{BASE}/mastodon/default-avatar.png"
    assert out["header"] == f"{BASE}/mastodon/default-header.png"
    assert out["created_at"] == "2026-12-03T18:42:02.123Z"
    assert (out["followers_count"], out["following_count"], out["statuses_count"]) == (10, 7, 3)
    assert out["last_status_at"] is None and out["emojis"] == []
    assert out["fields"][0]["name"] == "Website"
    assert 'href="https://example.org/me"' in out["fields"][0]["value"]
    assert out["bot"] is False and out["group"] is False


def test_a_post() -> None:
    entities = Entities(BASE)
    bob = account("bob")
    entities.account(bob)  # bob's id is known once his account was rendered
    alice = account("alice")
    card = post(alice, flags=ViewerFlags(liked=True, bookmarked=True))
    out = json.loads(entities.status(card))
    assert out["id"] == str(card.state.id)
    assert out["account"]["id"] == str(alice.state.id)
    assert out["visibility"] == "public"
    assert out["text"] == "Sunset #Beach with @bob\nsecond line"
    assert out["content"].startswith("<p>Sunset <a href=")
    assert out["mentions"] == [
        {"id": str(bob.state.id), "username": "bob", "acct": "bob", "url": f"{BASE}/@bob"}
    ]
    assert out["tags"] == [{"name": "beach", "url": f"{BASE}/tags/beach"}]
    assert (out["favourites_count"], out["replies_count"], out["reblogs_count"]) == (5, 2, 1)
    assert (out["favourited"], out["bookmarked"], out["reblogged"]) == (True, True, False)
    assert out["reblog"] is None and out["in_reply_to_id"] is None
    assert out["spoiler_text"] == "" and out["sensitive"] is False
    assert out["url"] == f"{BASE}/@alice/{card.state.id}"
    (media,) = out["media_attachments"]
    assert media["type"] == "image" and media["url"] == "https://s3/large.jpg"
    assert media["preview_url"] == "https://s3/small.jpg"
    assert media["meta"]["original"] == {
        "width": 1080,
        "height": 810,
        "size": "1080x810",
        "aspect": 1.333333,
    }
    assert media["meta"]["small"]["size"] == "320x240"
    assert media["description"] == "a cat"


def test_an_unknown_mention_is_left_out_until_its_id_is_learned() -> None:
    entities = Entities(BASE)
    card = post(account("alice"))
    assert entities.unknown_mentions([card]) == {"bob"}
    assert json.loads(entities.status(card))["mentions"] == []
    bob_id = uuid4()
    entities.learn_ids({"bob": bob_id})
    assert json.loads(entities.status(card))["mentions"][0]["id"] == str(bob_id)


def test_a_private_authors_post_is_private() -> None:
    out = json.loads(Entities(BASE).status(post(account("carol", private=True))))
    assert out["visibility"] == "private"


def test_a_share_is_a_reblog() -> None:
    entities = Entities(BASE)
    card = post(account("alice"))
    sharer = account("bob")
    share_id = uuid4()
    out = json.loads(entities.share(share_id, AT, sharer, card))
    assert out["id"] == str(share_id)
    assert out["account"]["id"] == str(sharer.state.id)
    assert out["reblog"]["id"] == str(card.state.id)
    assert out["content"] == "" and out["created_at"] == "2026-12-03T18:42:02.123Z"


def test_a_comment_is_a_reply() -> None:
    entities = Entities(BASE)
    alice, bob = account("alice"), account("bob")
    post_id = uuid4()
    top = Comment(uuid4(), post_id, bob.state.id, "nice <b>", AT, replies_count=1)
    out = json.loads(
        entities.comment(top, bob, in_reply_to_account_id=alice.state.id, private=False)
    )
    assert out["in_reply_to_id"] == str(post_id)
    assert out["in_reply_to_account_id"] == str(alice.state.id)
    assert out["content"] == "<p>nice &lt;b&gt;</p>" and out["text"] == "nice <b>"
    assert out["replies_count"] == 1 and out["media_attachments"] == []
    reply = Comment(uuid4(), post_id, alice.state.id, "@bob thanks", AT, parent_id=top.id)
    out = json.loads(
        entities.comment(reply, alice, in_reply_to_account_id=bob.state.id, private=True)
    )
    assert out["in_reply_to_id"] == str(top.id) and out["visibility"] == "private"
    assert out["mentions"][0]["id"] == str(bob.state.id)


def test_relationship_tag_context_notification() -> None:
    rel = json.loads(relationship_json(uuid4(), Relationship(following=True, muting=True)))
    assert rel["following"] and rel["showing_reblogs"] and rel["muting_notifications"]
    assert not rel["requested"] and not rel["blocked_by"] and rel["note"] == ""
    assert json.loads(tag_json("cats", f"{BASE}/tags/cats")) == {
        "name": "cats",
        "url": f"{BASE}/tags/cats",
        "history": [],
        "following": False,
    }
    assert json.loads(context_json([b"1"], [b"2", b"3"])) == {
        "ancestors": [1],
        "descendants": [2, 3],
    }
    entities = Entities(BASE)
    actor = account("bob")
    n = Notification(uuid4(), uuid4(), NotificationKind.LIKE, actor.state.id, AT, post_id=uuid4())
    out = json.loads(notification_json(n, entities.account(actor), b'{"id":"1"}'))
    assert out["type"] == "favourite" and out["group_key"] == f"ungrouped-{n.id}"
    assert out["status"] == {"id": "1"} and out["account"]["username"] == "bob"
    follow = Notification(uuid4(), uuid4(), NotificationKind.FOLLOW, actor.state.id, AT)
    assert json.loads(notification_json(follow, entities.account(actor), None))["status"] is None


def test_a_page_of_twenty_costs_little_once_translated() -> None:
    """Prints the cost (no timed assertion: a shared machine's timings vary)."""
    entities = Entities(BASE)
    viewer_rel = Relationship(following=True)
    cards = [post(account(f"user{i}", relationship=viewer_rel), items=3) for i in range(20)]
    start = time.perf_counter()
    first = b"[%b]" % b",".join(map(entities.status, cards))
    cold = time.perf_counter() - start
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        again = b"[%b]" % b",".join(map(entities.status, cards))
    warm = (time.perf_counter() - start) / rounds
    assert again == first and len(json.loads(again)) == 20
    print(f"\nMastodon page of 20 statuses: first {cold * 1e3:.2f} ms, then {warm * 1e6:.0f} µs")
