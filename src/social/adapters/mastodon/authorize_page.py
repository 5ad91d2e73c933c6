"""``/oauth/authorize``: the one server-rendered page (RFC 6749 §4.1). Sign in with a
username or email and password, then a second-factor code when the account has two-factor
on, then approve or deny the app; the approval redirects to the app's redirect URI with a
single-use code (or shows it, for the out-of-band URI).

The request is checked against the app before anything else and again at every step, so an
unregistered redirect URI only ever gets an error page. Forms carry a CSRF token that must
match a signed SameSite=Strict, HttpOnly cookie; steps are tied together by signed tickets
bound to that token (``authorize_state.py``). Errors are HTML pages, never JSON."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.enums import MediaType
from litestar.exceptions import HTTPException, ValidationException

from social.adapters.http.dependencies import Injected
from social.adapters.http.errors import Outage
from social.adapters.mastodon import authorize_html as html
from social.adapters.mastodon.authorize_state import (
    CONSENT_TICKET_TTL,
    CSRF_COOKIE,
    OTP_TICKET_TTL,
    PageSigner,
    Ticket,
    request_binding,
)
from social.adapters.mastodon.oauth_support import base_url
from social.domain.accounts.authorize_app import (
    ApproveAuthorization,
    AuthorizationAsk,
    AuthorizeRequest,
    CheckAuthorization,
    SignInToAuthorize,
)
from social.domain.accounts.oauth_model import OOB_REDIRECT
from social.domain.shared.clock import Clock
from social.domain.shared.errors import AuthenticationFailed, DomainError, RateLimited

__all__ = ["authorize_page"]

log = logging.getLogger(__name__)

_FIELDS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)
_MAX_FIELD = 4096


class PageError(Exception):
    """A refusal shown as an error page with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _html(
    content: str,
    *,
    status: int = 200,
    redirect_uri: str | None = None,
    cookie: Cookie | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[str]:
    return Response(
        content,
        status_code=status,
        media_type=MediaType.HTML,
        headers={
            "Content-Security-Policy": html.content_security_policy(redirect_uri),
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
            **(headers or {}),
        },
        cookies=[cookie] if cookie else None,
    )


def _values(items: Any) -> dict[str, str]:
    """The first value of each field, as text; oversized values refuse the request."""
    found: dict[str, str] = {}
    for key, value in items:
        if key in found or not isinstance(value, str):
            continue
        if len(value) > _MAX_FIELD:
            raise PageError(400, "The request is too large.")
        found[key] = value
    return found


def _ask_of(values: Mapping[str, str]) -> AuthorizeRequest:
    return AuthorizeRequest(
        client_id=values.get("client_id"),
        redirect_uri=values.get("redirect_uri"),
        response_type=values.get("response_type"),
        scope=values.get("scope"),
        code_challenge=values.get("code_challenge"),
        code_challenge_method=values.get("code_challenge_method"),
    )


def _state(request: Request[Any, Any, Any]) -> tuple[PageSigner, Clock]:
    state = request.app.state
    signer = state.get("authorize_signer")
    if signer is None:
        signer = state["authorize_signer"] = PageSigner.from_settings(state.adapters.settings)
    return signer, state.adapters.clock


def _cookie(request: Request[Any, Any, Any], value: str) -> Cookie:
    secure = base_url(request).startswith("https://") or request.url.scheme == "https"
    return Cookie(
        key=CSRF_COOKIE,
        value=value,
        path="/oauth/authorize",
        httponly=True,
        samesite="strict",
        secure=secure,
        max_age=3600,
    )


def _redirect(ask: AuthorizationAsk, params: dict[str, str], state: str | None) -> Response[str]:
    """To the app's (checked) redirect URI with ``params``; ``state`` echoed when the app sent
    one (Mastodon.py sends the literal ``None`` when it has none)."""
    if state and state != "None":
        params = {**params, "state": state}
    parts = urlsplit(ask.redirect_uri)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    location = urlunsplit(parts._replace(query=query))
    return _html("", status=302, redirect_uri=ask.redirect_uri, headers={"Location": location})


def authorize_page(*outages: Outage) -> type[Controller]:
    """The page's controller; ``outages`` tell a dependency down (503) from a bug (500)."""

    def page_error(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
        status, message = 500, "Something went wrong; try again later."
        if isinstance(exc, PageError):
            status, message = exc.status, exc.message
        elif isinstance(exc, RateLimited):
            status, message = 429, exc.message
        elif isinstance(exc, DomainError):
            status, message = (503 if exc.code == "service-unavailable" else 400), exc.message
        elif isinstance(exc, HTTPException) and exc.status_code < 500:
            status, message = exc.status_code, "This request cannot be handled."
        elif isinstance(exc, OSError) or any(outage(exc) for outage in outages):
            log.warning("a dependency failed on the authorization page", exc_info=exc)
            status, message = 503, "A service this page needs is unavailable; try again shortly."
        else:
            log.error("unhandled error on the authorization page", exc_info=exc)
        return _html(html.error_page(message), status=status)

    class AuthorizePage(Controller):
        path = "/oauth/authorize"
        exception_handlers = dict.fromkeys(  # every kind the router maps too
            (PageError, DomainError, OSError, ValidationException, HTTPException, Exception),
            page_error,
        )

        @get(
            "/",
            operation_id="mastodonOAuthAuthorizePage",
            summary="The sign-in and consent page (HTML)",
            description="Query: `client_id`, `redirect_uri`, `response_type=code`, `scope`, "
            "`state`, `code_challenge` + `code_challenge_method=S256`.",
            media_type=MediaType.HTML,
        )
        async def show(
            self,
            request: Request[Any, Any, Any],
            check_authorization: Injected[CheckAuthorization],
        ) -> Response[str]:
            values = _values(request.query_params.items())
            ask = await check_authorization.execute(_ask_of(values))
            signer, _ = _state(request)
            csrf = request.cookies.get(CSRF_COOKIE)
            cookie = None
            if not signer.csrf_valid(csrf):
                csrf = signer.new_csrf()
                cookie = _cookie(request, csrf)
            fields = _fields(values, csrf or "", "password")
            return _html(
                html.sign_in_form(ask.app.name, fields),
                redirect_uri=ask.redirect_uri,
                cookie=cookie,
            )

        @post(
            "/",
            status_code=200,
            operation_id="mastodonOAuthAuthorizeSubmit",
            summary="A step of the sign-in and consent page (HTML form)",
            media_type=MediaType.HTML,
        )
        async def submit(
            self,
            request: Request[Any, Any, Any],
            check_authorization: Injected[CheckAuthorization],
            sign_in_to_authorize: Injected[SignInToAuthorize],
            approve_authorization: Injected[ApproveAuthorization],
        ) -> Response[str]:
            values = _values((await request.form()).multi_items())
            signer, clock = _state(request)
            csrf = request.cookies.get(CSRF_COOKIE) or ""
            sent = values.get("csrf", "")
            if not signer.csrf_valid(csrf) or not hmac.compare_digest(csrf, sent):
                raise PageError(
                    403,
                    "This form expired or was not sent from this page: start again from the app.",
                )
            ask = await check_authorization.execute(_ask_of(values))
            binding = request_binding(ask)
            step = values.get("step")
            name = ask.app.name

            def ticket(kind: str, user: Ticket) -> dict[str, str]:
                ttl = OTP_TICKET_TTL if kind == "otp" else CONSENT_TICKET_TTL
                made = signer.ticket(
                    Ticket(kind, user.user_id, user.username),
                    csrf=csrf,
                    binding=binding,
                    now=clock.now(),
                    ttl=ttl,
                )
                return {**_fields(values, csrf, kind), "ticket": made}

            def consent(user: Ticket) -> Response[str]:
                fields = ticket("consent", user)
                body = html.consent_form(name, ask.app.website, user.username, ask.scopes, fields)
                return _html(body, redirect_uri=ask.redirect_uri)

            def opened(kind: str) -> Ticket:
                found = signer.open_ticket(
                    values.get("ticket"), kind=kind, csrf=csrf, binding=binding, now=clock.now()
                )
                if found is None:
                    raise PageError(403, "This sign-in expired: start again from the app.")
                return found

            if step == "password":
                try:
                    signed = await sign_in_to_authorize.execute(
                        values.get("login", ""), values.get("password", "")
                    )
                except (AuthenticationFailed, RateLimited) as exc:
                    status = 429 if isinstance(exc, RateLimited) else 401
                    body = html.sign_in_form(name, _fields(values, csrf, "password"), exc.message)
                    return _html(body, status=status, redirect_uri=ask.redirect_uri)
                user = Ticket("", signed.user_id, signed.username)
                if signed.needs_second_factor:
                    body = html.otp_form(name, ticket("otp", user))
                    return _html(body, redirect_uri=ask.redirect_uri)
                return consent(user)
            if step == "otp":
                user = opened("otp")
                try:
                    await sign_in_to_authorize.second_factor(user.user_id, values.get("otp", ""))
                except (AuthenticationFailed, RateLimited) as exc:
                    status = 429 if isinstance(exc, RateLimited) else 401
                    fields = {**_fields(values, csrf, "otp"), "ticket": values.get("ticket", "")}
                    body = html.otp_form(name, fields, exc.message)
                    return _html(body, status=status, redirect_uri=ask.redirect_uri)
                return consent(user)
            if step == "consent":
                user = opened("consent")
                state = values.get("state")
                if values.get("decision") != "approve":
                    if ask.redirect_uri == OOB_REDIRECT:
                        return _html(html.denied_page(name))
                    return _redirect(ask, {"error": "access_denied"}, state)
                code = await approve_authorization.execute(user.user_id, ask)
                if ask.redirect_uri == OOB_REDIRECT:
                    return _html(html.code_page(name, code))
                return _redirect(ask, {"code": code}, state)
            raise PageError(400, "Unknown step: start again from the app.")

    return AuthorizePage


def _fields(values: Mapping[str, str], csrf: str, step: str) -> dict[str, str]:
    """The hidden fields of the next form: the request as sent, the CSRF token, the step."""
    kept = {name: values[name] for name in _FIELDS if name in values}
    return {**kept, "csrf": csrf, "step": step}
