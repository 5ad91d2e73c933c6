"""The profiles context's use cases: your own account, other people's profiles and lists."""

from __future__ import annotations

from dataclasses import dataclass

from social.bootstrap.adapters import Adapters
from social.domain.profiles.avatar import RemoveAvatar, UpdateAvatar
from social.domain.profiles.get_me import GetMe
from social.domain.profiles.list_blocks_and_mutes import ListBlocks, ListMutes
from social.domain.profiles.list_connections import ListConnections
from social.domain.profiles.list_follow_requests import ListFollowRequests
from social.domain.profiles.mentioned import FindMentioned
from social.domain.profiles.update_profile import UpdateProfile
from social.domain.profiles.view_profile import ViewProfile

__all__ = ["ProfilesUseCases", "build"]


@dataclass(frozen=True, slots=True)
class ProfilesUseCases:
    get_me: GetMe
    update_profile: UpdateProfile
    view_profile: ViewProfile
    list_follow_requests: ListFollowRequests
    list_connections: ListConnections
    update_avatar: UpdateAvatar
    remove_avatar: RemoveAvatar
    list_blocks: ListBlocks
    list_mutes: ListMutes
    find_mentioned: FindMentioned


def build(a: Adapters) -> ProfilesUseCases:
    settings = a.settings
    reads = a.reads()
    return ProfilesUseCases(
        get_me=GetMe(uow=a.uow),
        update_profile=UpdateProfile(uow=a.uow, clock=a.clock, limits=settings.accounts.limits()),
        view_profile=ViewProfile(reads=reads),
        list_follow_requests=ListFollowRequests(uow=a.uow, reads=reads),
        list_connections=ListConnections(reads=reads),
        update_avatar=UpdateAvatar(
            uow=a.uow,
            images=a.images,
            storage=a.storage,
            clock=a.clock,
            max_bytes=settings.media.max_avatar_bytes,
        ),
        remove_avatar=RemoveAvatar(uow=a.uow, clock=a.clock),
        list_blocks=ListBlocks(reads=reads),
        list_mutes=ListMutes(reads=reads),
        find_mentioned=FindMentioned(reads=reads),
    )
