"""API clients on fakes: only admins manage them, keys are shown once and kept as hashes, a key
identifies its client with one lookup per cache period, revoked and unknown keys are refused."""

from __future__ import annotations

import hashlib

import pytest

from social.domain.shared.errors import AuthenticationFailed, Conflict, Forbidden, Invalid
from social.domain.shared.identity import Role
from tests.unit.activity.conftest import Activity, viewer


@pytest.mark.parametrize("role", [Role.USER, Role.MODERATOR])
async def test_only_admins_manage_clients(activity: Activity, role: Role) -> None:
    client, _ = await activity.client("mobile")
    someone = viewer(role)
    with pytest.raises(Forbidden):
        await activity.uc.register_api_client.execute(someone, "web")
    with pytest.raises(Forbidden):
        await activity.uc.list_api_clients.execute(someone)
    with pytest.raises(Forbidden):
        await activity.uc.revoke_api_client.execute(someone, client.id)
    with pytest.raises(Forbidden):
        await activity.uc.daily_usage.execute(someone)
    with pytest.raises(Forbidden):
        await activity.uc.top_clients.execute(someone)


async def test_the_key_is_shown_once_and_kept_only_as_a_hash(activity: Activity) -> None:
    issued = await activity.uc.register_api_client.execute(activity.admin, "  Mobile   app ")
    key = issued.api_key
    assert key.startswith("sk_") and len(key) == 46
    stored = activity.store.api_clients[issued.client.id]
    assert stored.name == "Mobile app"
    assert stored.key_hash == hashlib.sha256(key.encode()).digest()
    assert key.startswith(stored.key_prefix) and len(stored.key_prefix) < 12
    assert key not in repr(activity.store)
    assert key not in repr(issued)
    other = await activity.uc.register_api_client.execute(activity.admin, "web")
    assert other.api_key != key
    listed = await activity.uc.list_api_clients.execute(activity.admin)
    assert [c.name for c in listed] == ["Mobile app", "web"]


async def test_names_are_required_and_unique(activity: Activity) -> None:
    await activity.client("mobile")
    with pytest.raises(Conflict) as conflict:
        await activity.client(" mobile ")
    assert conflict.value.field == "name"
    with pytest.raises(Invalid):
        await activity.client("   ")
    with pytest.raises(Invalid):
        await activity.client("x" * 101)


async def test_a_key_costs_one_lookup_per_cache_period(activity: Activity) -> None:
    client, key = await activity.client("mobile")
    before = len(activity.transactions)
    for _ in range(100):
        assert (await activity.uc.identify_client.execute(key)).id == client.id
    assert len(activity.transactions) == before + 1
    activity.clock.advance(seconds=6)  # past SOCIAL_CLIENT_KEY_CACHE_TTL_S (5 s)
    await activity.uc.identify_client.execute(key)
    assert len(activity.transactions) == before + 2


async def test_unknown_and_revoked_keys_are_refused(activity: Activity) -> None:
    client, key = await activity.client("mobile")
    before = len(activity.transactions)
    for wrong in (key + "x", key[:-1], "Bearer " + key, "sk_nope"):
        with pytest.raises(AuthenticationFailed, match="unknown API client key"):
            await activity.uc.identify_client.execute(wrong)
    assert len(activity.transactions) == before  # malformed: refused without a lookup
    well_formed = "sk_" + "A" * 43
    with pytest.raises(AuthenticationFailed, match="unknown API client key"):
        await activity.uc.identify_client.execute(well_formed)
    with pytest.raises(AuthenticationFailed, match="unknown API client key"):
        await activity.uc.identify_client.execute(well_formed)
    assert len(activity.transactions) == before + 1  # refusals are cached too
    await activity.uc.identify_client.execute(key)  # now cached
    await activity.uc.revoke_api_client.execute(activity.admin, client.id)
    with pytest.raises(AuthenticationFailed, match="unknown API client key"):
        await activity.uc.identify_client.execute(key)  # at once: the cache forgot it
    await activity.uc.revoke_api_client.execute(activity.admin, client.id)  # harmless twice
    listed = await activity.uc.list_api_clients.execute(activity.admin)
    assert listed[0].revoked_at == activity.clock.now()


async def test_registering_and_revoking_a_client_are_audited_once(activity: Activity) -> None:
    client, _ = await activity.client("mobile")
    await activity.uc.revoke_api_client.execute(activity.admin, client.id)
    await activity.uc.revoke_api_client.execute(activity.admin, client.id)  # nothing happened
    entries = sorted(activity.store.audit, key=lambda e: (e.created_at, e.id))
    assert [(e.action, e.actor_id, e.target_type, e.target_id) for e in entries] == [
        ("register_api_client", activity.admin.user_id, "api_client", client.id),
        ("revoke_api_client", activity.admin.user_id, "api_client", client.id),
    ]
    assert entries[0].details == {"name": "mobile", "key_prefix": client.key_prefix}
