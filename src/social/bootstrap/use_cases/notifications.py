"""The notifications context's use cases: raising and withdrawing them, and reading them."""

from __future__ import annotations

from dataclasses import dataclass

from social.bootstrap.adapters import Adapters
from social.domain.interactions.read_status import ReadStatus
from social.domain.notifications.browse_notifications import (
    BrowseNotifications,
    ClearNotifications,
    DismissNotification,
    GetNotification,
)
from social.domain.notifications.grouped_notifications import (
    ListNotificationGroups,
    MarkGroupRead,
)
from social.domain.notifications.notify import Notify, WithdrawNotifications
from social.domain.notifications.pushed import ShowPushedNotification
from social.domain.notifications.read_notifications import (
    ListNotifications,
    MarkNotificationsRead,
    UnreadCount,
)

__all__ = ["NotificationsUseCases", "build"]


@dataclass(frozen=True, slots=True)
class NotificationsUseCases:
    notify: Notify
    withdraw_notifications: WithdrawNotifications
    list_notifications: ListNotifications
    unread_count: UnreadCount
    mark_notifications_read: MarkNotificationsRead
    browse_notifications: BrowseNotifications
    get_notification: GetNotification
    dismiss_notification: DismissNotification
    clear_notifications: ClearNotifications
    show_pushed_notification: ShowPushedNotification
    list_notification_groups: ListNotificationGroups
    mark_group_read: MarkGroupRead


def build(a: Adapters) -> NotificationsUseCases:
    return NotificationsUseCases(
        notify=Notify(uow=a.uow, stream=a.stream, clock=a.clock),
        withdraw_notifications=WithdrawNotifications(uow=a.uow),
        list_notifications=ListNotifications(uow=a.uow, reads=a.reads()),
        unread_count=UnreadCount(uow=a.uow),
        mark_notifications_read=MarkNotificationsRead(uow=a.uow),
        browse_notifications=BrowseNotifications(uow=a.uow, reads=a.reads()),
        get_notification=GetNotification(uow=a.uow, reads=a.reads()),
        dismiss_notification=DismissNotification(uow=a.uow),
        clear_notifications=ClearNotifications(uow=a.uow),
        show_pushed_notification=ShowPushedNotification(
            reads=a.reads(), read_status=ReadStatus(reads=a.reads(), uow=a.uow)
        ),
        list_notification_groups=ListNotificationGroups(uow=a.uow, reads=a.reads()),
        mark_group_read=MarkGroupRead(uow=a.uow),
    )
