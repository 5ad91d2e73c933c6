"""The words of the mails about an account: plain text and the same in HTML.

No web client exists, so each mail that carries a token also states it, for an app to paste.
The link paths are part of the documented contract (docs/api.md)."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from social.domain.accounts.jobs import SecurityEvent
from social.domain.shared.mail import MailMessage

__all__ = [
    "RESET_PASSWORD_PATH",
    "VERIFY_EMAIL_PATH",
    "password_reset_mail",
    "security_notice_mail",
    "verification_mail",
]

VERIFY_EMAIL_PATH = "/verify-email"
RESET_PASSWORD_PATH = "/reset-password"  # noqa: S105 - a path, not a secret

_NOTICES = {
    SecurityEvent.PASSWORD_CHANGED: "The password of your account was changed.",
    SecurityEvent.PASSWORD_RESET: (
        "The password of your account was reset with a link mailed to you, and every device"
        " was signed out."
    ),
    SecurityEvent.EMAIL_CHANGED: "The email address of your account was changed.",
    SecurityEvent.TWO_FACTOR_ENABLED: "Two-factor authentication was turned on for your account.",
    SecurityEvent.TWO_FACTOR_DISABLED: (
        "Two-factor authentication was turned off for your account."
    ),
}


def verification_mail(to: str, username: str, base_url: str, token: str, hours: int) -> MailMessage:
    link = f"{base_url}{VERIFY_EMAIL_PATH}?token={quote(token)}"
    lines = (
        f"Hello {username},",
        "please confirm that this address is yours by opening this link:",
        link,
        f"or by entering this code in the app: {token}",
        f"The link works once, for {hours} hours. If you did not sign up, ignore this mail.",
    )
    return _message(to, "Confirm your email address", lines, link)


def password_reset_mail(
    to: str, username: str, base_url: str, token: str, minutes: int
) -> MailMessage:
    link = f"{base_url}{RESET_PASSWORD_PATH}?token={quote(token)}"
    lines = (
        f"Hello {username},",
        "someone (we hope you) asked to reset the password of your account. To choose a new"
        " one, open this link:",
        link,
        f"or enter this code in the app: {token}",
        f"The link works once, for {minutes} minutes. If you did not ask, ignore this mail:"
        " your password stays as it is.",
    )
    return _message(to, "Reset your password", lines, link)


def security_notice_mail(to: str, username: str, event: SecurityEvent) -> MailMessage:
    lines = (
        f"Hello {username},",
        _NOTICES[event],
        "If this was you, there is nothing to do. If it was not, reset your password at once"
        " and check the devices signed in to your account.",
    )
    return _message(to, "Security notice for your account", lines, None)


def _message(to: str, subject: str, lines: tuple[str, ...], link: str | None) -> MailMessage:
    text = "\n\n".join(lines) + "\n"
    paragraphs = "".join(
        f'<p><a href="{escape(line)}">{escape(line)}</a></p>'
        if line == link
        else f"<p>{escape(line)}</p>"
        for line in lines
    )
    html = f"<!DOCTYPE html><html><body>{paragraphs}</body></html>"
    return MailMessage(to=to, subject=subject, text=text, html=html)
