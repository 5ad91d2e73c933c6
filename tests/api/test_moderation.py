"""Reports, suspensions, roles and the audit log through HTTP (MOD-1, AUTH-4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.app import create_app
from social.domain.shared.identity import Role
from tests.api.conftest import PASSWORD, Api, api_settings, bearer, eventually
from tests.api.test_interactions_and_feeds import captions, follow, publish


async def make(api: Api, username: str, role: Role) -> None:
    async with api.database.engine.begin() as connection:
        await connection.execute(
            text("UPDATE users SET role = :role WHERE username = :name"),
            {"role": role.value, "name": username},
        )


async def user_id(api: Api, username: str) -> str:
    return str((await api.client.get(f"/api/v1/users/{username}")).json()["id"])


async def test_a_suspension_hides_everything_until_reinstated(worker_api: Api) -> None:
    api = worker_api
    admin = await api.token_for("boss")
    await make(api, "boss", Role.ADMIN)
    mallory, victim = await api.token_for("mallory"), await api.token_for("victim")
    await follow(api, victim, "mallory")
    post = await publish(api, mallory, "Buy #followers now")
    mallory_id = await user_id(api, "mallory")

    async def searchable() -> bool:
        found = await api.client.get("/api/v1/search", params={"q": "followers"})
        return len(found.json()["items"]) == 1

    await eventually(searchable, 30)
    report = await api.client.post(
        "/api/v1/reports",
        json={"target_type": "post", "target_id": post["id"], "reason": "spam"},
        headers=bearer(victim),
    )
    assert report.status_code == 201, report.text
    again = await api.client.post(
        "/api/v1/reports",
        json={"target_type": "post", "target_id": post["id"], "reason": "spam!"},
        headers=bearer(victim),
    )
    assert again.json()["id"] == report.json()["id"]
    forbidden = await api.client.get("/api/v1/admin/reports", headers=bearer(victim))
    assert forbidden.status_code == 403
    queue = (await api.client.get("/api/v1/admin/reports", headers=bearer(admin))).json()
    assert [r["id"] for r in queue["items"]] == [report.json()["id"]]
    assert queue["items"][0]["target_owner_id"] == mallory_id

    resolved = await api.client.post(
        f"/api/v1/admin/reports/{report.json()['id']}/resolve",
        json={"action": "suspend_user", "note": "spam account"},
        headers=bearer(admin),
    )
    assert resolved.status_code == 204, resolved.text
    login = await api.client.post(
        "/api/v1/auth/login", json={"login": "mallory", "password": PASSWORD}
    )
    assert login.status_code == 401
    assert (await api.client.get("/api/v1/me", headers=bearer(mallory))).status_code == 401
    assert (await api.client.get(f"/api/v1/posts/{post['id']}")).status_code == 404
    assert (await api.client.get("/api/v1/users/mallory")).status_code == 404
    assert await captions(api, victim) == []

    async def unsearchable() -> bool:
        found = await api.client.get("/api/v1/search", params={"q": "followers"})
        return bool(found.json()["items"] == [])

    await eventually(unsearchable, 30)
    twice = await api.client.post(
        f"/api/v1/admin/reports/{report.json()['id']}/resolve",
        json={"action": "dismiss"},
        headers=bearer(admin),
    )
    assert twice.status_code == 409

    reinstated = await api.client.post(
        f"/api/v1/admin/users/{mallory_id}/reinstate", headers=bearer(admin)
    )
    assert reinstated.status_code == 204
    assert (await api.client.get(f"/api/v1/posts/{post['id']}")).status_code == 200
    assert await captions(api, victim) == ["Buy #followers now"]
    await eventually(searchable, 30)
    login = await api.client.post(
        "/api/v1/auth/login", json={"login": "mallory", "password": PASSWORD}
    )
    assert login.status_code == 200

    log: Any = (await api.client.get("/api/v1/admin/audit-log", headers=bearer(admin))).json()
    actions = [e["action"] for e in log["items"]]
    assert actions[:3] == ["reinstate_user", "resolve_report:suspend_user", "suspend_user"]
    assert all(e["target_id"] == mallory_id or e["target_type"] == "post" for e in log["items"])


async def test_roles_and_who_may_do_what(worker_api: Api) -> None:
    api = worker_api
    admin, moderator, _ = [await api.token_for(n) for n in ("boss", "keeper", "alice")]
    await make(api, "boss", Role.ADMIN)
    mod_id, alice_id, root_id = [await user_id(api, n) for n in ("keeper", "alice", "boss")]
    promoted = await api.client.put(
        f"/api/v1/admin/users/{mod_id}/role", json={"role": "moderator"}, headers=bearer(admin)
    )
    assert promoted.status_code == 204
    me = await api.client.get("/api/v1/me", headers=bearer(moderator))
    assert me.json()["role"] == "moderator"
    by_moderator = await api.client.put(
        f"/api/v1/admin/users/{alice_id}/role", json={"role": "admin"}, headers=bearer(moderator)
    )
    assert by_moderator.status_code == 403
    assert (
        await api.client.post(f"/api/v1/admin/users/{root_id}/suspend", headers=bearer(moderator))
    ).status_code == 403  # a moderator cannot suspend an admin
    assert (
        await api.client.get("/api/v1/admin/audit-log", headers=bearer(moderator))
    ).status_code == 403
    assert (
        await api.client.post(f"/api/v1/admin/users/{alice_id}/suspend", headers=bearer(moderator))
    ).status_code == 204
    post = await publish(api, admin, "Rules of the house")
    comment = await api.client.post(
        f"/api/v1/posts/{post['id']}/comments", json={"text": "hi"}, headers=bearer(moderator)
    )
    reported = await api.client.post(
        "/api/v1/reports",
        json={"target_type": "comment", "target_id": comment.json()["id"], "reason": "rude"},
        headers=bearer(admin),
    )
    removed = await api.client.post(
        f"/api/v1/admin/reports/{reported.json()['id']}/resolve",
        json={"action": "remove_content"},
        headers=bearer(moderator),
    )
    assert removed.status_code == 204
    comments = (await api.client.get(f"/api/v1/posts/{post['id']}/comments")).json()
    assert comments["items"] == []
    bad = await api.client.post(
        "/api/v1/reports",
        json={"target_type": "user", "target_id": root_id, "reason": ""},
        headers=bearer(moderator),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reason"


async def test_admin_endpoints_can_be_closed_to_other_addresses(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = api_settings(database_url, tmp_path, admin_allowed_ips=("10.9.0.0/16",))
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        admin = await api.token_for("boss")
        await make(api, "boss", Role.ADMIN)
        refused = await client.get("/api/v1/admin/audit-log", headers=bearer(admin))
        assert refused.status_code == 403
        assert "address" in refused.json()["detail"]
