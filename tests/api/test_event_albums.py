"""Event albums through HTTP (EVT-1), with real images processed by the in-process worker: the
organiser's password-protected album and bulk upload, a guest refused then let in and
remembered, recently opened events, the collection, and deleting it all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.app import create_app
from tests.api.conftest import PASSWORD, Api, api_settings, bearer, eventually
from tests.media_files import jpeg, jpeg_with_gps

EVENTS = "/api/v1/events"


def problem(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return str(response.json()["type"])


async def create(api: Api, token: str, **body: Any) -> dict[str, Any]:
    response = await api.client.post(
        EVENTS,
        json={"title": "Wisuda 2026", "event_date": "2026-11-28"} | body,
        headers=bearer(token),
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def photos_of(api: Api, token: str, event_id: str, **params: Any) -> Any:
    return await api.client.get(f"{EVENTS}/{event_id}/photos", params=params, headers=bearer(token))


async def all_ready(api: Api, token: str, event_id: str, count: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    async def done() -> bool:
        page = (await photos_of(api, token, event_id, limit=100)).json()["items"]
        found[:] = page
        return len(page) == count and all(p["media"]["status"] == "ready" for p in page)

    await eventually(done, seconds=60)
    return found


async def test_an_organiser_a_guest_and_a_password_protected_album(worker_api: Api) -> None:
    api = worker_api
    organiser = await api.token_for("organiser")
    guest = await api.token_for("guest")
    event = await create(api, organiser, password="rahasia-1", visibility="unlisted")
    assert event["has_password"] and event["can_manage"] and event["can_view_photos"]
    event_id = event["id"]

    files = [
        ("files", (f"p{i}.jpg", jpeg(color=(i * 60, 90, 160)), "image/jpeg")) for i in range(3)
    ]
    files.append(("files", ("gps.jpg", jpeg_with_gps(), "image/jpeg")))
    files.append(("files", ("notes.txt", b"not a photo at all, just words", "text/plain")))
    uploaded = await api.client.post(
        f"{EVENTS}/{event_id}/photos", files=files, headers=bearer(organiser)
    )
    assert uploaded.status_code == 202, uploaded.text
    body = uploaded.json()
    assert [r["filename"] for r in body["rejected"]] == ["notes.txt"]
    assert [p["position"] for p in body["items"]] == [1, 2, 3, 4]
    photos = await all_ready(api, organiser, event_id, 4)
    for photo in photos:
        assert photo["media"]["blurhash"] and {v["name"] for v in photo["media"]["variants"]} == {
            "thumb",
            "small",
            "large",
        }
    for variant in photos[3]["media"]["variants"]:  # EXIF (camera, GPS) never reaches a variant
        assert b"SpyCam" not in (await api.client.get(variant["url"])).content

    # The guest knows the event exists (its link was shared) but sees no photo without the password.
    seen = await api.client.get(f"{EVENTS}/{event_id}", headers=bearer(guest))
    assert seen.status_code == 200 and seen.json()["can_view_photos"] is False
    assert (
        problem(await photos_of(api, guest, event_id), 403) == "/problems/event-password-required"
    )
    wrong = await api.client.post(
        f"{EVENTS}/{event_id}/open", json={"password": "tebak"}, headers=bearer(guest)
    )
    assert problem(wrong, 403) == "/problems/wrong-event-password"
    right = await api.client.post(
        f"{EVENTS}/{event_id}/open", json={"password": "rahasia-1"}, headers=bearer(guest)
    )
    assert right.status_code == 200 and right.json()["can_view_photos"] is True
    listed = await photos_of(api, guest, event_id, limit=3)  # remembered: no password now
    assert listed.status_code == 200
    first = listed.json()
    assert [p["id"] for p in first["items"]] == [p["id"] for p in photos[:3]]
    rest = (await photos_of(api, guest, event_id, limit=3, cursor=first["next_cursor"])).json()
    assert [p["id"] for p in rest["items"]] == [photos[3]["id"]] and rest["next_cursor"] is None

    recent = (await api.client.get("/api/v1/me/events/recent", headers=bearer(guest))).json()
    assert [r["event"]["id"] for r in recent["items"]] == [event_id]

    ids = [p["id"] for p in photos]
    added = await api.client.post(
        "/api/v1/me/collection", json={"photo_ids": ids}, headers=bearer(guest)
    )
    assert added.status_code == 200 and added.json() == {"added": 4}
    removed = await api.client.request(
        "DELETE", "/api/v1/me/collection", json={"photo_ids": ids[:2]}, headers=bearer(guest)
    )
    assert removed.json() == {"removed": 2}
    collection = (await api.client.get("/api/v1/me/collection", headers=bearer(guest))).json()
    assert sorted(s["photo"]["id"] for s in collection["items"]) == sorted(ids[2:])
    assert all(s["photo"]["media"]["url"] for s in collection["items"])

    # A new password forgets the guest's access.
    changed = await api.client.patch(
        f"{EVENTS}/{event_id}", json={"password": "baru-lagi"}, headers=bearer(organiser)
    )
    assert changed.status_code == 200
    assert (
        problem(await photos_of(api, guest, event_id), 403) == "/problems/event-password-required"
    )
    assert (
        problem(await api.client.delete(f"{EVENTS}/{event_id}", headers=bearer(guest)), 403)
        == "/problems/forbidden"
    )

    deleted = await api.client.delete(f"{EVENTS}/{event_id}", headers=bearer(organiser))
    assert deleted.status_code == 204
    assert problem(await api.client.get(f"{EVENTS}/{event_id}", headers=bearer(guest)), 404)

    async def media_gone() -> bool:
        for photo in photos:
            got = await api.client.get(f"/api/v1/media/{photo['id']}", headers=bearer(organiser))
            if got.status_code != 404:
                return False
        return True

    await eventually(media_gone, seconds=30)
    assert (await api.client.get("/api/v1/me/collection", headers=bearer(guest))).json()[
        "items"
    ] == []


async def test_password_attempts_are_limited_per_guest_and_event(api: Api) -> None:
    organiser = await api.token_for("organiser")
    guest = await api.token_for("guest")
    event_id = (await create(api, organiser, password="rahasia-1"))["id"]
    url = f"{EVENTS}/{event_id}/open"
    for _ in range(5):
        wrong = await api.client.post(url, json={"password": "salah"}, headers=bearer(guest))
        assert problem(wrong, 403) == "/problems/wrong-event-password"
    limited = await api.client.post(url, json={"password": "rahasia-1"}, headers=bearer(guest))
    assert problem(limited, 429) == "/problems/rate-limited"
    assert int(limited.headers["retry-after"]) > 0
    other = await api.token_for("other")  # the limit is the guest's, not the event's
    ok = await api.client.post(url, json={"password": "rahasia-1"}, headers=bearer(other))
    assert ok.status_code == 200, ok.text


async def test_private_events_do_not_exist_for_others_and_search(api: Api) -> None:
    alice = await api.token_for("alice")
    bob = await api.token_for("bob")
    private = await create(api, alice, title="Rapat tertutup", visibility="private")
    public = await create(api, alice, title="Konser Terbuka", visibility="public")
    unlisted = await create(api, alice, title="Konser Kecil", visibility="unlisted")
    for token, status in ((bob, 404), (alice, 200)):
        got = await api.client.get(f"{EVENTS}/{private['id']}", headers=bearer(token))
        assert got.status_code == status
    found = await api.client.get(EVENTS, params={"q": "konser"}, headers=bearer(bob))
    assert [e["id"] for e in found.json()["items"]] == [public["id"]]
    mine = await api.client.get(EVENTS, params={"q": "KONSER"}, headers=bearer(alice))
    assert [e["id"] for e in mine.json()["items"]] == [unlisted["id"], public["id"]]
    opened = await api.client.post(f"{EVENTS}/{unlisted['id']}/open", json={}, headers=bearer(bob))
    assert opened.status_code == 200  # no password: whoever has the link opens it
    assert (await photos_of(api, bob, unlisted["id"])).json() == {"items": [], "next_cursor": None}


async def test_presigned_uploads_attach_in_bulk(worker_api: Api) -> None:
    api = worker_api
    organiser = await api.token_for("organiser")
    event_id = (await create(api, organiser))["id"]
    media_ids = []
    for color in ((10, 20, 30), (200, 100, 50)):
        content = jpeg(color=color)
        created = (
            await api.client.post(
                "/api/v1/media/uploads",
                json={"kind": "image", "content_type": "image/jpeg", "size": len(content)},
                headers=bearer(organiser),
            )
        ).json()
        put = await api.client.put(
            created["upload_url"], content=content, headers={"content-type": "image/jpeg"}
        )
        assert put.status_code == 204, put.text
        media_id = created["media"]["id"]
        done = await api.client.post(
            f"/api/v1/media/{media_id}/complete", headers=bearer(organiser)
        )
        assert done.status_code == 202
        media_ids.append(media_id)
    attached = await api.client.post(
        f"{EVENTS}/{event_id}/photos/attach",
        json={"media_ids": media_ids},
        headers=bearer(organiser),
    )
    assert attached.status_code == 200, attached.text
    assert [p["id"] for p in attached.json()["items"]] == media_ids
    assert len(await all_ready(api, organiser, event_id, 2)) == 2
    other = (await create(api, organiser, title="Another"))["id"]
    taken = await api.client.post(
        f"{EVENTS}/{other}/photos/attach",
        json={"media_ids": media_ids[:1]},
        headers=bearer(organiser),
    )
    assert problem(taken, 422) == "/problems/validation-failed"
    removed = await api.client.request(
        "DELETE",
        f"{EVENTS}/{event_id}/photos",
        json={"media_ids": media_ids[:1]},
        headers=bearer(organiser),
    )
    assert removed.json() == {"removed": 1}
    left = (await photos_of(api, organiser, event_id)).json()["items"]
    assert [p["id"] for p in left] == media_ids[1:]


async def test_a_bulk_upload_has_a_file_count_and_a_body_limit(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = api_settings(
        database_url,
        tmp_path,
        events_max_files_per_request=2,
        events_max_upload_bytes=400_000,
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        organiser = await api.token_for("organiser")
        guest = await api.token_for("guest")
        event_id = (await create(api, organiser))["id"]
        url = f"{EVENTS}/{event_id}/photos"
        three = [("files", (f"p{i}.jpg", jpeg((64, 64)), "image/jpeg")) for i in range(3)]
        too_many = await client.post(url, files=three, headers=bearer(organiser))
        assert problem(too_many, 422) == "/problems/validation-failed"
        assert [e["field"] for e in too_many.json()["errors"]] == ["files"]
        big = [("files", ("big.jpg", b"\xff\xd8" + b"0" * 500_000, "image/jpeg"))]
        assert problem(await client.post(url, files=big, headers=bearer(organiser)), 413)
        not_theirs = await client.post(url, files=three[:1], headers=bearer(guest))
        assert problem(not_theirs, 403) == "/problems/forbidden"
        empty = await client.post(
            url, files={"note": (None, "no files")}, headers=bearer(organiser)
        )
        assert problem(empty, 422) == "/problems/validation-failed"
        assert (await photos_of(api, organiser, event_id)).json()["items"] == []


async def test_a_deleted_organiser_takes_their_albums_from_every_guest(worker_api: Api) -> None:
    api = worker_api
    organiser = await api.token_for("organiser")
    guest = await api.token_for("guest")
    event_id = (await create(api, organiser))["id"]
    files = [("files", ("p.jpg", jpeg((64, 64)), "image/jpeg"))]
    uploaded = await api.client.post(
        f"{EVENTS}/{event_id}/photos", files=files, headers=bearer(organiser)
    )
    assert uploaded.status_code == 202, uploaded.text
    (photo,) = await all_ready(api, organiser, event_id, 1)
    await api.client.post(f"{EVENTS}/{event_id}/open", json={}, headers=bearer(guest))
    added = await api.client.post(
        "/api/v1/me/collection", json={"photo_ids": [photo["id"]]}, headers=bearer(guest)
    )
    assert added.json() == {"added": 1}
    gone = await api.client.request(
        "DELETE", "/api/v1/me", json={"password": PASSWORD}, headers=bearer(organiser)
    )
    assert gone.status_code == 202
    assert problem(await api.client.get(f"{EVENTS}/{event_id}", headers=bearer(guest)), 404)

    async def purged() -> bool:
        async with api.database.sessions() as session:
            left = await session.scalar(text("SELECT count(*) FROM events"))
            saved = await session.scalar(text("SELECT count(*) FROM photo_bookmarks"))
        return bool(left == 0 and saved == 0)

    await eventually(purged)
    for path in ("/api/v1/me/events/recent", "/api/v1/me/collection"):
        assert (await api.client.get(path, headers=bearer(guest))).json()["items"] == []
