"""Dependencies shared by the routes: the graph, its insight model and the settings the app was built with.

They are ``async`` so that FastAPI does not hop to its thread pool just to read ``app.state``. The routes
answered from the in-memory index or insight model are ``async`` too (the thread-pool hop would be most of
their cost); their dependencies make sure the index or model is current first, rebuilding it in the thread
pool when a write has made it stale, so a rebuild (seconds at thousands of roles) never holds up the loop.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from graph.insight import Insight
from graph.questions import RoleGraph
from graph.settings import Settings


async def get_graph(request: Request) -> RoleGraph:
    graph: RoleGraph = request.app.state.graph
    return graph


async def get_indexed_graph(request: Request) -> RoleGraph:
    """The graph, with its role index current for the store's version."""
    graph: RoleGraph = request.app.state.graph
    if not graph.index_is_current():
        await run_in_threadpool(graph.index)
    return graph


async def get_insight(request: Request) -> Insight:
    """The graph's insight model, current for the store's version."""
    insight = Insight.of(request.app.state.graph)
    if not insight.model_is_current():
        await run_in_threadpool(insight.model)
    return insight


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


GraphDep = Annotated[RoleGraph, Depends(get_graph)]
IndexedGraphDep = Annotated[RoleGraph, Depends(get_indexed_graph)]
InsightDep = Annotated[Insight, Depends(get_insight)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
