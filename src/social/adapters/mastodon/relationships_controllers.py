"""Following, blocking and muting by account id, relationships, and follow requests
(``/api/v1/accounts/:id/{follow,…}``, ``/api/v1/accounts/relationships``,
``/api/v1/follow_requests``): every change answers with the ``Relationship`` after it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.enums import MediaType
from litestar.params import FromPath

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.entities import array, entities_for, relationship_json
from social.adapters.mastodon.pages import list_response, page_request
from social.adapters.mastodon.params import read_params
from social.adapters.mastodon.path_ids import known_ids, path_id
from social.domain.graph.block_user import BlockUser, UnblockUser
from social.domain.graph.follow_requests import DecideFollowRequest
from social.domain.graph.follow_user import FollowUser
from social.domain.graph.mute_user import MuteUser, UnmuteUser
from social.domain.graph.unfollow_user import UnfollowUser
from social.domain.profiles.list_follow_requests import ListFollowRequests
from social.domain.profiles.relationships import ListRelationships
from social.domain.shared.identity import Viewer

__all__ = ["FollowRequestController", "RelationshipController"]

Relationships = Injected[ListRelationships]


def _json(body: bytes) -> Response[Any]:
    return Response(body, media_type=MediaType.JSON)


async def _relationship(relationships: ListRelationships, viewer: Viewer, target: UUID) -> bytes:
    """The viewer's relationship to ``target`` now; all false once it is hidden from them."""
    found = await relationships.execute(viewer, [target])
    return relationship_json(target, found[0][1] if found else None)


class RelationshipController(Controller):
    path = "/api/v1/accounts"

    @get(
        "/relationships",
        operation_id="mastodonRelationships",
        summary="How you stand towards accounts, in the order asked (read:follows)",
        description="`id[]=` repeated, or one `id=`. Unknown or hidden accounts are left out.",
    )
    async def relationships(
        self, request: Request[Any, Any, Any], caller: Caller, list_relationships: Relationships
    ) -> Response[Any]:
        viewer = caller.require("read:follows")
        params = await read_params(request, body=False)
        found = await list_relationships.execute(
            viewer, known_ids(params.texts("id", max_items=100))
        )
        return _json(array(relationship_json(target, rel) for target, rel in found))

    @post(
        "/{account:str}/follow",
        operation_id="mastodonFollow",
        status_code=200,
        summary="Follow, or request to follow a locked account (write:follows)",
        description="`reblogs` and `notify` are accepted; shares always show, nobody is "
        "notified of posts. A locked (private) account answers `requested: true`.",
    )
    async def follow(
        self,
        account: FromPath[str],
        caller: Caller,
        follow_user: Injected[FollowUser],
        list_relationships: Relationships,
    ) -> Response[Any]:
        viewer, target = caller.require("write:follows"), path_id(account)
        await follow_user.execute(viewer, target)
        return _json(await _relationship(list_relationships, viewer, target))

    @post(
        "/{account:str}/unfollow",
        operation_id="mastodonUnfollow",
        status_code=200,
        summary="Unfollow, or withdraw a follow request (write:follows)",
    )
    async def unfollow(
        self,
        account: FromPath[str],
        caller: Caller,
        unfollow_user: Injected[UnfollowUser],
        list_relationships: Relationships,
    ) -> Response[Any]:
        viewer, target = caller.require("write:follows"), path_id(account)
        await unfollow_user.execute(viewer, target)
        return _json(await _relationship(list_relationships, viewer, target))

    @post(
        "/{account:str}/block",
        operation_id="mastodonBlock",
        status_code=200,
        summary="Block: follows both ways end, both vanish from each other (write:blocks)",
    )
    async def block(
        self,
        account: FromPath[str],
        caller: Caller,
        block_user: Injected[BlockUser],
        list_relationships: Relationships,
    ) -> Response[Any]:
        viewer, target = caller.require("write:blocks"), path_id(account)
        await block_user.execute(viewer, target)
        return _json(await _relationship(list_relationships, viewer, target))

    @post(
        "/{account:str}/unblock",
        operation_id="mastodonUnblock",
        status_code=200,
        summary="Lift a block (write:blocks)",
    )
    async def unblock(
        self,
        account: FromPath[str],
        caller: Caller,
        unblock_user: Injected[UnblockUser],
        list_relationships: Relationships,
    ) -> Response[Any]:
        viewer, target = caller.require("write:blocks"), path_id(account)
        await unblock_user.execute(viewer, target)
        return _json(await _relationship(list_relationships, viewer, target))

    @post(
        "/{account:str}/mute",
        operation_id="mastodonMute",
        status_code=200,
        summary="Mute: hidden from your feeds only (write:mutes)",
        description="`notifications` and `duration` are accepted; a mute lasts until undone.",
    )
    async def mute(
        self,
        account: FromPath[str],
        caller: Caller,
        mute_user: Injected[MuteUser],
        list_relationships: Relationships,
    ) -> Response[Any]:
        viewer, target = caller.require("write:mutes"), path_id(account)
        await mute_user.execute(viewer, target)
        return _json(await _relationship(list_relationships, viewer, target))

    @post(
        "/{account:str}/unmute",
        operation_id="mastodonUnmute",
        status_code=200,
        summary="Unmute (write:mutes)",
    )
    async def unmute(
        self,
        account: FromPath[str],
        caller: Caller,
        unmute_user: Injected[UnmuteUser],
        list_relationships: Relationships,
    ) -> Response[Any]:
        viewer, target = caller.require("write:mutes"), path_id(account)
        await unmute_user.execute(viewer, target)
        return _json(await _relationship(list_relationships, viewer, target))


