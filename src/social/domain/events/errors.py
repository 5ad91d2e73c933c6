"""The events context's own refusals (their ``code`` is the problem type clients act on)."""

from __future__ import annotations

from social.domain.shared.errors import Conflict, Forbidden

__all__ = ["EventPasswordRequired", "FaceReferenceRequired", "WrongEventPassword"]


class EventPasswordRequired(Forbidden):
    """The event asks for its password before its photos are shown."""

    code = "event-password-required"


class WrongEventPassword(Forbidden):
    """The password given is not the event's."""

    code = "wrong-event-password"


class FaceReferenceRequired(Conflict):
    """ "Find my photos" needs the user's face reference: none was given, or consent was
    withdrawn (which deleted it)."""

    code = "face-reference-required"
