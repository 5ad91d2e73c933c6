"""The events context's own refusals (their ``code`` is the problem type clients act on)."""

from __future__ import annotations

from social.domain.shared.errors import Forbidden

__all__ = ["EventPasswordRequired", "WrongEventPassword"]


class EventPasswordRequired(Forbidden):
    """The event asks for its password before its photos are shown."""

    code = "event-password-required"


class WrongEventPassword(Forbidden):
    """The password given is not the event's."""

    code = "wrong-event-password"
