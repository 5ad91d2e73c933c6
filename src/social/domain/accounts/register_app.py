"""Register a client app (Mastodon's ``POST /api/v1/apps``) and show it back to itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit
from uuid import UUID

from social.domain.accounts.app_scopes import parse_scopes
from social.domain.accounts.oauth_model import (
    ClientApp,
    RegisteredApp,
    hash_secret,
    new_secret,
    parse_redirect_uris,
)
from social.domain.accounts.oauth_ports import OAuthUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import ErrorCollector, Invalid, NotFound
from social.domain.shared.ids import new_id

__all__ = ["MAX_APP_NAME", "RegisterApp", "RegisterAppCommand", "ShowApp"]

MAX_APP_NAME = 200
MAX_WEBSITE = 2000


@dataclass(frozen=True, slots=True)
class RegisterAppCommand:
    name: str
    redirect_uris: list[str] = field(default_factory=list)
    """As sent: one URI per line, or a list; none means the out-of-band URI."""
    scopes: str | None = None
    website: str | None = None


class RegisterApp:
    """Rules: anybody may register an app (the edge limits how often, per address); it gets
    a public ``client_id`` and a secret that is given once, here, and stored only hashed;
    its scopes (default ``read``) bound what its tokens may hold; its redirect URIs are
    absolute, without fragment, of a scheme that cannot run code in a browser."""

    def __init__(self, *, uow: OAuthUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, command: RegisterAppCommand) -> RegisteredApp:
        errors = ErrorCollector()
        name = errors.check(lambda: _name(command.name), "")
        website = errors.check(lambda: _website(command.website), None)
        no_scopes: frozenset[str] = frozenset()
        no_uris: tuple[str, ...] = ()
        scopes = errors.check(lambda: parse_scopes(command.scopes, default="read"), no_scopes)
        uris = errors.check(lambda: parse_redirect_uris(command.redirect_uris), no_uris)
        errors.raise_if_any()
        secret = new_secret()
        app = ClientApp(
            id=new_id(),
            name=name,
            website=website,
            redirect_uris=uris,
            scopes=scopes,
            client_id=new_secret(),
            client_secret_hash=hash_secret(secret),
            created_at=self._clock.now(),
        )
        async with self._uow() as uow:
            await uow.oauth.add_app(app)
            await uow.commit()
        return RegisteredApp(app=app, client_secret=secret)


class ShowApp:
    """Rules: an app sees its own registration (never its secret again)."""

    def __init__(self, *, uow: OAuthUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, app_id: UUID) -> ClientApp:
        async with self._uow() as uow:
            app = await uow.oauth.get_app(app_id)
        if app is None:
            raise NotFound("No such app.")
        return app


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise Invalid.field("client_name", "An app needs a name.")
    if len(name) > MAX_APP_NAME or not name.isprintable():
        raise Invalid.field("client_name", f"At most {MAX_APP_NAME} printable characters.")
    return name


def _website(text: str | None) -> str | None:
    website = (text or "").strip()
    if not website:
        return None
    try:
        parts = urlsplit(website)
    except ValueError:
        raise Invalid.field("website", "Must be an http(s) URL.") from None
    if (
        len(website) > MAX_WEBSITE
        or parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or not website.isprintable()
    ):
        raise Invalid.field("website", "Must be an http(s) URL.")
    return website
