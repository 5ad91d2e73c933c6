"""The mail port: a message for one person, and what sends it.

Use cases never send mail in a request: they queue a job (through the outbox) whose handler
builds the message and hands it to the ``Mailer``; an outage raises ``Unavailable`` and the job
is retried, so nothing a user was promised is lost. A server that refuses a recipient for good
raises ``MailRefused`` instead: retrying cannot help, so the job logs it and ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["MailMessage", "MailRefused", "Mailer"]


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One message to one address, in plain text and HTML (the same content)."""

    to: str
    subject: str
    text: str
    html: str


class MailRefused(Exception):
    """The mail server refused this message for good (a 5xx reply to its recipient or its
    content: no such mailbox, rejected as spam). Not an outage: sending it again would be refused
    again, so the job that sent it logs the refusal and completes instead of being retried.
    The message leaves the address out (logs carry no email addresses)."""

    def __init__(self, recipient: str, reply: str) -> None:
        super().__init__(f"the mail server refused the message for good: {reply}")
        self.recipient = recipient
        self.reply = reply


class Mailer(Protocol):
    async def send(self, message: MailMessage) -> None:
        """Deliver ``message`` or raise ``Unavailable`` (the mail server is away or answered
        "try later": retry) or ``MailRefused`` (refused for good: do not retry). A message
        handed over is never sent twice by the adapter itself."""
        ...
