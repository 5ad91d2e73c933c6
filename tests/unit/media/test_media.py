"""Uploads and their processing (POST-1, POST-2) on fakes."""

from __future__ import annotations

import pytest

from social.domain.accounts.jobs import SendEmailVerification
from social.domain.media.errors import MediaRejected, ObjectTooLarge
from social.domain.media.jobs import ProcessMediaItem
from social.domain.media.model import MediaKind, MediaStatus
from social.domain.media.ports import as_body
from social.domain.shared.errors import Conflict, Invalid, NotFound
from tests.fakes.media import FAKE_IMAGE, FAKE_VIDEO
from tests.unit.harness import Accounts, chunks


async def test_an_image_upload_is_processed_and_its_original_removed(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    item = await accounts.upload_media.execute(alice, chunks(FAKE_IMAGE), alt_text=" a cat ")
    assert (item.kind, item.status, item.alt_text) == (
        MediaKind.IMAGE,
        MediaStatus.PROCESSING,
        "a cat",
    )
    assert accounts.store.jobs == [SendEmailVerification(alice.user_id), ProcessMediaItem(item.id)]
    assert await accounts.process_media.execute(item.id) is MediaStatus.READY
    ready = await accounts.get_media.execute(alice, item.id)
    assert [v.name for v in ready.variants] == ["thumb", "small", "large"]
    assert ready.original_key is None
    assert sorted(accounts.storage.objects) == sorted(ready.storage_keys)
    assert await accounts.process_media.execute(item.id) is None  # idempotent


async def test_a_video_upload_gets_a_rendition_and_a_poster(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    item = await accounts.upload_media.execute(alice, chunks(FAKE_VIDEO))
    assert item.kind is MediaKind.VIDEO
    await accounts.process_media.execute(item.id)
    ready = await accounts.get_media.execute(alice, item.id)
    assert (ready.status, ready.duration_s, ready.width) == (MediaStatus.READY, 12.5, 640)


@pytest.mark.parametrize("content", [b"plain text", b"<svg/>", b""])
async def test_unknown_types_are_refused_before_storage(accounts: Accounts, content: bytes) -> None:
    _, _, alice = await accounts.sign_up("alice")
    with pytest.raises(MediaRejected):
        await accounts.upload_media.execute(alice, chunks(content))
    assert accounts.storage.objects == {}


async def test_oversize_uploads_are_refused_and_nothing_kept(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    huge = FAKE_IMAGE + b"0" * (20 * 1024 * 1024)
    with pytest.raises(ObjectTooLarge):
        await accounts.upload_media.execute(alice, chunks(huge, 1024 * 1024))
    assert accounts.storage.objects == {}
    assert accounts.store.media == {}


async def test_processing_failure_is_recorded_with_a_reason(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    item = await accounts.upload_media.execute(alice, chunks(b"FAKEIMG broken"))
    assert await accounts.process_media.execute(item.id) is MediaStatus.FAILED
    failed = await accounts.get_media.execute(alice, item.id)
    assert failed.error == "This file is not a JPEG, PNG or WebP image."
    assert accounts.storage.objects == {}  # the original went too


async def test_idempotent_uploads_return_the_first(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    first = await accounts.upload_media.execute(alice, chunks(FAKE_IMAGE), idempotency_key="k1")
    again = await accounts.upload_media.execute(alice, chunks(FAKE_IMAGE), idempotency_key="k1")
    assert again.id == first.id
    assert len(accounts.store.media) == 1


async def test_media_belongs_to_its_owner(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    item = await accounts.upload_media.execute(alice, chunks(FAKE_IMAGE))
    with pytest.raises(NotFound):
        await accounts.get_media.execute(bob, item.id)


async def test_presigned_upload_then_complete(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    with pytest.raises(Invalid):
        await accounts.request_upload.execute(
            alice, kind=MediaKind.IMAGE, content_type="video/mp4", size=10
        )
    with pytest.raises(ObjectTooLarge):
        await accounts.request_upload.execute(
            alice, kind=MediaKind.VIDEO, content_type="video/mp4", size=201 * 1024 * 1024
        )
    upload = await accounts.request_upload.execute(
        alice, kind=MediaKind.VIDEO, content_type="video/mp4", size=len(FAKE_VIDEO)
    )
    assert upload.upload_url.startswith("memory://")
    with pytest.raises(Conflict):
        await accounts.complete_upload.execute(alice, upload.media.id)  # nothing uploaded yet
    assert upload.media.original_key is not None
    await accounts.storage.put(
        upload.media.original_key, as_body(FAKE_VIDEO), content_type="video/mp4"
    )
    await accounts.complete_upload.execute(alice, upload.media.id)
    assert accounts.store.jobs[-1] == ProcessMediaItem(upload.media.id)
    await accounts.process_media.execute(upload.media.id)
    assert (await accounts.get_media.execute(alice, upload.media.id)).status is MediaStatus.READY


async def test_unattached_uploads_are_collected_after_a_day(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    item = await accounts.upload_media.execute(alice, chunks(FAKE_IMAGE))
    await accounts.process_media.execute(item.id)
    assert await accounts.collect_unattached_media.execute() == 0
    accounts.clock.advance(days=1, seconds=1)
    assert await accounts.collect_unattached_media.execute() == 1
    assert accounts.storage.objects == {} and accounts.store.media == {}
