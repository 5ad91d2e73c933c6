"""Every list route takes the one ``page`` dependency, resolved after the route's own viewer:
no dependency level holds two (Litestar resolves those side by side in a task group, about
65 µs a request), and no route authenticates twice (``viewer`` and ``optional_viewer``)."""

from __future__ import annotations

from pathlib import Path

from litestar.routes import HTTPRoute

from social.app import create_app
from tests.api.conftest import api_settings

LIST_ROUTES = 17  # and /tags/trending, which is one page: a limit and no cursor
LIST_ROUTES += 1  # GET /notifications/grouped (NOTIF-4)
LIST_ROUTES += 1  # GET /suggestions/posts (DISC-2)
LIST_ROUTES += 1  # GET /suggestions/accounts (DISC-1)
LIST_ROUTES += 4  # GET /events, /events/{id}/photos, /me/events/recent, /me/collection (EVT-1)
LIST_ROUTES += 1  # GET /events/{id}/my-photos (EVT-2)


def test_every_list_route_resolves_page_after_its_viewer(tmp_path: Path) -> None:
    # nothing connects while the app is built: the URL only has to be well formed
    app = create_app(api_settings("postgresql+asyncpg://unused@127.0.0.1:1/unused", tmp_path))
    checked = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler, model in route.route_handler_map.values():
            batches = [
                [dependency.key for dependency in batch] for batch in model.dependency_batches
            ]
            if ["page"] not in batches:
                continue
            where = f"{route.path} {handler.handler_name}: {batches}"
            assert all(len(batch) == 1 for batch in batches), where
            order = [key for (key,) in batches]
            (viewer,) = {"viewer", "optional_viewer"} & set(order)
            assert order.index(viewer) < order.index("page_after") < order.index("page"), where
            checked.append(route.path)
    assert len(checked) == LIST_ROUTES, checked
