"""``/api/imports/onet``: import the bundled O*NET extract (``data/onet/``), see its status, remove it.

The import always reads the copy bundled with the server, never a path or file sent by the client. Writes
need the bearer token; the import replaces its own named graph in one transaction and touches nothing else.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.auth import WriteAccess
from api.deps import GraphDep, SettingsDep
from graph.onet import import_onet, onet_status, remove_onet

router = APIRouter(prefix="/api/imports", tags=["imports"])


@router.get("/onet", summary="Whether O*NET is imported, with its counts and attribution")
def get_onet(graph: GraphDep, settings: SettingsDep) -> dict[str, Any]:
    return onet_status(graph.store, settings)


@router.post(
    "/onet",
    status_code=201,
    summary="Import (or re-import) the bundled O*NET extract (needs the token)",
    responses={422: {"description": "the import would break the SHACL shapes (nothing is written)"}},
)
async def post_onet(
    graph: GraphDep,
    settings: SettingsDep,
    _: WriteAccess,
    validate: Annotated[
        bool, Query(description="check the SHACL shapes before writing (about a minute for the whole import)")
    ] = True,
) -> JSONResponse:
    """Roles from O*NET occupations, tools from their technologies (merged with the curated tools where the
    resolver finds them), in the named graph ``{base}graph/import/onet``. Re-importing replaces it whole.

    The response counts roles, tool uses, merged and new tools, and lists a sample of the technology names
    that were not matched to a curated tool.
    """

    def run() -> dict[str, Any]:
        replaced = onet_status(graph.store, settings)["imported"]
        return {**import_onet(graph.store, settings, validate=validate).as_json(), "replaced": replaced}

    return JSONResponse(await run_in_threadpool(run), status_code=201)


@router.delete(
    "/onet",
    summary="Remove the O*NET import (needs the token)",
    responses={404: {"description": "O*NET has not been imported"}},
)
def delete_onet(graph: GraphDep, settings: SettingsDep, _: WriteAccess) -> dict[str, Any]:
    remove_onet(graph.store, settings)
    return {"source": "O*NET", "deleted": True}
