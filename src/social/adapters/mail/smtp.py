"""The production mailer: each message over its own SMTP connection (aiosmtplib), with
STARTTLS or TLS and a login as the settings ask.

One connection per message keeps no state between jobs (a dropped connection never poisons the
next send) and mail is rare next to everything else the API does. What the server answers
decides what the job does next:

- no connection, a timeout, a broken connection, a 4xx reply ("try later"), or a refusal that
  says the configuration is wrong (login, sender, STARTTLS missing): ``Unavailable`` — the job
  fails and is retried with backoff, so the message waits for the server or the fix;
- a 5xx reply to the recipient or to the message itself: ``MailRefused`` — sending again would
  be refused again, so the job logs it and completes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import aiosmtplib

from social.adapters.mail.rfc5322 import to_email_message
from social.domain.shared.errors import Unavailable
from social.domain.shared.mail import MailMessage, MailRefused
from social.settings.mail import MailSettings, SmtpSecurity

__all__ = ["SmtpConfig", "SmtpMailer"]


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int = 587
    username: str = ""
    password: str = ""
    security: SmtpSecurity = "starttls"
    timeout_s: float = 10.0

    @classmethod
    def from_settings(cls, mail: MailSettings) -> SmtpConfig:
        return cls(
            host=mail.smtp_host,
            port=mail.smtp_port,
            username=mail.smtp_username,
            password=mail.smtp_password,
            security=mail.smtp_security,
            timeout_s=mail.smtp_timeout_s,
        )


class SmtpMailer:
    """Sends each message as ``multipart/alternative`` (``rfc5322``) from ``sender``."""

    def __init__(self, config: SmtpConfig, *, sender: str) -> None:
        self._config = config
        self._sender = sender

    async def send(self, message: MailMessage) -> None:
        email = to_email_message(message, sender=self._sender, now=datetime.now(UTC))
        config = self._config
        try:
            await aiosmtplib.send(
                email,
                hostname=config.host,
                port=config.port,
                username=config.username or None,
                password=config.password or None,
                use_tls=config.security == "tls",
                start_tls=config.security == "starttls",
                timeout=config.timeout_s,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:  # one recipient a message: it was refused
            replies = exc.recipients
            if replies and all(_permanent(reply.code) for reply in replies):
                raise MailRefused(message.to, _reply(replies[0])) from exc
            raise _unavailable(exc) from exc
        except aiosmtplib.SMTPRecipientRefused as exc:
            raise _refused_or_unavailable(message.to, exc) from exc
        except aiosmtplib.SMTPDataError as exc:  # the content: spam, size, policy
            raise _refused_or_unavailable(message.to, exc) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise _unavailable(exc) from exc


def _permanent(code: int) -> bool:
    return 500 <= code < 600


def _reply(exc: aiosmtplib.SMTPResponseException) -> str:
    return f"{exc.code} {exc.message}".strip()


def _refused_or_unavailable(
    recipient: str, exc: aiosmtplib.SMTPResponseException
) -> MailRefused | Unavailable:
    if _permanent(exc.code):
        return MailRefused(recipient, _reply(exc))
    return _unavailable(exc)


def _unavailable(exc: Exception) -> Unavailable:
    """What the job's failure (and its log) says: the kind of trouble, never the password."""
    detail = (
        _reply(exc)
        if isinstance(exc, aiosmtplib.SMTPResponseException)
        else type(exc).__name__ + (f": {exc}" if str(exc) else "")
    )
    return Unavailable(f"The mail server did not take the message ({detail}).", dependency="mail")
