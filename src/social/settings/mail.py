"""Outgoing mail: who it comes from and how it leaves (files in the embedded mode, else SMTP)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Literal

__all__ = ["MailSettings", "SmtpSecurity"]

SmtpSecurity = Literal["starttls", "tls", "none"]


@dataclass(frozen=True, slots=True)
class MailSettings:
    """The sender of every message and the SMTP server that takes them; no ``smtp_host``: one
    ``.eml`` file per message under ``data_dir/mail`` (nothing leaves the machine)."""

    mail_from: str = "social <no-reply@localhost>"
    """The ``From`` of every message (RFC 5322 mailbox)."""
    smtp_host: str = ""
    """The SMTP server (submission) that relays every message; empty: ``.eml`` files."""
    smtp_port: int = 587
    smtp_username: str = ""
    """With ``smtp_password``: log in (AUTH) before sending; both empty: no login."""
    smtp_password: str = ""
    smtp_security: SmtpSecurity = "starttls"
    """``starttls``: plain connection upgraded with STARTTLS, required (port 587); ``tls``: TLS
    from the first byte (port 465); ``none``: no encryption (a relay on the same host)."""
    smtp_timeout_s: float = 10.0
    """Longest wait for the server at any step (connect, each command, the message)."""

    def broken_rules(self) -> Iterator[tuple[str, str]]:
        """``(field, rule)`` for each rule these fields break; never about the password's value
        (the caller shows a field's value, so the password rule names the username)."""
        if "@" not in parseaddr(self.mail_from)[1]:
            yield "mail_from", "must be a mailbox: 'Name <address@domain>' or 'address@domain'"
        host = self.smtp_host
        if host and not (_ip(host) or not any(c.isspace() or c in "/:@[]" for c in host)):
            yield "smtp_host", "must be a host name or an IP address, without a scheme or port"
        if not 1 <= self.smtp_port <= 65535:
            yield "smtp_port", "must be a port number from 1 to 65535"
        if self.smtp_timeout_s <= 0:
            yield "smtp_timeout_s", "must be positive (seconds)"
        if bool(self.smtp_username) != bool(self.smtp_password):
            yield "smtp_username", "SOCIAL_SMTP_USERNAME and SOCIAL_SMTP_PASSWORD are set together"
        if self.smtp_password and self.smtp_security == "none" and not _loopback(host):
            yield (
                "smtp_security",
                "must be starttls or tls when SOCIAL_SMTP_PASSWORD is set (the password would "
                "cross the network in clear); none is only for a server on this host",
            )


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _loopback(host: str) -> bool:
    return host == "localhost" or bool((ip := _ip(host)) and ip.is_loopback)
