"""One suite for the OpenID Connect stores (``OidcLoginRepository``, ``OidcIdentityRepository``),
on the fake and on PostgreSQL: a started sign-in is taken once, expired ones are purged, an
identity links one account, and an account takes its identities with it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from social.domain.accounts.oidc_model import OidcIdentity, PendingOidcLogin, hash_secret
from social.domain.shared.errors import Conflict
from tests.contract.stores import STORE_NOW, Backend, backend, users

__all__ = ["backend"]

ISSUER = "https://accounts.example"


def pending(state: str, *, expires_in: timedelta = timedelta(minutes=10)) -> PendingOidcLogin:
    return PendingOidcLogin(
        state_hash=hash_secret(state),
        provider="google",
        nonce=f"nonce-of-{state}",
        code_verifier=f"verifier-of-{state}-" + "v" * 43,
        browser_hash=hash_secret(f"browser-of-{state}"),
        created_at=STORE_NOW,
        expires_at=STORE_NOW + expires_in,
    )


async def test_a_started_sign_in_is_taken_once(backend: Backend) -> None:
    written = pending("s1")
    async with backend.uow() as uow:
        await uow.oidc_logins.add(written)
        await uow.oidc_logins.add(pending("s2"))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_logins.take(hash_secret("s1")) == written
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_logins.take(hash_secret("s1")) is None
        assert await uow.oidc_logins.take(hash_secret("unknown")) is None
        assert await uow.oidc_logins.take(hash_secret("s2")) == pending("s2")


async def test_a_take_rolled_back_leaves_the_sign_in(backend: Backend) -> None:
    async with backend.uow() as uow:
        await uow.oidc_logins.add(pending("s1"))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_logins.take(hash_secret("s1")) is not None
    async with backend.uow() as uow:
        assert await uow.oidc_logins.take(hash_secret("s1")) == pending("s1")


async def test_expired_sign_ins_are_purged(backend: Backend) -> None:
    async with backend.uow() as uow:
        await uow.oidc_logins.add(pending("old", expires_in=timedelta(minutes=1)))
        await uow.oidc_logins.add(pending("new", expires_in=timedelta(minutes=20)))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_logins.delete_expired(STORE_NOW + timedelta(minutes=5)) == 1
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_logins.take(hash_secret("old")) is None
        assert await uow.oidc_logins.take(hash_secret("new")) is not None


async def test_an_identity_links_one_account(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    linked = OidcIdentity(issuer=ISSUER, subject="123", user_id=alice.id, created_at=STORE_NOW)
    async with backend.uow() as uow:
        await uow.oidc_identities.add(linked)
        await uow.commit()
    async with backend.uow() as uow:
        with pytest.raises(Conflict):
            await uow.oidc_identities.add(
                OidcIdentity(issuer=ISSUER, subject="123", user_id=bob.id, created_at=STORE_NOW)
            )
    async with backend.uow() as uow:
        assert await uow.oidc_identities.get(ISSUER, "123") == linked
        assert await uow.oidc_identities.get(ISSUER, "124") is None
        assert await uow.oidc_identities.get("https://other.example", "123") is None
        assert await uow.oidc_identities.for_user(alice.id) == [linked]
        assert await uow.oidc_identities.for_user(bob.id) == []


async def test_an_account_takes_its_identities_with_it(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    async with backend.uow() as uow:
        await uow.oidc_identities.add(
            OidcIdentity(issuer=ISSUER, subject="123", user_id=alice.id, created_at=STORE_NOW)
        )
        await uow.commit()
    async with backend.uow() as uow:
        await uow.users.delete(alice.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_identities.get(ISSUER, "123") is None


async def test_a_link_keeps_its_account_and_goes_with_it(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    linking = replace(pending("s1"), link_user_id=alice.id)
    async with backend.uow() as uow:
        await uow.oidc_logins.add(linking)
        await uow.oidc_logins.add(replace(pending("s2"), link_user_id=alice.id))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_logins.take(hash_secret("s1")) == linking
        await uow.users.delete(alice.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_logins.take(hash_secret("s2")) is None


async def test_an_identity_is_unlinked_once_and_only_its_own(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    first = OidcIdentity(issuer=ISSUER, subject="123", user_id=alice.id, created_at=STORE_NOW)
    later = STORE_NOW + timedelta(minutes=1)
    second = OidcIdentity(
        issuer="https://other.example", subject="9", user_id=alice.id, created_at=later
    )
    bobs = OidcIdentity(issuer=ISSUER, subject="456", user_id=bob.id, created_at=STORE_NOW)
    async with backend.uow() as uow:
        for identity in (first, second, bobs):
            await uow.oidc_identities.add(identity)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_identities.delete(ISSUER, "123") is True
        assert await uow.oidc_identities.delete(ISSUER, "123") is False
        assert await uow.oidc_identities.delete(ISSUER, "unknown") is False
        assert await uow.oidc_identities.delete("https://other.example", "456") is False
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_identities.get(ISSUER, "123") is None
        assert await uow.oidc_identities.for_user(alice.id) == [second]
        assert await uow.oidc_identities.for_user(bob.id) == [bobs]
        # unlinked, the identity may be linked again (to anyone)
        await uow.oidc_identities.add(replace(first, user_id=bob.id))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_identities.get(ISSUER, "123") == replace(first, user_id=bob.id)


async def test_an_unlink_rolled_back_keeps_the_identity(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    linked = OidcIdentity(issuer=ISSUER, subject="123", user_id=alice.id, created_at=STORE_NOW)
    async with backend.uow() as uow:
        await uow.oidc_identities.add(linked)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.oidc_identities.delete(ISSUER, "123") is True
    async with backend.uow() as uow:
        assert await uow.oidc_identities.get(ISSUER, "123") == linked
