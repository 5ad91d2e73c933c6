"""The graph context's use cases: follows, follow requests, blocks and mutes."""

from __future__ import annotations

from dataclasses import dataclass

from social.bootstrap.adapters import Adapters
from social.domain.graph.block_user import BlockUser, UnblockUser
from social.domain.graph.follow_requests import DecideFollowRequest
from social.domain.graph.follow_user import FollowUser
from social.domain.graph.mute_user import MuteUser, UnmuteUser
from social.domain.graph.unfollow_user import UnfollowUser

__all__ = ["GraphUseCases", "build"]


@dataclass(frozen=True, slots=True)
class GraphUseCases:
    follow_user: FollowUser
    unfollow_user: UnfollowUser
    decide_follow_request: DecideFollowRequest
    block_user: BlockUser
    unblock_user: UnblockUser
    mute_user: MuteUser
    unmute_user: UnmuteUser


def build(a: Adapters) -> GraphUseCases:
    return GraphUseCases(
        follow_user=FollowUser(uow=a.uow, clock=a.clock),
        unfollow_user=UnfollowUser(uow=a.uow),
        decide_follow_request=DecideFollowRequest(uow=a.uow, clock=a.clock),
        block_user=BlockUser(uow=a.uow, clock=a.clock),
        unblock_user=UnblockUser(uow=a.uow),
        mute_user=MuteUser(uow=a.uow, clock=a.clock),
        unmute_user=UnmuteUser(uow=a.uow),
    )
