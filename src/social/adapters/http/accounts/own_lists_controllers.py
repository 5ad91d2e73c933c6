"""/me/blocks and /me/mutes: the accounts one blocks and mutes (PROF-3), undone with
``DELETE /users/{username}/block`` and ``…/mute``."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency

from social.adapters.http.cards import account_page_response
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import MEMBER_PAGE, Paging
from social.adapters.http.users.schemas import UserPageOut
from social.domain.profiles.list_blocks_and_mutes import ListBlocks, ListMutes
from social.domain.shared.identity import Viewer

__all__ = ["OwnListsController"]

Me = NamedDependency[Viewer]


class OwnListsController(Controller):
    path = "/me"
    tags = ["me"]
    security = BEARER_SECURITY

    @get(
        "/blocks",
        operation_id="listBlocks",
        summary="The accounts you block, most recently blocked first",
        description="Lift a block with `DELETE /users/{username}/block`.",
        responses=problems(401, 422),
        dependencies=MEMBER_PAGE,
    )
    async def blocks(
        self, list_blocks: Injected[ListBlocks], viewer: Me, page: Paging
    ) -> Response[UserPageOut]:
        return account_page_response(await list_blocks.execute(viewer, page.by_time))

    @get(
        "/mutes",
        operation_id="listMutes",
        summary="The accounts you mute, most recently muted first",
        description="Unmute with `DELETE /users/{username}/mute`.",
        responses=problems(401, 422),
        dependencies=MEMBER_PAGE,
    )
    async def mutes(
        self, list_mutes: Injected[ListMutes], viewer: Me, page: Paging
    ) -> Response[UserPageOut]:
        return account_page_response(await list_mutes.execute(viewer, page.by_time))
