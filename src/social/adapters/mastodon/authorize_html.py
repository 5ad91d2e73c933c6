"""The HTML of the authorization page: sign-in, second factor, consent, the out-of-band code
and errors. Every value is escaped; there is no script, and one inline style whose hash the
Content-Security-Policy names (nothing else may load)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from html import escape
from urllib.parse import urlsplit

__all__ = [
    "code_page",
    "consent_form",
    "content_security_policy",
    "denied_page",
    "error_page",
    "otp_form",
    "sign_in_form",
]

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;"
    "color:#222}h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}"
    "input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}"
    "button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem}.error{color:#a00}"
    "code{font-size:1.2rem;word-break:break-all;background:#eee;padding:.3rem}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
_ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[A-Za-z0-9.\-]+(:[0-9]{1,5})?|[a-z][a-z0-9+.-]*:")

_SCOPES = {
    "read": "read everything your account can see",
    "write": "post, change and delete on your behalf",
    "follow": "follow, block and mute accounts for you",
    "push": "receive your notifications",
    "profile": "see your name and username",
}


def content_security_policy(redirect_uri: str | None) -> str:
    """Nothing loads but the inline style; forms post to this page and, since Chrome checks
    ``form-action`` on the redirect after a form's POST too, to the app's redirect origin."""
    targets = "'self'"
    origin = _origin(redirect_uri) if redirect_uri else None
    if origin:
        targets += f" {origin}"
    return (
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action {targets}; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def _origin(uri: str) -> str | None:
    """A CSP source for the redirect URI: its origin, or its scheme for an app's own scheme;
    ``None`` for anything that would not make a clean source (the redirect is then refused
    by the browser, never widened)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.hostname:
            return None
        host = parts.hostname
        try:
            port = parts.port
        except ValueError:
            return None
        source = f"{scheme}://{host}" + (f":{port}" if port else "")
    else:
        source = f"{scheme}:"
    return source if _ORIGIN.fullmatch(source) else None


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        '<meta name=referrer content="no-referrer">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )


def _hidden(fields: Mapping[str, str]) -> str:
    return "".join(
        f'<input type=hidden name="{escape(name)}" value="{escape(value)}">'
        for name, value in fields.items()
    )


def _error(message: str | None) -> str:
    return f"<p class=error role=alert>{escape(message)}</p>" if message else ""


def _form(fields: Mapping[str, str], inner: str) -> str:
    return f'<form method=post action="/oauth/authorize">{_hidden(fields)}{inner}</form>'


def sign_in_form(app_name: str, fields: Mapping[str, str], error: str | None = None) -> str:
    inner = (
        "<label for=login>Username or email</label>"
        "<input type=text id=login name=login autocomplete=username required autofocus>"
        "<label for=password>Password</label>"
        "<input type=password id=password name=password autocomplete=current-password required>"
        "<button type=submit>Sign in</button>"
    )
    body = (
        f"<h1>Sign in to authorize {escape(app_name)}</h1>"
        f"<p><strong>{escape(app_name)}</strong> asks to use your account.</p>"
        f"{_error(error)}{_form(fields, inner)}"
    )
    return _page(f"Authorize {app_name}", body)


def otp_form(app_name: str, fields: Mapping[str, str], error: str | None = None) -> str:
    inner = (
        "<label for=otp>Code from your authenticator app (or a recovery code)</label>"
        "<input type=text id=otp name=otp autocomplete=one-time-code inputmode=text required "
        "autofocus><button type=submit>Verify</button>"
    )
    body = f"<h1>Two-factor authentication</h1>{_error(error)}{_form(fields, inner)}"
    return _page(f"Authorize {app_name}", body)


def consent_form(
    app_name: str,
    website: str | None,
    username: str,
    scopes: frozenset[str],
    fields: Mapping[str, str],
) -> str:
    items = "".join(f"<li>{escape(_describe(scope))}</li>" for scope in sorted(scopes))
    site = f" ({escape(website)})" if website else ""
    inner = (
        "<button type=submit name=decision value=approve>Authorize</button>"
        "<button type=submit name=decision value=deny>Deny</button>"
    )
    body = (
        f"<h1>Authorize {escape(app_name)}?</h1>"
        f"<p>Signed in as <strong>@{escape(username)}</strong>.</p>"
        f"<p><strong>{escape(app_name)}</strong>{site} will be able to:</p><ul>{items}</ul>"
        f"{_form(fields, inner)}"
    )
    return _page(f"Authorize {app_name}", body)


def _describe(scope: str) -> str:
    top, _, sub = scope.partition(":")
    if not sub:
        return f"{_SCOPES.get(top, top)} ({scope})"
    verb = "read" if top == "read" else "change"
    return f"{verb} your {sub.replace('_', ' ')} ({scope})"


def code_page(app_name: str, code: str) -> str:
    body = (
        f"<h1>{escape(app_name)} is authorized</h1>"
        f"<p>Copy this code into {escape(app_name)}:</p><p><code id=code>{escape(code)}</code></p>"
    )
    return _page("Authorization code", body)


def denied_page(app_name: str) -> str:
    body = f"<h1>Not authorized</h1><p>{escape(app_name)} was not given access.</p>"
    return _page("Not authorized", body)


def error_page(message: str) -> str:
    body = f"<h1>This authorization cannot go on</h1>{_error(message)}"
    return _page("Authorization error", body)
