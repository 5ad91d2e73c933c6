"""The Mailer port, run against the fake and every real adapter: what was sent can be read back
whole (recipient, subject, plain text and HTML), in order, with RFC 5322 headers. The SMTP
adapter sends to Mailpit and reads back through its HTTP API (the raw source, as received)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from social.adapters.mail.eml_files import EmlFileMailer
from social.adapters.mail.smtp import SmtpMailer
from social.domain.shared.mail import Mailer, MailMessage
from tests.fakes.shared import RecordingMailer
from tests.mailpit import mailpit_or_skip

SENDER = "social <no-reply@social.test>"


@dataclass
class Inbox:
    mailer: Mailer
    read: Callable[[], Awaitable[list[MailMessage]]]


def _from_eml(raw: bytes, sender: str = SENDER) -> MailMessage:
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["From"] == sender and parsed["Date"] and parsed["Message-ID"]
    text, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert text is not None and html is not None
    return MailMessage(
        to=str(parsed["To"]),
        subject=str(parsed["Subject"]),
        text=text.get_content().rstrip("\n"),
        html=html.get_content().rstrip("\n"),
    )


@pytest.fixture(params=["fake", "eml", "smtp"])
async def inbox(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Inbox]:
    if request.param == "fake":
        fake = RecordingMailer()

        async def read_fake() -> list[MailMessage]:
            return list(fake.sent)

        yield Inbox(fake, read_fake)
        return
    if request.param == "smtp":
        mailpit = mailpit_or_skip()

        async def read_mailpit() -> list[MailMessage]:
            raws = [await mailpit.raw(summary["ID"]) for summary in await mailpit.summaries()]
            # SMTP carries lines ending in CRLF; a file written here ends them in LF
            return [_from_eml(raw.replace(b"\r\n", b"\n"), mailpit.sender) for raw in raws]

        yield Inbox(SmtpMailer(mailpit.smtp(), sender=mailpit.sender), read_mailpit)
        await mailpit.delete_mine()
        return
    files = EmlFileMailer(tmp_path / "mail", sender=SENDER)

    async def read_files() -> list[MailMessage]:
        return [_from_eml(p.read_bytes()) for p in sorted((tmp_path / "mail").glob("*.eml"))]

    yield Inbox(files, read_files)


def message(n: int) -> MailMessage:
    return MailMessage(
        to=f"person{n}@example.com",
        subject=f"Confirm your address — nº {n}",
        text=f"Hello!\nOpen https://social.test/verify?token=t{n} to confirm.",
        html=f'<p>Hello!</p><p><a href="https://social.test/verify?token=t{n}">Confirm</a></p>',
    )


async def test_a_sent_message_reads_back_whole(inbox: Inbox) -> None:
    await inbox.mailer.send(message(1))
    assert await inbox.read() == [message(1)]


async def test_messages_read_back_in_the_order_sent(inbox: Inbox) -> None:
    for n in range(5):
        await inbox.mailer.send(message(n))
    assert await inbox.read() == [message(n) for n in range(5)]


async def test_the_eml_files_are_written_whole_and_private(tmp_path: Path) -> None:
    mailer = EmlFileMailer(tmp_path / "mail", sender=SENDER)
    await mailer.send(message(1))
    [written] = list((tmp_path / "mail").iterdir())
    assert written.suffix == ".eml"  # no partial file is left behind
    assert (tmp_path / "mail").stat().st_mode & 0o077 == 0


async def test_mailpit_reads_the_smtp_message_as_sent() -> None:
    """Mailpit's own parse agrees: one recipient, the subject decoded, both bodies."""
    mailpit = mailpit_or_skip()
    try:
        await SmtpMailer(mailpit.smtp(), sender=mailpit.sender).send(message(7))
        [summary] = await mailpit.summaries()
        parsed = await mailpit.parsed(summary["ID"])
        assert [to["Address"] for to in parsed["To"]] == ["person7@example.com"]
        assert parsed["From"]["Address"] == mailpit.sender_address
        assert parsed["Subject"] == message(7).subject
        assert (
            "token=t7" in parsed["Text"]
            and 'href="https://social.test/verify?token=t7"' in (parsed["HTML"])
        )
    finally:
        await mailpit.delete_mine()
