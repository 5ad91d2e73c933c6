"""Avatars (PROF-2) on fakes."""

from __future__ import annotations

import pytest

from social.domain.accounts.jobs import SendEmailVerification
from social.domain.media.errors import MediaRejected, ObjectTooLarge
from social.domain.media.jobs import RemoveStoredObjects
from tests.fakes.media import FAKE_IMAGE
from tests.unit.harness import Accounts


async def test_avatar_upload_stores_three_square_variants(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    view = await accounts.update_avatar.execute(alice, FAKE_IMAGE)
    avatar = view.avatar
    assert avatar is not None and avatar.status.value == "ready"
    assert [(v.name, v.width, v.height) for v in avatar.variants] == [
        ("small", 150, 150),
        ("medium", 320, 320),
        ("large", 600, 600),
    ]
    assert sorted(accounts.storage.objects) == sorted(avatar.storage_keys)
    assert accounts.user(alice).avatar_media_id == avatar.id
    assert (await accounts.get_me.execute(alice)).avatar == avatar


async def test_replacing_the_avatar_queues_the_old_objects_for_deletion(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    old = (await accounts.update_avatar.execute(alice, FAKE_IMAGE)).avatar
    new = (await accounts.update_avatar.execute(alice, b"FAKEIMG 400x900")).avatar
    assert old is not None and new is not None
    assert accounts.store.jobs == [
        SendEmailVerification(alice.user_id),  # queued by the sign-up
        RemoveStoredObjects(tuple(old.storage_keys)),
    ]
    assert old.id not in accounts.store.media and new.id in accounts.store.media
    await accounts.delete_stored_objects.execute(old.storage_keys)
    assert sorted(accounts.storage.objects) == sorted(new.storage_keys)


async def test_removing_the_avatar(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    old = (await accounts.update_avatar.execute(alice, FAKE_IMAGE)).avatar
    assert (await accounts.remove_avatar.execute(alice)).avatar is None
    assert accounts.user(alice).avatar_media_id is None
    assert accounts.store.jobs == [
        SendEmailVerification(alice.user_id),  # queued by the sign-up
        RemoveStoredObjects(tuple(old.storage_keys)),
    ]
    await accounts.remove_avatar.execute(alice)  # nothing left to remove: fine


async def test_bad_avatars_are_refused_and_nothing_is_stored(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    with pytest.raises(MediaRejected):
        await accounts.update_avatar.execute(alice, b"<svg onload=alert(1)>")
    with pytest.raises(ObjectTooLarge):
        await accounts.update_avatar.execute(alice, b"x" * (10 * 1024 * 1024 + 1))
    assert accounts.storage.objects == {}
    assert accounts.user(alice).avatar_media_id is None
