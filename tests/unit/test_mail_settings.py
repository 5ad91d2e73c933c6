"""The mail settings: SMTP chosen by ``SOCIAL_SMTP_HOST``, each bad value refused in one line
naming its variable, and the password never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from social.adapters.mail.eml_files import EmlFileMailer
from social.adapters.mail.smtp import SmtpMailer
from social.bootstrap.mail import open_mailer
from social.settings import Settings, SettingsError

SECRET = "hunter2-not-shown"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"SOCIAL_MAIL_FROM": "social"},
            "SOCIAL_MAIL_FROM='social': must be a mailbox: 'Name <address@domain>' or "
            "'address@domain'",
        ),
        (
            {"SOCIAL_SMTP_HOST": "smtp://mail.example"},
            "SOCIAL_SMTP_HOST='smtp://mail.example': must be a host name or an IP address, "
            "without a scheme or port",
        ),
        (
            {"SOCIAL_SMTP_HOST": "mail.example:587"},
            "SOCIAL_SMTP_HOST='mail.example:587': must be a host name or an IP address, "
            "without a scheme or port",
        ),
        ({"SOCIAL_SMTP_PORT": "0"}, "SOCIAL_SMTP_PORT=0: must be a port number from 1 to 65535"),
        ({"SOCIAL_SMTP_PORT": "x"}, "SOCIAL_SMTP_PORT='x': Expected `int`, got `str`"),
        (
            {"SOCIAL_SMTP_SECURITY": "ssl"},
            "SOCIAL_SMTP_SECURITY='ssl': Invalid enum value 'ssl'",
        ),
        ({"SOCIAL_SMTP_TIMEOUT_S": "0"}, "SOCIAL_SMTP_TIMEOUT_S=0.0: must be positive (seconds)"),
        (
            {"SOCIAL_SMTP_PASSWORD": SECRET},
            "SOCIAL_SMTP_USERNAME='': SOCIAL_SMTP_USERNAME and SOCIAL_SMTP_PASSWORD are set "
            "together",
        ),
        (
            {
                "SOCIAL_SMTP_HOST": "mail.example",
                "SOCIAL_SMTP_USERNAME": "app",
                "SOCIAL_SMTP_PASSWORD": SECRET,
                "SOCIAL_SMTP_SECURITY": "none",
            },
            "SOCIAL_SMTP_SECURITY='none': must be starttls or tls when SOCIAL_SMTP_PASSWORD is "
            "set (the password would cross the network in clear); none is only for a server on "
            "this host",
        ),
    ],
)
def test_a_bad_mail_setting_is_one_line_naming_its_variable(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(environ)
    assert str(raised.value) == message
    assert SECRET not in str(raised.value)


@pytest.mark.parametrize("host", ["mail.example", "10.0.0.5", "::1", "localhost"])
def test_good_smtp_settings_are_taken(host: str) -> None:
    settings = Settings.from_env(
        {
            "SOCIAL_SMTP_HOST": host,
            "SOCIAL_SMTP_PORT": "465",
            "SOCIAL_SMTP_SECURITY": "tls",
            "SOCIAL_SMTP_USERNAME": "app",
            "SOCIAL_SMTP_PASSWORD": SECRET,
            "SOCIAL_SMTP_TIMEOUT_S": "2.5",
        }
    )
    mail = settings.mail
    assert (mail.smtp_host, mail.smtp_port, mail.smtp_security) == (host, 465, "tls")
    assert (mail.smtp_username, mail.smtp_password, mail.smtp_timeout_s) == ("app", SECRET, 2.5)


def test_a_relay_on_this_host_may_take_a_password_in_clear() -> None:
    Settings.from_values(
        smtp_host="127.0.0.1", smtp_security="none", smtp_username="a", smtp_password="b"
    )


def test_the_smtp_host_chooses_the_smtp_mailer(tmp_path: Path) -> None:
    embedded = Settings.from_values(data_dir=tmp_path)
    mailer = open_mailer(embedded)
    assert isinstance(mailer, EmlFileMailer) and mailer.directory == tmp_path / "mail"
    assert isinstance(open_mailer(embedded.with_values(smtp_host="mail.example")), SmtpMailer)
