"""The OpenID Connect identities linked to one's account (AUTH-11): see them, remove one.

Removing is refused when the account would be left with no way in: an account born of a
provider has a password nobody knows, and only a verified email lets its owner set one
("forgot password").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from social.domain.accounts.oidc_model import OidcIdentity, OidcProvider
from social.domain.accounts.oidc_ports import OidcUnitOfWorkFactory
from social.domain.accounts.oidc_sign_in import OidcSignInConfig
from social.domain.shared.errors import Conflict, NotFound
from social.domain.shared.identity import Viewer

__all__ = [
    "LinkedIdentity",
    "ListOidcIdentities",
    "OidcUnlinkRefused",
    "UnlinkOidcIdentity",
]


class OidcUnlinkRefused(Conflict):
    """Removing the identity would leave the account with no way to sign in."""

    code = "oidc-unlink-refused"


@dataclass(frozen=True, slots=True)
class LinkedIdentity:
    """An identity as its owner sees it; ``provider`` is the configured provider of its issuer,
    ``None`` once no provider has that issuer (it cannot sign in any more). ``subject`` is the
    owner's own id at the provider: theirs to see, and it tells two identities at one provider
    apart."""

    provider: str | None
    issuer: str
    subject: str
    linked_at: datetime


def _by_issuer(config: OidcSignInConfig) -> dict[str, OidcProvider]:
    """The provider of each configured issuer (the first by name if two share one)."""
    found: dict[str, OidcProvider] = {}
    for provider in sorted(config.providers.values(), key=lambda p: p.name):
        found.setdefault(provider.issuer, provider)
    return found


class ListOidcIdentities:
    """Rules: only the caller's own identities, newest first; a handful at most (one per
    provider and subject), so not paginated."""

    def __init__(self, *, uow: OidcUnitOfWorkFactory, config: OidcSignInConfig) -> None:
        self._uow, self._config = uow, config

    async def execute(self, viewer: Viewer) -> list[LinkedIdentity]:
        async with self._uow() as uow:
            identities = await uow.oidc_identities.for_user(viewer.user_id)
        providers = _by_issuer(self._config)
        return [
            LinkedIdentity(
                provider=p.name if (p := providers.get(i.issuer)) is not None else None,
                issuer=i.issuer,
                subject=i.subject,
                linked_at=i.created_at,
            )
            for i in sorted(identities, key=lambda i: i.created_at, reverse=True)
        ]


class UnlinkOidcIdentity:
    """Rules: removes every identity of the provider's issuer linked to the caller (404 when
    none is, or the provider is unknown). Refused (``OidcUnlinkRefused``) when no identity of
    another configured provider would remain AND the account's email is not verified: then
    nothing proves the owner could sign in again. A verified email always can (a password
    reset). The account's row is locked, so two removals at once cannot both pass the rule.
    Signing in with the provider afterwards follows the sign-in rules again (a new account, or
    a link only when both emails are verified)."""

    def __init__(self, *, uow: OidcUnitOfWorkFactory, config: OidcSignInConfig) -> None:
        self._uow, self._config = uow, config

    async def execute(self, viewer: Viewer, provider_name: str) -> None:
        provider = self._config.provider(provider_name)
        async with self._uow() as uow:
            user = await uow.users.get(viewer.user_id, for_update=True)
            if user is None:
                raise NotFound("No such account.")
            identities = await uow.oidc_identities.for_user(user.id)
            removed = [i for i in identities if i.issuer == provider.issuer]
            if not removed:
                raise NotFound(f"No {provider.display_name} identity is linked to your account.")
            if not _others_sign_in(identities, provider, self._config) and (
                user.email_verified_at is None
            ):
                raise OidcUnlinkRefused(
                    f"{provider.display_name} is the only way into this account: verify its "
                    f"email (or link another provider) before removing it."
                )
            for identity in removed:
                await uow.oidc_identities.delete(identity.issuer, identity.subject)
            await uow.commit()


def _others_sign_in(
    identities: list[OidcIdentity], provider: OidcProvider, config: OidcSignInConfig
) -> bool:
    """Whether an identity of another configured provider remains (one whose issuer is no
    longer configured signs nobody in)."""
    configured = _by_issuer(config)
    return any(i.issuer != provider.issuer and i.issuer in configured for i in identities)
