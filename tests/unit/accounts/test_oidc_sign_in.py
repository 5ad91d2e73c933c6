"""OpenID Connect sign-in rules on fakes: single-use state bound to the browser, the ID-token
checks, and the account rule (sign in, link only with both emails verified, or create)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from social.domain.accounts.model import AccountStatus, User
from social.domain.accounts.oidc_model import OidcLinkRefused, OidcProvider, OidcRefused
from social.domain.accounts.oidc_sign_in import (
    FinishOidcCommand,
    FinishOidcSignIn,
    OidcSignInConfig,
    StartOidcSignIn,
)
from social.domain.accounts.rules import AccountLimits
from social.domain.shared.errors import Forbidden, NotFound
from social.domain.shared.identity import Role, Viewer
from social.domain.shared.ids import new_id
from tests.fakes.accounts import (
    AccountsStore,
    FakePasswordHasher,
    FakeTokenIssuer,
    InMemoryUnitOfWork,
)
from tests.fakes.oidc import FakeOidcClient
from tests.fakes.shared import MutableClock
from tests.unit.harness import build_accounts

ISSUER = "https://id.example"
PROVIDER = OidcProvider(name="idp", display_name="IdP", issuer=ISSUER, client_id="social")


@dataclass
class Flow:
    store: AccountsStore
    clock: MutableClock
    client: FakeOidcClient
    tokens: FakeTokenIssuer
    start: StartOidcSignIn
    finish: FinishOidcSignIn

    async def begin(self, subject: str, **claims: Any) -> FinishOidcCommand:
        """Start a sign-in and have the provider issue a code for ``subject``."""
        started = await self.start.execute("idp")
        sent = parse_qs(urlsplit(started.authorization_url).query)
        code = f"code-{len(self.client.codes)}-{subject}"
        now = int(self.clock.now().timestamp())
        id_claims = {"iss": ISSUER, "aud": "social", "sub": subject, "iat": now, "exp": now + 300}
        id_claims |= {"nonce": sent["nonce"][0]} | claims
        self.client.codes[code] = (id_claims, self.client.started[-1]["challenge"])
        return FinishOidcCommand(
            provider="idp",
            code=code,
            state=sent["state"][0],
            browser_binding=started.browser_binding,
        )

    def user_of(self, token: str) -> User:
        return self.store.users[self.tokens.verify_access_token(token).user_id]


@pytest.fixture
def flow() -> Flow:
    accounts = build_accounts()  # its store and clock: register accounts through the real path
    store, clock = accounts.store, accounts.clock
    client, tokens = FakeOidcClient(), FakeTokenIssuer(clock)
    config = OidcSignInConfig(providers={"idp": PROVIDER}, redirect_base="https://s.example/cb")

    def uow() -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(store)

    return Flow(
        store=store,
        clock=clock,
        client=client,
        tokens=tokens,
        start=StartOidcSignIn(uow=uow, client=client, clock=clock, config=config),
        finish=FinishOidcSignIn(
            uow=uow,
            client=client,
            hasher=FakePasswordHasher(),
            tokens=tokens,
            clock=clock,
            config=config,
            limits=AccountLimits(),
            refresh_ttl=timedelta(days=30),
        ),
    )


VERIFIED = {"email": "Ada@Example.com", "email_verified": True, "preferred_username": "ada"}


async def test_a_first_sign_in_creates_a_verified_account_and_the_next_signs_into_it(
    flow: Flow,
) -> None:
    first = await flow.finish.execute(await flow.begin("s-1", **VERIFIED, name="Ada L."))
    user = flow.user_of(first.access_token)
    assert (user.username, user.email, user.display_name) == ("ada", "ada@example.com", "Ada L.")
    assert user.email_verified_at == flow.clock.now()
    again = await flow.finish.execute(await flow.begin("s-1", **VERIFIED))
    assert flow.user_of(again.access_token).id == user.id
    assert len(flow.store.users) == 1


async def test_the_pkce_challenge_is_s256_of_the_stored_verifier(flow: Flow) -> None:
    await flow.start.execute("idp")
    (login,) = flow.store.oidc_logins.values()
    assert flow.client.started[-1]["redirect"] == "https://s.example/cb/idp/callback"
    assert len(flow.client.started[-1]["challenge"]) == 43
    assert login.code_verifier not in flow.client.started[-1].values()


async def test_a_taken_username_gets_a_suffix(flow: Flow) -> None:
    await flow.finish.execute(await flow.begin("s-1", **VERIFIED))
    other = VERIFIED | {"email": "ada@other.example"}
    tokens = await flow.finish.execute(await flow.begin("s-2", **other))
    name = flow.user_of(tokens.access_token).username
    assert name.startswith("ada") and name != "ada" and name[3:].isdigit()


async def test_an_unverified_provider_email_makes_an_unverified_account(flow: Flow) -> None:
    claims = VERIFIED | {"email_verified": False}
    tokens = await flow.finish.execute(await flow.begin("s-1", **claims))
    assert flow.user_of(tokens.access_token).email_verified_at is None


async def test_the_email_may_come_from_userinfo_of_the_same_subject(flow: Flow) -> None:
    flow.client.access_token = "access-1"
    flow.client.userinfo_claims = {"sub": "someone-else", "email": "eve@example.com"}
    with pytest.raises(OidcRefused, match="email"):  # not this user's: ignored
        await flow.finish.execute(await flow.begin("s-1"))
    flow.client.userinfo_claims = {"sub": "s-1", "email": "ada@example.com", "email_verified": True}
    tokens = await flow.finish.execute(await flow.begin("s-1"))
    user = flow.user_of(tokens.access_token)
    assert user.email == "ada@example.com" and user.email_verified_at is not None


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"iss": "https://evil.example"}, "another provider"),
        ({"aud": "someone-else"}, "another client"),
        ({"aud": ["social", "other"], "azp": "other"}, "another client"),
        ({"nonce": "not-ours"}, "nonce"),
        ({"sub": ""}, "subject"),
    ],
)
async def test_an_id_token_failing_a_check_is_refused(
    flow: Flow, claims: dict[str, Any], reason: str
) -> None:
    with pytest.raises(OidcRefused, match=reason):
        await flow.finish.execute(await flow.begin("s-1", **VERIFIED | claims))
    assert flow.store.users == {}


async def test_an_expired_or_future_id_token_is_refused(flow: Flow) -> None:
    now = int(flow.clock.now().timestamp())
    with pytest.raises(OidcRefused, match="expired"):
        await flow.finish.execute(await flow.begin("s-1", exp=now - 61, iat=now - 400))
    with pytest.raises(OidcRefused, match="issue time"):
        await flow.finish.execute(await flow.begin("s-1", iat=now + 120))
    within_leeway = await flow.begin("s-1", **VERIFIED, exp=now - 30)
    assert await flow.finish.execute(within_leeway)


async def test_a_state_works_once_in_its_browser_before_it_expires(flow: Flow) -> None:
    command = await flow.begin("s-1", **VERIFIED)
    with pytest.raises(OidcRefused):
        await flow.finish.execute(replace(command, browser_binding="another-browser"))
    with pytest.raises(OidcRefused):  # the failed attempt used the state up
        await flow.finish.execute(command)
    late = await flow.begin("s-1", **VERIFIED)
    flow.clock.advance(minutes=11)
    with pytest.raises(OidcRefused):
        await flow.finish.execute(late)
    with pytest.raises(NotFound):
        await flow.start.execute("unknown")


async def existing(flow: Flow, *, verified: bool, two_factor: bool = False) -> User:
    user = User(
        id=new_id(),
        username="adalovelace",
        email="ada@example.com",
        password_hash="h",
        display_name="",
        bio="",
        website=None,
        is_private=False,
        role=Role.USER,
        status=AccountStatus.ACTIVE,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
        email_verified_at=datetime(2026, 1, 1, tzinfo=UTC) if verified else None,
        two_factor_enabled=two_factor,
    )
    flow.store.users[user.id] = user
    return user


async def test_an_account_with_the_email_links_only_when_both_sides_verified(flow: Flow) -> None:
    mine = await existing(flow, verified=False)
    with pytest.raises(OidcLinkRefused, match="password"):
        await flow.finish.execute(await flow.begin("s-1", **VERIFIED))
    flow.store.users[mine.id] = replace(mine, email_verified_at=mine.created_at)
    with pytest.raises(OidcLinkRefused):
        await flow.finish.execute(await flow.begin("s-1", **VERIFIED | {"email_verified": False}))
    assert flow.store.oidc_identities == {}
    tokens = await flow.finish.execute(await flow.begin("s-1", **VERIFIED))
    assert flow.user_of(tokens.access_token).id == mine.id
    assert list(flow.store.oidc_identities) == [(ISSUER, "s-1")]


async def test_a_two_factor_account_is_not_signed_in_by_a_provider(flow: Flow) -> None:
    await existing(flow, verified=True, two_factor=True)
    with pytest.raises(Forbidden, match="two-factor"):
        await flow.finish.execute(await flow.begin("s-1", **VERIFIED))


async def test_a_signed_in_account_links_the_identity_it_signs_in_with(flow: Flow) -> None:
    mine = await existing(flow, verified=False, two_factor=True)
    viewer = Viewer(user_id=mine.id, role=Role.USER, session_id=new_id())
    started = await flow.start.execute("idp", link_to=viewer)
    sent = parse_qs(urlsplit(started.authorization_url).query)
    now = int(flow.clock.now().timestamp())
    claims = {"iss": ISSUER, "aud": "social", "sub": "s-9", "iat": now, "exp": now + 300}
    flow.client.codes["c"] = (
        claims | {"nonce": sent["nonce"][0]},
        flow.client.started[-1]["challenge"],
    )
    command = FinishOidcCommand(
        provider="idp", code="c", state=sent["state"][0], browser_binding=started.browser_binding
    )
    tokens = await flow.finish.execute(command)  # no email needed, two-factor already passed
    assert flow.user_of(tokens.access_token).id == mine.id
    assert flow.store.oidc_identities[(ISSUER, "s-9")].user_id == mine.id
