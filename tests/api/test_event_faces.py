""" "Find my photos" through HTTP (EVT-2), on real portraits with known faces: the organiser
bulk-uploads an album, the in-process worker processes the photos and indexes their faces (the
real dlib engine), a guest gives a selfie with consent and gets exactly the photos with their
face, best first; withdrawing consent deletes the reference and the search answers 409."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.app import create_app
from tests.api.conftest import Api, api_settings, bearer, eventually
from tests.api.test_event_albums import create, problem
from tests.faces_set import background, collage, encoded, portrait, variations

EVENTS = "/api/v1/events"
FACE = "/api/v1/me/face"


@pytest.fixture
async def faces_api(database: Database, database_url: str, tmp_path: Path) -> AsyncIterator[Api]:
    """The app with its job worker in process and the face engine in a thread (no pool)."""
    settings = api_settings(database_url, tmp_path, run_worker_in_process=True, face_processes=0)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield Api(client=client, database=database)


def sample(person: str, variation: str) -> bytes:
    (found,) = [s.image for s in variations() if (s.person, s.variation) == (person, variation)]
    return found


async def give_selfie(api: Api, token: str, image: bytes, consent: str = "true") -> Any:
    return await api.client.put(
        FACE,
        files={"selfie": ("me.jpg", image, "image/jpeg")},
        data={"consent": consent},
        headers=bearer(token),
    )


async def my_photos(api: Api, token: str, event_id: str, **params: Any) -> Any:
    return await api.client.get(
        f"{EVENTS}/{event_id}/my-photos", params=params, headers=bearer(token)
    )


async def upload(api: Api, token: str, event_id: str, named: dict[str, bytes]) -> dict[str, str]:
    files = [("files", (f"{name}.jpg", image, "image/jpeg")) for name, image in named.items()]
    response = await api.client.post(
        f"{EVENTS}/{event_id}/photos", files=files, headers=bearer(token)
    )
    assert response.status_code == 202, response.text
    assert response.json()["rejected"] == []
    return {name: p["id"] for name, p in zip(named, response.json()["items"], strict=True)}


async def indexed(api: Api, count: int) -> None:
    """Wait until ``count`` photos have had their faces indexed (jobs run in process)."""

    async def done() -> bool:
        async with api.database.engine.connect() as connection:
            found = await connection.scalar(
                text("SELECT count(DISTINCT media_id) FROM face_embeddings")
            )
        return bool(found == count)

    await eventually(done, seconds=120)


async def test_a_guest_finds_exactly_the_photos_with_their_face(faces_api: Api) -> None:
    api = faces_api
    organiser, guest, other = [await api.token_for(n) for n in ("organiser", "guest", "other")]
    event = await create(api, organiser, password="rahasia-1")
    ids = await upload(
        api,
        organiser,
        event["id"],
        {
            "collins": encoded(portrait("collins")),
            "hopper": encoded(portrait("hopper")),
            "both": collage("collins", "hopper"),
            "nobody": encoded(background()),
            "collins far": sample("collins", "on a background"),
        },
    )
    with_faces = {"collins", "hopper", "both", "collins far"}

    # the selfie: consent, exactly one face, an image
    refused = await give_selfie(api, guest, sample("collins", "mirrored"), consent="false")
    assert problem(refused, 422).endswith("/validation-failed")
    assert refused.json()["errors"][0]["field"] == "consent"
    for image in (encoded(background()), collage("collins", "hopper")):
        refused = await give_selfie(api, guest, image)
        assert problem(refused, 422).endswith("/validation-failed")
        assert refused.json()["errors"][0]["field"] == "selfie"
    not_image = await give_selfie(api, guest, b"these are words, not a photo")
    assert not_image.status_code in (415, 422), not_image.text
    assert (await api.client.get(FACE, headers=bearer(guest))).status_code == 404
    assert problem(await my_photos(api, guest, event["id"]), 403).endswith(
        "/event-password-required"
    )

    given = await give_selfie(api, guest, sample("collins", "mirrored"))
    assert given.status_code == 200, given.text
    assert set(given.json()) == {"consented_at"}
    assert (await api.client.get(FACE, headers=bearer(guest))).json() == given.json()

    # refused without the password, let in with it
    assert problem(await my_photos(api, guest, event["id"]), 403).endswith(
        "/event-password-required"
    )
    opened = await api.client.post(
        f"{EVENTS}/{event['id']}/open", json={"password": "rahasia-1"}, headers=bearer(guest)
    )
    assert opened.status_code == 200, opened.text
    await indexed(api, len(with_faces))

    found = await my_photos(api, guest, event["id"])
    assert found.status_code == 200, found.text
    items = found.json()["items"]
    assert {p["photo"]["id"] for p in items} == {ids["collins"], ids["both"], ids["collins far"]}
    distances = [p["distance"] for p in items]
    assert distances == sorted(distances) and all(0 <= d < 0.55 for d in distances)
    first = items[0]["photo"]
    assert first["event_id"] == event["id"] and first["media"]["status"] == "ready"
    assert found.json()["next_cursor"] is None

    walked, cursor = [], None  # one a page: the same photos in the same order
    for _ in range(len(items) + 1):
        params: dict[str, Any] = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = (await my_photos(api, guest, event["id"], **params)).json()
        walked += [p["photo"]["id"] for p in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert walked == [p["photo"]["id"] for p in items]

    # another person finds theirs; the organiser too once they give a reference
    assert (await give_selfie(api, other, sample("hopper", "darker"))).status_code == 200
    assert problem(await my_photos(api, other, event["id"]), 403).endswith(
        "/event-password-required"
    )
    assert (await give_selfie(api, organiser, sample("hopper", "cropped"))).status_code == 200
    theirs = (await my_photos(api, organiser, event["id"])).json()["items"]
    assert {p["photo"]["id"] for p in theirs} == {ids["hopper"], ids["both"]}

    # an album's photo is not a post's media
    post = await api.client.post(
        "/api/v1/posts", json={"media_ids": [ids["collins"]]}, headers=bearer(organiser)
    )
    assert problem(post, 422).endswith("/validation-failed")
    assert "event album" in post.json()["errors"][0]["message"]

    # withdrawing consent deletes the reference: the search needs a new one
    withdrawn = await api.client.delete(FACE, headers=bearer(guest))
    assert withdrawn.status_code == 204
    assert (await api.client.delete(FACE, headers=bearer(guest))).status_code == 204
    assert (await api.client.get(FACE, headers=bearer(guest))).status_code == 404
    assert problem(await my_photos(api, guest, event["id"]), 409).endswith(
        "/face-reference-required"
    )
    async with api.database.engine.connect() as connection:
        kept = await connection.scalar(text("SELECT count(*) FROM face_references"))
    assert kept == 2  # the other two's
    again = await give_selfie(api, guest, sample("collins", "brighter"))
    assert again.status_code == 200 and again.json() != given.json()
    found_again = (await my_photos(api, guest, event["id"])).json()["items"]
    assert {p["photo"]["id"] for p in found_again} == {p["photo"]["id"] for p in items}


async def test_a_search_never_leaves_the_event_asked_about(faces_api: Api) -> None:
    api = faces_api
    organiser, guest = await api.token_for("organiser"), await api.token_for("guest")
    first, second = await create(api, organiser), await create(api, organiser, title="Second")
    in_first = await upload(api, organiser, first["id"], {"a": encoded(portrait("collins"))})
    in_second = await upload(api, organiser, second["id"], {"b": collage("collins", "hopper")})
    await indexed(api, 2)
    assert (await give_selfie(api, guest, sample("collins", "grey"))).status_code == 200
    one = (await my_photos(api, guest, first["id"])).json()["items"]
    two = (await my_photos(api, guest, second["id"])).json()["items"]
    assert [p["photo"]["id"] for p in one] == [in_first["a"]]
    assert [p["photo"]["id"] for p in two] == [in_second["b"]]
    private = await create(api, organiser, title="Closed", visibility="private")
    assert problem(await my_photos(api, guest, private["id"]), 404).endswith("/not-found")
    unknown = await my_photos(api, guest, "00000000-0000-7000-8000-000000000000")
    assert problem(unknown, 404).endswith("/not-found")
    assert (await api.client.get(f"{EVENTS}/{first['id']}/my-photos")).status_code == 401
    bad = await my_photos(api, guest, first["id"], cursor="not-a-cursor")
    assert problem(bad, 422).endswith("/validation-failed")
