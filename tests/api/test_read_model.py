"""The read model through HTTP: every change shows on the very next read, by the person who made
it and by everyone else, on the embedded shape (presentations in process memory) and on the
production shape (Redis, MinIO, OpenSearch); counters are exact; and every page is exactly the
documented object (decoded strictly into the OpenAPI types)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from social.adapters.http.feed.schemas import FeedPageOut
from social.adapters.http.interactions.schemas import CommentPageOut
from social.adapters.http.posts.schemas import PostOut, PostPageOut
from social.adapters.http.users.schemas import UserOut, UserPageOut
from social.adapters.postgres.database import Database
from social.app import create_app
from social.domain.shared.identity import Role
from social.settings import Settings
from tests.api.conftest import Api, api_settings, bearer
from tests.api.test_avatar_and_deletion import upload as upload_avatar
from tests.api.test_interactions_and_feeds import follow, publish
from tests.api.test_moderation import make, user_id
from tests.integration.conftest import production  # noqa: F401  (a fixture)
from tests.media_files import jpeg

__all__ = ["strictly"]


@pytest.fixture(params=["embedded", "production"])
def shape(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Settings:
    """Sync on purpose: ``getfixturevalue`` of an async fixture needs the loop to be idle."""
    if request.param == "embedded":
        return api_settings(database_url, tmp_path, run_worker_in_process=True)
    every_service: Settings = request.getfixturevalue("production")
    return every_service.with_values(run_worker_in_process=True)


@pytest.fixture
async def api(shape: Settings, database: Database) -> AsyncIterator[Api]:
    """The app with its job worker, presentations in this process or in Redis."""
    async with AsyncTestClient(app=create_app(shape)) as client:
        yield Api(client=client, database=database)


def strictly(body: bytes, shape: type[Any]) -> Any:
    """The body decoded into its documented type, checked to say exactly that: no field
    missing (decoding fails), none extra and every value as the type writes it."""
    typed = msgspec.json.decode(body, type=shape)
    assert msgspec.json.decode(msgspec.json.encode(typed)) == msgspec.json.decode(body)
    return typed


async def get(api: Api, path: str, token: str | None = None, **params: Any) -> Any:
    return await api.client.get(path, headers=bearer(token) if token else {}, params=params)


async def fetched(api: Api, url: str) -> int:
    """The status of a media URL: served by the app (local disk) or by the storage (S3)."""
    if "/media-files/" in url:
        return (await api.client.get(url)).status_code
    async with httpx.AsyncClient() as client:
        return (await client.get(url)).status_code


async def post_seen(api: Api, post_id: str, token: str | None = None) -> dict[str, Any] | None:
    """The post as this viewer reads it, or ``None`` when it does not exist for them."""
    response = await get(api, f"/api/v1/posts/{post_id}", token)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    strictly(response.content, PostOut)
    return dict(response.json())


async def feed_posts(api: Api, token: str) -> dict[str, dict[str, Any]]:
    response = await get(api, "/api/v1/feed", token)
    assert response.status_code == 200, response.text
    strictly(response.content, FeedPageOut)
    return {item["post"]["id"]: item["post"] for item in response.json()["items"]}


async def tag_posts(api: Api, tag: str, token: str | None = None) -> dict[str, dict[str, Any]]:
    response = await get(api, f"/api/v1/tags/{tag}/posts", token)
    assert response.status_code == 200, response.text
    strictly(response.content, PostPageOut)
    return {post["id"]: post for post in response.json()["items"]}


async def scene(api: Api) -> tuple[str, str, str, dict[str, Any]]:
    """alice posts; bob follows her; carol is a stranger; every read path is warmed first."""
    alice, bob, carol = (
        await api.token_for("alice"),
        await api.token_for("bob"),
        await api.token_for("carol"),
    )
    await follow(api, bob, "alice")
    post = await publish(
        api, alice, "first words #sea", place={"name": "Kuta", "latitude": -8.7, "longitude": 115.2}
    )
    for token in (alice, bob, carol, None):
        assert await post_seen(api, post["id"], token) is not None
        assert post["id"] in await tag_posts(api, "sea", token)
    assert post["id"] in await feed_posts(api, bob)
    return alice, bob, carol, post


async def test_an_edit_shows_at_once_everywhere(api: Api) -> None:
    alice, bob, carol, post = await scene(api)
    edited = await api.client.patch(
        f"/api/v1/posts/{post['id']}",
        json={"caption": "second thoughts #sea", "comments_enabled": False},
        headers=bearer(alice),
    )
    assert edited.status_code == 200 and edited.json()["caption"] == "second thoughts #sea"
    for token in (bob, carol, None):
        seen = await post_seen(api, post["id"], token)
        assert seen is not None and seen["caption"] == "second thoughts #sea"
        assert seen["comments_enabled"] is False and seen["edited_at"] is not None
        assert (await tag_posts(api, "sea", token))[post["id"]]["caption"] == "second thoughts #sea"
    assert (await feed_posts(api, bob))[post["id"]]["caption"] == "second thoughts #sea"


async def test_a_new_name_and_avatar_show_at_once_and_so_does_their_removal(api: Api) -> None:
    alice, bob, carol, post = await scene(api)
    renamed = await api.client.patch(
        "/api/v1/me", json={"display_name": "Alice of Bali", "bio": "hi"}, headers=bearer(alice)
    )
    assert renamed.status_code == 200
    for token in (bob, carol, None):
        seen = await post_seen(api, post["id"], token)
        assert seen is not None and seen["author"]["display_name"] == "Alice of Bali"
        profile = await get(api, "/api/v1/users/alice", token)
        strictly(profile.content, UserOut)
        assert (profile.json()["display_name"], profile.json()["bio"]) == ("Alice of Bali", "hi")
    assert (await feed_posts(api, bob))[post["id"]]["author"]["display_name"] == "Alice of Bali"
    avatar = (await upload_avatar(api, alice, jpeg((200, 200)))).json()["avatar"]
    assert avatar["status"] == "ready"
    for token in (bob, None):
        seen = await post_seen(api, post["id"], token)
        assert seen is not None and seen["author"]["avatar"]["id"] == avatar["id"]
        assert (await get(api, "/api/v1/users/alice", token)).json()["avatar"]["id"] == avatar["id"]
    cached = await post_seen(api, post["id"], carol)
    assert cached is not None
    for variant in cached["author"]["avatar"]["variants"]:  # URLs in presentations work
        assert await fetched(api, variant["url"]) == 200
    removed = await api.client.delete("/api/v1/me/avatar", headers=bearer(alice))
    assert removed.status_code == 200
    for token in (bob, carol, None):
        seen = await post_seen(api, post["id"], token)
        assert seen is not None and seen["author"]["avatar"] is None
    assert (await feed_posts(api, bob))[post["id"]]["author"]["avatar"] is None


async def test_going_private_hides_posts_from_all_but_followers_at_once(api: Api) -> None:
    alice, bob, carol, post = await scene(api)
    assert (
        await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(alice))
    ).status_code == 200
    assert await post_seen(api, post["id"], None) is None
    assert await post_seen(api, post["id"], carol) is None
    followed = await post_seen(api, post["id"], bob)
    assert followed is not None and followed["author"]["is_private"] is True
    assert (await feed_posts(api, bob))[post["id"]]["author"]["is_private"] is True
    for token in (bob, carol, None):
        assert post["id"] not in await tag_posts(api, "sea", token)
    grid = await get(api, "/api/v1/users/alice/posts", carol)
    assert grid.status_code == 404
    assert (
        await api.client.patch("/api/v1/me", json={"is_private": False}, headers=bearer(alice))
    ).status_code == 200
    assert await post_seen(api, post["id"], carol) is not None


async def test_a_block_hides_both_ways_at_once(api: Api) -> None:
    alice, bob, carol, post = await scene(api)
    assert (
        await api.client.post("/api/v1/users/bob/block", headers=bearer(alice))
    ).status_code == 204
    assert await post_seen(api, post["id"], bob) is None
    assert post["id"] not in await feed_posts(api, bob)
    assert post["id"] not in await tag_posts(api, "sea", bob)
    assert (await get(api, "/api/v1/users/alice", bob)).status_code == 404
    assert (await get(api, "/api/v1/users/bob", alice)).status_code == 404
    assert await post_seen(api, post["id"], carol) is not None  # nobody else is affected
    assert (
        await api.client.delete("/api/v1/users/bob/block", headers=bearer(alice))
    ).status_code == 204
    assert await post_seen(api, post["id"], bob) is not None


async def test_a_suspension_hides_the_account_and_its_posts_at_once(api: Api) -> None:
    _, bob, carol, post = await scene(api)
    moderator = await api.token_for("mod")
    await make(api, "mod", Role.MODERATOR)
    suspended = await api.client.post(
        f"/api/v1/admin/users/{await user_id(api, 'alice')}/suspend", headers=bearer(moderator)
    )
    assert suspended.status_code == 204, suspended.text
    for token in (bob, carol, None):
        assert await post_seen(api, post["id"], token) is None
        assert post["id"] not in await tag_posts(api, "sea", token)
        assert (await get(api, "/api/v1/users/alice", token)).status_code == 404
    assert post["id"] not in await feed_posts(api, bob)


async def test_a_deleted_post_is_gone_at_once(api: Api) -> None:
    alice, bob, carol, post = await scene(api)
    assert (
        await api.client.delete(f"/api/v1/posts/{post['id']}", headers=bearer(alice))
    ).status_code == 204
    for token in (alice, bob, carol, None):
        assert await post_seen(api, post["id"], token) is None
        assert post["id"] not in await tag_posts(api, "sea", token)
    assert post["id"] not in await feed_posts(api, bob)
    grid = await get(api, "/api/v1/users/alice/posts")
    assert post["id"] not in [p["id"] for p in grid.json()["items"]]


async def test_counters_and_flags_are_exact_on_every_read(api: Api) -> None:
    _, bob, carol, post = await scene(api)
    url = f"/api/v1/posts/{post['id']}"
    for token in (bob, carol):
        assert (await api.client.post(f"{url}/like", headers=bearer(token))).status_code == 200
    await api.client.post(f"{url}/comments", json={"text": "nice"}, headers=bearer(carol))
    await api.client.post(f"{url}/share", headers=bearer(bob))
    await api.client.post(f"{url}/bookmark", headers=bearer(bob))
    anonymous = await post_seen(api, post["id"])
    assert anonymous is not None
    assert (anonymous["likes_count"], anonymous["comments_count"], anonymous["shares_count"]) == (
        2,
        1,
        1,
    )
    assert (anonymous["liked"], anonymous["bookmarked"], anonymous["shared"]) == (
        False,
        False,
        False,
    )
    mine = (await feed_posts(api, bob))[post["id"]]
    assert (mine["liked"], mine["bookmarked"], mine["shared"], mine["likes_count"]) == (
        True,
        True,
        True,
        2,
    )
    assert mine["author"]["followers_count"] == 1
    assert mine["author"]["relationship"]["following"] is True
    await api.client.delete(f"{url}/like", headers=bearer(bob))
    await follow(api, carol, "alice")
    seen = await post_seen(api, post["id"], bob)
    assert seen is not None and (seen["liked"], seen["likes_count"]) == (False, 1)
    assert seen["author"]["followers_count"] == 2
    comments = await get(api, f"{url}/comments")
    strictly(comments.content, CommentPageOut)
    assert comments.json()["items"][0]["author"]["following_count"] == 1
    likers = await get(api, f"{url}/likes", bob)
    strictly(likers.content, UserPageOut)
    assert [u["username"] for u in likers.json()["items"]] == ["carol"]
    assert likers.json()["items"][0]["relationship"]["following"] is False
