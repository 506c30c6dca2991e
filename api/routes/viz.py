"""The interactive view at ``/viz`` and its assets (vis-network and the view's own script and style).

The query string is the whole state of a view (``role`` repeated, ``kind`` repeated, ``shared_only``,
``limit``, ``color``, ``path_from`` and ``path_to``), so the address is a link to share. Every asset comes
from this app: the page works offline.
"""

from __future__ import annotations

import html
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from api.deps import GraphDep
from api.errors import STATUS
from api.negotiate import prefers_html
from graph.errors import NotFound, RolegraphError
from viz.assets import ASSETS
from viz.model import DEFAULT_KINDS, DEFAULT_LIMIT, MAX_LIMIT, MAX_ROLES, ViewRequest, build_view
from viz.render import served_page

router = APIRouter(tags=["viz"])

Kind = Literal["tool", "skill", "use-case", "industry", "responsibility-area"]


def _error_page(exc: RolegraphError, root_path: str) -> HTMLResponse:
    status = next(code for cls, code in STATUS if isinstance(exc, cls))
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>rolegraph: cannot show this view</title>'
        f'<link rel="icon" href="{root_path}/viz/assets/favicon.svg" type="image/svg+xml">'
        f'<link rel="stylesheet" href="{root_path}/viz/assets/view.css"></head><body><main class="panel">'
        f"<h1>Cannot show this view</h1><p>{html.escape(str(exc))}</p>"
        f'<p><a href="{root_path}/viz">Show the default view</a></p></main></body></html>'
    )
    return HTMLResponse(body, status_code=status)


@router.get("/viz", summary="Interactive view of what roles share", response_class=HTMLResponse)
def viz_page(
    request: Request,
    graph: GraphDep,
    role: Annotated[
        list[str] | None, Query(max_length=MAX_ROLES, description="role ids (repeat, two or more); none: default")
    ] = None,
    kind: Annotated[
        list[Kind] | None, Query(description=f"kinds shown (repeat); default {', '.join(DEFAULT_KINDS)}")
    ] = None,
    shared_only: Annotated[bool, Query(description="hide items linked to only one of the roles")] = False,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="items drawn at most, most shared first")
    ] = DEFAULT_LIMIT,
    color: Annotated[
        Literal["kind", "community"], Query(description="colour the roles by kind (one colour) or by community")
    ] = "kind",
    path_from: Annotated[
        str | None, Query(max_length=200, description="draw the learning path from this shown role (with path_to)")
    ] = None,
    path_to: Annotated[
        str | None, Query(max_length=200, description="... to this shown role: its steps numbered, the rest dimmed")
    ] = None,
) -> HTMLResponse:
    """An HTML page (vis-network) of the roles and the tools, skills, use cases and industries they link to.

    ``color=community`` colours each role by its community (``/api/communities``); ``path_from`` and
    ``path_to`` (two of the roles shown) number the steps of ``/api/path`` in the drawing and list them."""
    wanted = ViewRequest(tuple(role or ()), tuple(kind or DEFAULT_KINDS), shared_only, limit, color, path_from, path_to)
    root_path: str = request.scope.get("root_path", "")
    try:
        view = build_view(graph, wanted)
    except RolegraphError as exc:
        # A browser gets a page saying what is wrong; API clients get the usual JSON error.
        if prefers_html(request.headers.get("accept")):
            return _error_page(exc, root_path)
        raise
    return HTMLResponse(served_page(view, root_path))


@router.get("/viz/assets/{name}", include_in_schema=False, response_class=FileResponse)
def viz_asset(name: Annotated[str, Path(max_length=60)]) -> FileResponse:
    """vis-network (from the installed pyvis package) and the view's script and style."""
    asset = ASSETS.get(name)
    if asset is None:
        raise NotFound(f"no viz asset {name!r}")
    return FileResponse(asset.path, media_type=asset.media_type, headers={"Cache-Control": asset.cache_control})
