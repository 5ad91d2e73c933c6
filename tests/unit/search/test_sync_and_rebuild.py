"""The search outbox and its drain, and rebuilds, on fakes (SRCH-2)."""

from __future__ import annotations

from uuid import UUID

import pytest

from social.domain.posts.change_post import EditPostCommand
from social.domain.posts.create_post import CreatePostCommand
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.reads.model import PostCard
from social.domain.search.model import PostDocument, UserDocument, Visibility
from social.domain.shared.errors import Unavailable
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import PageRequest
from tests.fakes.media import FAKE_IMAGE
from tests.fakes.search import InMemorySearchIndex
from tests.unit.harness import Accounts, ready_media


async def a_post(accounts: Accounts, author: Viewer, caption: str) -> UUID:
    media = await ready_media(accounts, author, FAKE_IMAGE)
    view: PostCard = await accounts.create_post.execute(
        author, CreatePostCommand(caption, (media.id,))
    )
    return view.state.id


def index(accounts: Accounts) -> InMemorySearchIndex:
    search = accounts.uc.sync_search_index._search
    assert isinstance(search, InMemorySearchIndex)
    return search


async def tagged(accounts: Accounts, tag: str) -> list[UUID]:
    return (await index(accounts).posts_by_tag(tag, PageRequest())).items


class DownIndex(InMemorySearchIndex):
    """An index that refuses every write, as OpenSearch does while it is down."""

    async def upsert(self, document: PostDocument) -> None:
        raise Unavailable("search down", dependency="search")

    async def upsert_user(self, user: UserDocument) -> None:
        raise Unavailable("search down", dependency="search")


async def test_changes_reach_the_index_only_when_synced(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    post = await a_post(accounts, alice, "Pantai #Kuta")
    assert await tagged(accounts, "kuta") == []
    assert await accounts.sync_search_index.execute() == 2  # the account and the post
    assert await tagged(accounts, "kuta") == [post]
    found = await index(accounts).users_by_prefix("ali", PageRequest())
    assert found.items == [alice.user_id]
    await accounts.edit_post.execute(alice, post, EditPostCommand(caption="Pantai #Sanur"))
    await accounts.sync_search_index.execute()
    assert (await tagged(accounts, "kuta"), await tagged(accounts, "sanur")) == ([], [post])
    await accounts.delete_post.execute(alice, post)
    await accounts.sync_search_index.execute()
    assert await tagged(accounts, "sanur") == []
    assert accounts.store.search_changes == []


async def test_privacy_changes_reach_every_post_of_the_author(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    posts = [await a_post(accounts, alice, f"#Ubud {i}") for i in range(3)]
    await accounts.sync_search_index.execute()
    await accounts.update_profile.execute(alice, UpdateProfileCommand(is_private=True))
    await accounts.sync_search_index.execute()
    assert await tagged(accounts, "ubud") == []
    assert {index(accounts).documents[p].visibility for p in posts} == {Visibility.FOLLOWERS}
    await accounts.update_profile.execute(alice, UpdateProfileCommand(is_private=False))
    await accounts.sync_search_index.execute()
    assert sorted(await tagged(accounts, "ubud")) == sorted(posts)


async def test_with_the_index_down_changes_wait_and_nothing_is_lost(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    post = await a_post(accounts, alice, "#Bromo sunrise")
    healthy = accounts.uc.sync_search_index._search
    accounts.uc.sync_search_index._search = DownIndex()
    with pytest.raises(Unavailable):
        await accounts.sync_search_index.execute()
    assert len(accounts.store.search_changes) == 2  # still waiting
    accounts.uc.sync_search_index._search = healthy
    await accounts.sync_search_index.execute()
    assert await tagged(accounts, "bromo") == [post]


async def test_a_deleted_account_leaves_the_index(accounts: Accounts) -> None:
    user, _, alice = await accounts.sign_up("alice")
    await a_post(accounts, alice, "#Toba")
    await accounts.sync_search_index.execute()
    await accounts.delete_account.execute(alice, "a sturdy passphrase 42")
    await accounts.sync_search_index.execute()
    assert await tagged(accounts, "toba") == []
    assert (await index(accounts).users_by_prefix("alice", PageRequest())).items == []
    await accounts.purge_account.execute(user.id)
    await accounts.sync_search_index.execute()
    assert index(accounts).documents == {}


async def test_a_rebuild_replaces_a_drifted_index_and_pauses_syncs(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    posts = [await a_post(accounts, alice, f"#Lombok {i}") for i in range(3)]
    await accounts.sync_search_index.execute()
    await index(accounts).delete(posts[0])  # drifted behind the app's back
    rebuild = accounts.uc.rebuild_search_index
    assert await rebuild.total() == 4
    seen: list[int] = []
    written = await rebuild.execute(seen.append)
    assert written == 4 and seen and seen[-1] == 4
    assert sorted(await tagged(accounts, "lombok")) == sorted(posts)
    async with rebuild._pause.paused():  # while a rebuild runs, syncs take nothing
        await a_post(accounts, alice, "#Lombok later")
        assert await accounts.sync_search_index.execute() == 0
    assert await accounts.sync_search_index.execute() == 1
    assert len(await tagged(accounts, "lombok")) == 4
