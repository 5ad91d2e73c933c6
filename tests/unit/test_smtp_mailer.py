"""What the SMTP adapter makes of each server answer, against a scripted SMTP server on
loopback: an outage or a "try later" is ``Unavailable`` (the job is retried), a refusal for good
is ``MailRefused`` (the job logs it and ends)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from social.adapters.mail.smtp import SmtpConfig, SmtpMailer
from social.domain.shared.errors import Unavailable
from social.domain.shared.mail import MailMessage, MailRefused
from social.settings.mail import SmtpSecurity

MESSAGE = MailMessage(to="someone@example.com", subject="Hi", text="hello", html="<p>hello</p>")
SENDER = "social <no-reply@social.test>"


@dataclass
class Script:
    """The replies of the scripted server; ``None`` for ``greeting``: say nothing (a hang)."""

    greeting: str | None = "220 test ready"
    ehlo: str = "250-test\r\n250 AUTH PLAIN"
    auth: str = "235 ok"
    rcpt: str = "250 ok"
    after_data: str = "250 queued"
    messages: list[bytes] = field(default_factory=list)


async def _serve(
    script: Script, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    def say(line: str) -> None:
        writer.write(line.encode() + b"\r\n")

    if script.greeting is None:
        await reader.read()  # never answers
        return
    say(script.greeting)
    while line := await reader.readline():
        verb = line.decode().split(" ", 1)[0].split(":", 1)[0].strip().upper()
        if verb in ("EHLO", "HELO"):
            say(script.ehlo)
        elif verb == "AUTH":
            say(script.auth)
        elif verb == "MAIL":
            say("250 ok")
        elif verb == "RCPT":
            say(script.rcpt)
        elif verb == "DATA":
            say("354 go on")
            body = b""
            while (chunk := await reader.readline()) not in (b".\r\n", b""):
                body += chunk
            script.messages.append(body)
            say(script.after_data)
        elif verb == "QUIT":
            say("221 bye")
            break
        else:
            say("250 ok")
        await writer.drain()
    writer.close()


@contextlib.asynccontextmanager
async def scripted(
    script: Script, *, login: tuple[str, str] = ("", ""), security: SmtpSecurity = "none"
) -> AsyncIterator[SmtpMailer]:
    handlers: set[asyncio.Task[None]] = set()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        with contextlib.suppress(ConnectionError):
            await _serve(script, reader, writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    config = SmtpConfig("127.0.0.1", port, *login, security=security, timeout_s=0.5)
    try:
        yield SmtpMailer(config, sender=SENDER)
    finally:
        server.close()
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)


async def test_a_taken_message_is_sent_once_with_its_headers() -> None:
    script = Script()
    async with scripted(script) as mailer:
        await mailer.send(MESSAGE)
    [body] = script.messages
    assert b"To: someone@example.com" in body and b"From: social <no-reply@social.test>" in body


@pytest.mark.parametrize(
    "script",
    [
        Script(rcpt="450 4.2.1 mailbox busy, try later"),
        Script(rcpt="421 4.7.0 too many connections"),
        Script(after_data="451 4.3.0 local error"),
        Script(greeting="554 5.3.2 not accepting mail now"),
        Script(greeting=None),  # connected, but the server never speaks: the timeout
    ],
    ids=["rcpt-4xx", "rcpt-421", "data-4xx", "greeting-5xx", "hang"],
)
async def test_an_outage_or_try_later_is_unavailable(script: Script) -> None:
    async with scripted(script) as mailer:
        with pytest.raises(Unavailable) as raised:
            await mailer.send(MESSAGE)
    assert raised.value.dependency == "mail" and raised.value.__cause__ is not None


async def test_no_server_listening_is_unavailable() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", port, security="none", timeout_s=1), sender=SENDER)
    with pytest.raises(Unavailable) as raised:
        await mailer.send(MESSAGE)
    assert isinstance(raised.value.__cause__, ConnectionError)


async def test_a_wrong_configuration_is_unavailable_until_fixed() -> None:
    """A refused login or a missing STARTTLS is the operator's to fix: the mail waits."""
    refusing = Script(auth="535 5.7.8 bad credentials")
    async with scripted(refusing, login=("app", "wrong")) as mailer:
        with pytest.raises(Unavailable, match="535"):
            await mailer.send(MESSAGE)
    async with scripted(Script(), security="starttls") as mailer:  # the server offers none
        with pytest.raises(Unavailable, match="STARTTLS"):
            await mailer.send(MESSAGE)
    assert not refusing.messages


@pytest.mark.parametrize(
    "script",
    [
        Script(rcpt="550 5.1.1 no such user"),
        Script(after_data="554 5.7.1 rejected as spam"),
        Script(after_data="552 5.3.4 message too big"),
    ],
    ids=["rcpt-550", "data-554", "data-552"],
)
async def test_a_refusal_for_good_is_mail_refused(script: Script) -> None:
    async with scripted(script) as mailer:
        with pytest.raises(MailRefused) as raised:
            await mailer.send(MESSAGE)
    assert raised.value.recipient == MESSAGE.to and raised.value.reply.startswith("55")
    assert MESSAGE.to not in str(raised.value)  # logs carry no addresses
