"""The mailer the settings ask for: ``.eml`` files under the data directory in the embedded
mode (nothing leaves the machine)."""

from __future__ import annotations

from social.adapters.mail.eml_files import EmlFileMailer
from social.domain.shared.mail import Mailer
from social.settings import Settings

__all__ = ["open_mailer"]


def open_mailer(settings: Settings) -> Mailer:
    return EmlFileMailer(settings.process.data_dir / "mail", sender=settings.mail.mail_from)
