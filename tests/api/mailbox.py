"""The embedded mailer's ``.eml`` files, read back as a person's mailbox (API tests)."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from tests.api.conftest import eventually

__all__ = ["Mail", "Mailbox"]


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str

    def token(self) -> str:
        """The token the mail states for an app to paste."""
        found = re.search(r"code in the app: ([A-Za-z0-9_-]+)", self.text)
        assert found, self.text
        return found.group(1)


class Mailbox:
    def __init__(self, data_dir: Path) -> None:
        self.directory = data_dir / "mail"

    def all(self) -> list[Mail]:
        """Every message written so far, in the order sent (the file names sort so)."""
        if not self.directory.exists():
            return []
        return [_read(path) for path in sorted(self.directory.glob("*.eml"))]

    def to(self, address: str, subject: str | None = None) -> list[Mail]:
        return [
            m for m in self.all() if m.to == address and (subject is None or m.subject == subject)
        ]

    async def next(self, address: str, subject: str, *, after: int = 0) -> Mail:
        """The ``after``-th (0-based) message to ``address`` with ``subject``, once the job
        has sent it."""

        async def arrived() -> bool:
            return len(self.to(address, subject)) > after

        await eventually(arrived)
        return self.to(address, subject)[after]


def _read(path: Path) -> Mail:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return Mail(
        to=str(message["To"]),
        subject=str(message["Subject"]),
        text=text.get_content(),
        html=html.get_content(),
    )
