"""Mailpit, the local SMTP server the tests send real mail to, read back through its HTTP API.

``scripts/services.sh up`` starts it and writes ``SOCIAL_TEST_SMTP_HOST``/``_PORT`` and
``SOCIAL_TEST_MAILPIT_URL``. Several test runs may share one Mailpit, so a test never wipes it
(``DELETE /api/v1/messages``): each test sends from a sender address of its own and reads and
deletes only the messages from that address (Mailpit's search API).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx

from social.adapters.mail.smtp import SmtpConfig
from tests.services import require_env

__all__ = ["Mailpit", "mailpit_or_skip"]


@dataclass(frozen=True, slots=True)
class Mailpit:
    smtp_host: str
    smtp_port: int
    url: str
    sender_address: str
    """This test's own ``From`` address: what its messages are found (and deleted) by."""

    @property
    def sender(self) -> str:
        return f"social <{self.sender_address}>"

    def smtp(self, *, port: int | None = None) -> SmtpConfig:
        """Mailpit speaks plain SMTP (no TLS) and takes any login."""
        return SmtpConfig(
            host=self.smtp_host, port=port or self.smtp_port, security="none", timeout_s=5.0
        )

    async def summaries(self) -> list[dict[str, Any]]:
        """This test's messages, oldest first (Mailpit lists the newest first)."""
        async with httpx.AsyncClient(base_url=self.url, timeout=10) as http:
            found = await http.get("/api/v1/search", params={"query": self._query(), "limit": 1000})
            found.raise_for_status()
        return list(reversed(found.json()["messages"]))

    async def raw(self, message_id: str) -> bytes:
        """The message's source as the server received it."""
        async with httpx.AsyncClient(base_url=self.url, timeout=10) as http:
            response = await http.get(f"/api/v1/message/{message_id}/raw")
            response.raise_for_status()
        return response.content

    async def parsed(self, message_id: str) -> dict[str, Any]:
        """Mailpit's own reading of the message (``Text``, ``HTML``, ``To``, …)."""
        async with httpx.AsyncClient(base_url=self.url, timeout=10) as http:
            response = await http.get(f"/api/v1/message/{message_id}")
            response.raise_for_status()
        return dict(response.json())

    async def delete_mine(self) -> None:
        async with httpx.AsyncClient(base_url=self.url, timeout=10) as http:
            response = await http.request(
                "DELETE", "/api/v1/search", params={"query": self._query()}
            )
            response.raise_for_status()

    def _query(self) -> str:
        return f"from:{self.sender_address}"


def mailpit_or_skip() -> Mailpit:
    """Mailpit with a fresh sender address; skips (fails under ``SOCIAL_REQUIRE_SERVICES=1``)
    without the variables."""
    env = require_env(
        "Mailpit", "SOCIAL_TEST_SMTP_HOST", "SOCIAL_TEST_SMTP_PORT", "SOCIAL_TEST_MAILPIT_URL"
    )
    return Mailpit(
        smtp_host=env["SOCIAL_TEST_SMTP_HOST"],
        smtp_port=int(env["SOCIAL_TEST_SMTP_PORT"]),
        url=env["SOCIAL_TEST_MAILPIT_URL"].rstrip("/"),
        sender_address=f"no-reply@{secrets.token_hex(6)}.social.test",
    )
