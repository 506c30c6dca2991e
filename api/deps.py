"""Dependencies shared by the routes: the graph, its insight model and the settings the app was built with.

They are ``async`` so that FastAPI does not hop to its thread pool just to read ``app.state``. The routes
answered from the in-memory index or insight model are ``async`` too (the thread-pool hop would be most of
their cost); their dependencies make the index or model current first, rebuilding it in the thread pool
when a write has made it stale, and hand the route a view pinned to it: a rebuild (seconds at thousands of
roles) never runs on the event loop, even when another write lands while the request is answered.
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
    """The graph, answering from an index current when the request came in (see ``RoleGraph.pinned``)."""
    graph: RoleGraph = request.app.state.graph
    index = graph.current_index()
    if index is None:
        index = await run_in_threadpool(graph.index)
    return graph.pinned(index)


async def get_insight(request: Request) -> Insight:
    """The graph's insight answers, from a model current when the request came in."""
    insight = Insight.of(request.app.state.graph)
    model = insight.current_model()
    if model is None:
        model = await run_in_threadpool(insight.model)
    return insight.pinned(model)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


GraphDep = Annotated[RoleGraph, Depends(get_graph)]
IndexedGraphDep = Annotated[RoleGraph, Depends(get_indexed_graph)]
InsightDep = Annotated[Insight, Depends(get_insight)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
