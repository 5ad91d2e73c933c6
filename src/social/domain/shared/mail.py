"""The mail port: a message for one person, and what sends it.

Use cases never send mail in a request: they queue a job (through the outbox) whose handler
builds the message and hands it to the ``Mailer``; an outage raises ``Unavailable`` and the job
is retried, so nothing a user was promised is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["MailMessage", "Mailer"]


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One message to one address, in plain text and HTML (the same content)."""

    to: str
    subject: str
    text: str
    html: str


class Mailer(Protocol):
    async def send(self, message: MailMessage) -> None:
        """Deliver ``message`` or raise ``Unavailable`` (the mail server is away: retry later).
        A message handed over is never sent twice by the adapter itself."""
        ...
