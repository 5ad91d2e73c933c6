"""A ``MailMessage`` as an RFC 5322 message: what every adapter writes or sends."""

from __future__ import annotations

from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from social.domain.shared.mail import MailMessage

__all__ = ["to_email_message"]


def to_email_message(
    message: MailMessage, *, sender: str, now: datetime | None = None
) -> EmailMessage:
    """The message with ``From``, ``To``, ``Subject``, ``Date`` and a ``Message-ID`` on the
    sender's domain, as ``multipart/alternative``: plain text first, then HTML."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now or datetime.now(UTC))
    email["Message-ID"] = make_msgid(domain=_domain(sender))
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    try:
        return Address(addr_spec=address).domain or "localhost"
    except (ValueError, IndexError):
        return "localhost"
