"""The mailer the settings ask for: SMTP when ``smtp_host`` is set, else ``.eml`` files under
the data directory (the embedded mode: nothing leaves the machine).

No readiness check for SMTP, on purpose: mail leaves from jobs that retry, so a mail server
outage must not take the API out of its load balancer (readiness gates traffic, and every
request still works without mail); a probe would also open a connection to the provider on
every health poll. Sending failures show in the job logs and metrics instead.
"""

from __future__ import annotations

from social.adapters.mail.eml_files import EmlFileMailer
from social.adapters.mail.smtp import SmtpConfig, SmtpMailer
from social.domain.shared.mail import Mailer
from social.settings import Settings

__all__ = ["open_mailer"]


def open_mailer(settings: Settings) -> Mailer:
    mail = settings.mail
    if mail.smtp_host:
        return SmtpMailer(SmtpConfig.from_settings(mail), sender=mail.mail_from)
    return EmlFileMailer(settings.process.data_dir / "mail", sender=mail.mail_from)
