"""Data exports (AUTH-10) on fakes: one pending at a time, the archive's contents, the mailed
link, failures, expiry."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import AsyncIterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest

from social.bootstrap import build_use_cases
from social.domain.interactions.comment_on_post import CommentCommand
from social.domain.lifecycle.build_export import BuildDataExport
from social.domain.lifecycle.data_export import DataExport, ExportLimits, ExportStatus
from social.domain.lifecycle.jobs import BuildDataExportArchive, MailDataExportLink
from social.domain.media.ports import ObjectInfo
from social.domain.posts.create_post import CreatePostCommand, PlaceInput
from social.domain.shared.errors import Conflict, Unavailable
from social.domain.shared.identity import Viewer
from social.settings import Settings
from tests.fakes.accounts import AccountsStore, FakePasswordHasher, FakeTokenIssuer
from tests.fakes.adapters import NamedUseCases, fake_adapters
from tests.fakes.media import FAKE_IMAGE, InMemoryMediaStorage
from tests.fakes.shared import MutableClock, RecordingMailer
from tests.unit.harness import PASSWORD, Accounts, ready_media


@dataclass
class World:
    accounts: Accounts
    mailer: RecordingMailer
    adapters: Any


@pytest.fixture
def world() -> World:
    store, clock, mailer = AccountsStore(), MutableClock(), RecordingMailer()
    storage = InMemoryMediaStorage(clock=clock)
    adapters = fake_adapters(
        Settings.from_values(environment="test", public_url="https://social.example"),
        store=store,
        clock=clock,
        hasher=FakePasswordHasher(),
        tokens=FakeTokenIssuer(clock),
        storage=storage,
        mailer=mailer,
    )
    uc = NamedUseCases(build_use_cases(adapters))
    accounts = Accounts(store, clock, FakePasswordHasher(), storage, uc)
    return World(accounts, mailer, adapters)


async def rich_account(accounts: Accounts) -> tuple[Viewer, Viewer]:
    """Alice with a post (tags, a place, a photo), an avatar, a comment, a like, a bookmark,
    a follower and a followed account."""
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    media = await ready_media(accounts, alice, FAKE_IMAGE)
    command = CreatePostCommand(
        "sunset #beach with @bob",
        (media.id,),
        tags=("holiday",),
        place=PlaceInput("Lisbon", 38.72, -9.14),
    )
    await accounts.create_post.execute(alice, command)
    bob_media = await ready_media(accounts, bob, FAKE_IMAGE)
    bob_post = (
        await accounts.create_post.execute(bob, CreatePostCommand("hi", (bob_media.id,)))
    ).state
    await accounts.like_post.execute(alice, bob_post.id)
    await accounts.bookmark_post.execute(alice, bob_post.id)
    await accounts.comment_on_post.execute(alice, bob_post.id, CommentCommand("lovely"))
    await accounts.follow_user.execute(alice, "bob")
    await accounts.follow_user.execute(bob, "alice")
    await accounts.update_avatar.execute(alice, FAKE_IMAGE)
    return alice, bob


def archive(accounts: Accounts, export: DataExport) -> zipfile.ZipFile:
    data, content_type = accounts.storage.objects[export.object_key]
    assert content_type == "application/zip"
    return zipfile.ZipFile(io.BytesIO(data))


async def test_the_archive_holds_everything_and_the_owner_is_mailed_a_link(world: World) -> None:
    accounts = world.accounts
    alice, bob = await rich_account(accounts)
    await accounts.run_jobs()
    export = await accounts.request_data_export.execute(alice)
    assert export.status is ExportStatus.PENDING
    with pytest.raises(Conflict):
        await accounts.request_data_export.execute(alice)
    queued: list[object] = [accounts.store.jobs[-1]]
    assert queued == [BuildDataExportArchive(export.id)]

    await accounts.run_jobs(BuildDataExportArchive)
    [view] = await accounts.list_data_exports.execute(alice)
    assert view.export.status is ExportStatus.READY and view.url
    assert view.export.expires_at == accounts.clock.now() + ExportLimits().ttl
    assert await accounts.list_data_exports.execute(bob) == []
    status, body, _ = await accounts.storage.fetch(view.url)
    assert status == 200 and body == accounts.storage.objects[view.export.object_key][0]

    zipped = archive(accounts, view.export)
    names = set(zipped.namelist())
    profile = json.loads(zipped.read("profile.json"))
    assert profile["username"] == "alice" and profile["email"] == "alice@example.com"
    [shown] = json.loads(zipped.read("posts.json"))
    assert shown["caption"] == "sunset #beach with @bob"
    assert set(shown["tags"]) == {"beach", "holiday"} and shown["mentions"] == ["bob"]
    assert shown["place"] == {"name": "Lisbon", "latitude": 38.72, "longitude": -9.14}
    [item] = shown["media"]
    assert item["source"] == "large" and item["file"] in names
    stored = accounts.store.media[UUID(item["id"])]
    large = next(v for v in stored.variants if v.name == "large")
    assert zipped.read(item["file"]) == accounts.storage.objects[large.key][0]
    assert profile["avatar"] in names
    [comment] = json.loads(zipped.read("comments.json"))
    assert comment["text"] == "lovely"
    assert len(json.loads(zipped.read("likes.json"))) == 1
    assert len(json.loads(zipped.read("bookmarks.json"))) == 1
    assert [f["username"] for f in json.loads(zipped.read("followers.json"))] == ["bob"]
    assert [f["username"] for f in json.loads(zipped.read("following.json"))] == ["bob"]

    queued = [accounts.store.jobs[-1]]
    assert queued == [MailDataExportLink(export.id)]
    already = len(world.mailer.sent)  # sign-up's verification mails went out before
    await accounts.run_jobs(MailDataExportLink)
    [message] = world.mailer.sent[already:]
    assert message.to == "alice@example.com" and view.url.split("?")[0] in message.text
    assert "https://social.example/api/v1/me/exports" in message.text
    assert await accounts.build_data_export.execute(export.id) is None  # a rerun: nothing
    again = await accounts.request_data_export.execute(alice)  # no longer pending: allowed
    assert again.id != export.id


async def test_pages_are_small_and_nothing_is_lost_between_them(world: World) -> None:
    accounts = world.accounts
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    media = await ready_media(accounts, bob, FAKE_IMAGE)
    post = (await accounts.create_post.execute(bob, CreatePostCommand("p", (media.id,)))).state
    for n in range(7):
        await accounts.comment_on_post.execute(alice, post.id, CommentCommand(f"c{n}"))
    for name in ("carol", "dave", "erin"):
        _, _, other = await accounts.sign_up(name)
        await accounts.follow_user.execute(other, "alice")
    export = await accounts.request_data_export.execute(alice)
    a = world.adapters
    build = BuildDataExport(
        uow=a.uow,
        storage=a.storage,
        references=a.face_references,
        clock=a.clock,
        limits=ExportLimits(page_size=2),
    )
    assert await build.execute(export.id) is ExportStatus.READY
    zipped = archive(accounts, accounts.store.exports[export.id])
    texts = [c["text"] for c in json.loads(zipped.read("comments.json"))]
    assert sorted(texts) == [f"c{n}" for n in range(7)]
    followers = {f["username"] for f in json.loads(zipped.read("followers.json"))}
    assert followers == {"carol", "dave", "erin"}
    assert json.loads(zipped.read("posts.json")) == []


class BrokenStorage(InMemoryMediaStorage):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    async def put(
        self,
        key: str,
        body: AsyncIterable[bytes],
        *,
        content_type: str,
        max_size: int | None = None,
    ) -> ObjectInfo:
        async for _ in body:
            raise self.error
        raise AssertionError("unreachable")


async def test_a_failure_marks_the_export_failed_and_an_outage_is_retried(world: World) -> None:
    accounts, a = world.accounts, world.adapters
    _, _, alice = await accounts.sign_up("alice")
    export = await accounts.request_data_export.execute(alice)
    limits = ExportLimits()
    down = BuildDataExport(
        uow=a.uow,
        storage=BrokenStorage(Unavailable("storage down", dependency="storage")),
        references=a.face_references,
        clock=a.clock,
        limits=limits,
    )
    with pytest.raises(Unavailable):
        await down.execute(export.id)
    assert accounts.store.exports[export.id].status is ExportStatus.PENDING  # retried later
    broken = BuildDataExport(
        uow=a.uow,
        storage=BrokenStorage(ValueError("bug")),
        references=a.face_references,
        clock=a.clock,
        limits=limits,
    )
    assert await broken.execute(export.id) is ExportStatus.FAILED
    [view] = await accounts.list_data_exports.execute(alice)
    assert view.export.status is ExportStatus.FAILED and view.url is None
    await accounts.request_data_export.execute(alice)  # may ask again


async def test_expired_archives_are_deleted_and_stuck_exports_given_up(world: World) -> None:
    accounts = world.accounts
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    ready = await accounts.request_data_export.execute(alice)
    await accounts.run_jobs(BuildDataExportArchive)
    stuck = await accounts.request_data_export.execute(bob)  # its job never runs
    assert await accounts.expire_data_exports.execute() == 0
    assert ready.object_key in accounts.storage.objects

    accounts.clock.advance(days=7, seconds=1)
    world.mailer.down = True
    assert await accounts.expire_data_exports.execute() == 2
    assert ready.object_key not in accounts.storage.objects
    assert accounts.store.exports[ready.id].status is ExportStatus.EXPIRED
    assert accounts.store.exports[stuck.id].status is ExportStatus.FAILED
    [view] = await accounts.list_data_exports.execute(alice)
    assert view.url is None
    assert await accounts.send_data_export_link.execute(ready.id) is False  # nothing to mail
    assert await accounts.expire_data_exports.execute() == 0


async def test_purging_an_account_deletes_its_archives(world: World) -> None:
    accounts = world.accounts
    user, _, alice = await accounts.sign_up("alice")
    export = await accounts.request_data_export.execute(alice)
    await accounts.run_jobs(BuildDataExportArchive)
    assert export.object_key in accounts.storage.objects
    await accounts.delete_account.execute(alice, PASSWORD)
    assert await accounts.purge_account.execute(user.id) is True
    assert export.object_key not in accounts.storage.objects
