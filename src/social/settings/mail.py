"""Outgoing mail: who it comes from and how it leaves (files in the embedded mode)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MailSettings"]


@dataclass(frozen=True, slots=True)
class MailSettings:
    """The sender of every message; where messages go is decided by the mail adapter's own
    settings (none set: one ``.eml`` file per message under ``data_dir/mail``)."""

    mail_from: str = "social <no-reply@localhost>"
    """The ``From`` of every message (RFC 5322 mailbox)."""
