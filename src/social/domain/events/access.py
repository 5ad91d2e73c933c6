"""Who may see and manage an event: the one check every event use case starts with.

The organiser's account is judged by the graph's rule (``can_see_account``: a suspended or
deleted organiser's events, or one who blocks the viewer or is blocked by them, do not exist for
the viewer). Then the event's own rules: a private event exists only for its organiser, staff
and the guests already granted; a password keeps the photos of a public or unlisted event from
anyone who has not given it (403, so a client knows to ask for it: the event's link was shared).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from social.domain.events.errors import EventPasswordRequired
from social.domain.events.model import Event, EventVisibility
from social.domain.events.ports import EventsUnitOfWork
from social.domain.graph.model import Ties
from social.domain.graph.visibility import can_see_account
from social.domain.shared.errors import Forbidden, NotFound
from social.domain.shared.identity import Viewer

__all__ = ["EventView", "find_event", "managed_event", "require_photos", "viewable"]

NOT_FOUND = "No such event."


@dataclass(frozen=True, slots=True)
class EventView:
    """An event as one viewer sees it."""

    event: Event
    can_manage: bool
    granted: bool

    @property
    def can_view_photos(self) -> bool:
        return self.can_manage or self.granted or not self.event.has_password


def can_manage(viewer: Viewer, event: Event) -> bool:
    return viewer.user_id == event.owner_id or viewer.role.can_moderate


async def find_event(uow: EventsUnitOfWork, viewer: Viewer, event_id: UUID) -> EventView:
    """The event as the viewer may see it; ``NotFound`` when it is hidden from them."""
    event = await uow.events.get(event_id)
    if event is None:
        raise NotFound(NOT_FOUND)
    views = await viewable(uow, viewer, [event])
    if not views:
        raise NotFound(NOT_FOUND)
    return views[0]


async def viewable(uow: EventsUnitOfWork, viewer: Viewer, events: list[Event]) -> list[EventView]:
    """Those of the events the viewer may see, in order, as they see them."""
    owners = {e.owner_id for e in events}
    users = await uow.users.get_many(owners) if events else {}
    others = [o for o in owners if o != viewer.user_id]
    ties = await uow.graph.ties(viewer.user_id, others) if others else {}
    granted = await uow.events.granted(viewer.user_id, [e.id for e in events]) if events else set()
    views = []
    for event in events:
        owner = users.get(event.owner_id)
        manage = can_manage(viewer, event)
        if owner is None or not (
            viewer.role.can_moderate or can_see_account(viewer, owner, ties.get(owner.id, Ties()))
        ):
            continue
        if event.visibility is EventVisibility.PRIVATE and not (manage or event.id in granted):
            continue
        views.append(EventView(event, can_manage=manage, granted=event.id in granted))
    return views


async def managed_event(uow: EventsUnitOfWork, viewer: Viewer, event_id: UUID) -> Event:
    """The event, for its organiser or staff; hidden ones are ``NotFound``, others ``Forbidden``."""
    view = await find_event(uow, viewer, event_id)
    if not view.can_manage:
        raise Forbidden("Only the event's organiser may change it.")
    return view.event


def require_photos(view: EventView) -> None:
    """``Forbidden`` (with the reason a client acts on) until the viewer gave the password."""
    if not view.can_view_photos:
        raise EventPasswordRequired("This event asks for its password: open it first.")
