"""The embedded mode's mailer: one ``.eml`` file per message in a directory, nothing leaves the
machine. A developer opens the files (any mail client reads them); tests read them back."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

from social.adapters.mail.rfc5322 import to_email_message
from social.domain.shared.mail import MailMessage

__all__ = ["EmlFileMailer"]


class EmlFileMailer:
    """Writes ``<UTC time>-<random>.eml`` atomically (a temporary name, then a rename), so a
    reader never sees half a message and names sort in the order messages were sent."""

    def __init__(self, directory: Path, *, sender: str) -> None:
        self._directory = directory
        self._sender = sender

    @property
    def directory(self) -> Path:
        return self._directory

    async def send(self, message: MailMessage) -> None:
        now = datetime.now(UTC)
        data = to_email_message(message, sender=self._sender, now=now).as_bytes()
        name = f"{now.strftime('%Y%m%dT%H%M%S.%fZ')}-{uuid4().hex[:12]}.eml"
        await asyncio.to_thread(self._write, name, data)

    def _write(self, name: str, data: bytes) -> None:
        self._directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = self._directory / f".{name}.partial"
        partial.write_bytes(data)
        os.replace(partial, self._directory / name)
