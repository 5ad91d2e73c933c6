"""The account a first OpenID Connect sign-in creates: a free username derived from what the
provider shares, the provider's email (verified when the provider says so), and a random
password nobody knows (the owner may set one with "forgot password")."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from social.domain.accounts.model import AccountStatus, User
from social.domain.accounts.oidc_model import IdentityClaims, new_secret
from social.domain.accounts.ports import AccountsUnitOfWork, PasswordHasher
from social.domain.accounts.rules import RESERVED_USERNAMES, AccountLimits
from social.domain.shared.identity import Role
from social.domain.shared.ids import new_id

__all__ = ["new_oidc_user", "username_base"]

_NOT_ALLOWED = re.compile(r"[^a-z0-9_.]+")
_ATTEMPTS = 20


def username_base(identity: IdentityClaims, limits: AccountLimits) -> str:
    """A valid username made of ``preferred_username`` (or the email's local part), leaving
    room for a numeric suffix; ``user`` when nothing usable remains."""
    raw = (identity.preferred_username or identity.email.partition("@")[0]).lower()
    name = _NOT_ALLOWED.sub("_", raw.partition("@")[0])
    name = re.sub(r"\.{2,}", ".", name).strip("._")[: limits.username_max - 5].strip("._")
    if len(name) < limits.username_min:
        name = (name + "_user")[: limits.username_max - 5]
    return name


async def _free_username(
    uow: AccountsUnitOfWork, identity: IdentityClaims, limits: AccountLimits, now: datetime
) -> str:
    base = username_base(identity, limits)
    candidates = [base] + [f"{base}{secrets.randbelow(10**4):04d}" for _ in range(_ATTEMPTS)]
    for name in candidates:
        if name in RESERVED_USERNAMES or await uow.users.get_by_username(name) is not None:
            continue
        if not await uow.username_holds.is_held(name, now):
            return name
    return f"user{secrets.randbelow(10**8):08d}"


async def new_oidc_user(
    uow: AccountsUnitOfWork,
    hasher: PasswordHasher,
    identity: IdentityClaims,
    *,
    limits: AccountLimits,
    now: datetime,
) -> User:
    """Create (not commit) the account of a first sign-in."""
    user = User(
        id=new_id(),
        username=await _free_username(uow, identity, limits, now),
        email=identity.email,
        password_hash=await hasher.hash(new_secret()),
        display_name=" ".join(identity.name.split())[: limits.display_name_max],
        bio="",
        website=None,
        is_private=False,
        role=Role.USER,
        status=AccountStatus.ACTIVE,
        created_at=now,
        updated_at=now,
        email_verified_at=now if identity.email_verified else None,
    )
    await uow.users.add(user)
    return user