class FollowRequestController(Controller):
    path = "/api/v1/follow_requests"

    @get(
        "/",
        operation_id="mastodonFollowRequests",
        summary="Who asks to follow you, newest first: their Accounts (read:follows)",
    )
    async def follow_requests(
        self,
        request: Request[Any, Any, Any],
        caller: Caller,
        list_follow_requests: Injected[ListFollowRequests],
    ) -> Response[Any]:
        viewer = caller.require("read:follows")
        params = await read_params(request, body=False)
        found = await list_follow_requests.execute(viewer, page_request(params, 40, 80))
        entities = entities_for(request)
        body = array(entities.account(pending.requester) for pending in found.items)
        return list_response(request, body, found.next_cursor)

    @post(
        "/{account:str}/authorize",
        operation_id="mastodonAuthorizeFollowRequest",
        status_code=200,
        summary="Accept an account's follow request (write:follows)",
    )
    async def authorize(
        self,
        account: FromPath[str],
        caller: Caller,
        decide_follow_request: Injected[DecideFollowRequest],
        list_relationships: Relationships,
    ) -> Response[Any]:
        return await self._decide(
            account, caller, decide_follow_request, list_relationships, approve=True
        )

    @post(
        "/{account:str}/reject",
        operation_id="mastodonRejectFollowRequest",
        status_code=200,
        summary="Reject an account's follow request (write:follows)",
    )
    async def reject(
        self,
        account: FromPath[str],
        caller: Caller,
        decide_follow_request: Injected[DecideFollowRequest],
        list_relationships: Relationships,
    ) -> Response[Any]:
        return await self._decide(
            account, caller, decide_follow_request, list_relationships, approve=False
        )

    async def _decide(
        self,
        account: FromPath[str],
        caller: Caller,
        decide: DecideFollowRequest,
        relationships: ListRelationships,
        *,
        approve: bool,
    ) -> Response[Any]:
        viewer, requester = caller.require("write:follows"), path_id(account)
        await decide.from_requester(viewer, requester, approve=approve)
        return _json(await _relationship(relationships, viewer, requester))
