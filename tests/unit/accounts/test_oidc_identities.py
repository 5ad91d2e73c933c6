"""Seeing and removing the OpenID Connect identities linked to one's account, on fakes: newest
first with the provider of each issuer, 404 for nothing linked, and the rule that an account
keeps a way in (another provider, or a verified email)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

import pytest

from social.domain.accounts.model import User
from social.domain.accounts.oidc_identities import (
    LinkedIdentity,
    ListOidcIdentities,
    OidcUnlinkRefused,
    UnlinkOidcIdentity,
)
from social.domain.accounts.oidc_model import OidcIdentity, OidcProvider
from social.domain.accounts.oidc_sign_in import OidcSignInConfig
from social.domain.shared.errors import Conflict, NotFound
from social.domain.shared.identity import Viewer
from tests.fakes.accounts import InMemoryUnitOfWork
from tests.unit.harness import Accounts, build_accounts

IDP = OidcProvider(name="idp", display_name="IdP", issuer="https://id.example", client_id="s")
OTHER = OidcProvider(name="other", display_name="Other", issuer="https://o.example", client_id="s")
GONE_ISSUER = "https://no-longer.example"


@dataclass
class World:
    accounts: Accounts
    listing: ListOidcIdentities
    unlink: UnlinkOidcIdentity

    def link(self, viewer: Viewer, issuer: str, subject: str, *, minutes: int = 0) -> None:
        at = self.accounts.clock.now() + timedelta(minutes=minutes)
        self.accounts.store.oidc_identities[(issuer, subject)] = OidcIdentity(
            issuer=issuer, subject=subject, user_id=viewer.user_id, created_at=at
        )

    def verify_email(self, viewer: Viewer) -> None:
        user: User = self.accounts.store.users[viewer.user_id]
        self.accounts.store.users[user.id] = replace(
            user, email_verified_at=self.accounts.clock.now()
        )

    async def issuers(self, viewer: Viewer) -> list[str]:
        return [i.issuer for i in await self.listing.execute(viewer)]


@pytest.fixture
def world() -> World:
    accounts = build_accounts()
    config = OidcSignInConfig(
        providers={"idp": IDP, "other": OTHER}, redirect_base="https://s.example/cb"
    )

    def uow() -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(accounts.store)

    return World(
        accounts=accounts,
        listing=ListOidcIdentities(uow=uow, config=config),
        unlink=UnlinkOidcIdentity(uow=uow, config=config),
    )


async def test_identities_are_listed_newest_first_with_their_provider(world: World) -> None:
    _, _, alice = await world.accounts.sign_up("alice")
    _, _, bob = await world.accounts.sign_up("bob")
    world.link(alice, IDP.issuer, "a-1")
    world.link(alice, GONE_ISSUER, "a-2", minutes=1)
    world.link(alice, OTHER.issuer, "a-3", minutes=2)
    world.link(bob, IDP.issuer, "b-1")
    now = world.accounts.clock.now()
    assert await world.listing.execute(alice) == [
        LinkedIdentity("other", OTHER.issuer, "a-3", now + timedelta(minutes=2)),
        LinkedIdentity(None, GONE_ISSUER, "a-2", now + timedelta(minutes=1)),
        LinkedIdentity("idp", IDP.issuer, "a-1", now),
    ]
    assert [i.subject for i in await world.listing.execute(bob)] == ["b-1"]
    _, _, carol = await world.accounts.sign_up("carol")
    assert await world.listing.execute(carol) == []


async def test_nothing_linked_or_an_unknown_provider_is_not_found(world: World) -> None:
    _, _, alice = await world.accounts.sign_up("alice")
    _, _, bob = await world.accounts.sign_up("bob")
    world.verify_email(alice)
    world.link(bob, IDP.issuer, "b-1")  # someone else's identity is not alice's to remove
    with pytest.raises(NotFound):
        await world.unlink.execute(alice, "idp")
    with pytest.raises(NotFound, match="provider"):
        await world.unlink.execute(alice, "nope")
    assert await world.issuers(bob) == [IDP.issuer]


async def test_the_last_way_in_is_kept_while_the_email_is_unverified(world: World) -> None:
    _, _, alice = await world.accounts.sign_up("alice")
    world.link(alice, IDP.issuer, "a-1")
    world.link(alice, GONE_ISSUER, "a-2")  # its issuer is gone: it signs nobody in
    with pytest.raises(OidcUnlinkRefused, match="verify its email") as refused:
        await world.unlink.execute(alice, "idp")
    assert isinstance(refused.value, Conflict) and refused.value.code == "oidc-unlink-refused"
    assert sorted(await world.issuers(alice)) == sorted([IDP.issuer, GONE_ISSUER])


async def test_a_verified_email_allows_removing_the_last_identity(world: World) -> None:
    _, _, alice = await world.accounts.sign_up("alice")
    world.link(alice, IDP.issuer, "a-1")
    world.link(alice, IDP.issuer, "a-2", minutes=1)  # a second subject at the same provider
    world.verify_email(alice)
    await world.unlink.execute(alice, "idp")
    assert await world.listing.execute(alice) == []
    assert world.accounts.store.oidc_identities == {}
    with pytest.raises(NotFound):
        await world.unlink.execute(alice, "idp")


async def test_another_provider_allows_removing_one_and_then_is_the_last(world: World) -> None:
    _, _, alice = await world.accounts.sign_up("alice")
    world.link(alice, IDP.issuer, "a-1")
    world.link(alice, OTHER.issuer, "a-2")
    await world.unlink.execute(alice, "idp")
    assert await world.issuers(alice) == [OTHER.issuer]
    with pytest.raises(OidcUnlinkRefused):
        await world.unlink.execute(alice, "other")
    assert await world.issuers(alice) == [OTHER.issuer]
