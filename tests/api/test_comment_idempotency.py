"""A comment retried with its ``Idempotency-Key`` (a client whose request died at a proxy) is
posted once: the retry answers the first comment."""

from __future__ import annotations

from tests.api.conftest import Api, bearer
from tests.api.test_interactions_and_feeds import publish


async def test_a_retried_comment_is_posted_once(worker_api: Api) -> None:
    api = worker_api
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    post = await publish(api, alice, "Sunset")
    url = f"/api/v1/posts/{post['id']}/comments"
    headers = bearer(bob) | {"Idempotency-Key": "comment-1"}
    first = await api.client.post(url, json={"text": "Lovely"}, headers=headers)
    again = await api.client.post(url, json={"text": "Lovely"}, headers=headers)
    other = await api.client.post(
        url, json={"text": "Lovely"}, headers=bearer(bob) | {"Idempotency-Key": "comment-2"}
    )
    assert first.status_code == again.status_code == other.status_code == 201, first.text
    assert again.json()["id"] == first.json()["id"] != other.json()["id"]
    listed = (await api.client.get(url, headers=bearer(bob))).json()["items"]
    assert sorted(c["id"] for c in listed) == sorted([first.json()["id"], other.json()["id"]])
    too_long = await api.client.post(
        url, json={"text": "x"}, headers=bearer(bob) | {"Idempotency-Key": "k" * 256}
    )
    assert too_long.status_code == 422
