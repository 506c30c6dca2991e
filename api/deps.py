"""Dependencies shared by the routes: the graph and the settings the app was built with.

They are ``async`` so that FastAPI does not hop to its thread pool just to read ``app.state``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph.questions import RoleGraph
from graph.settings import Settings


async def get_graph(request: Request) -> RoleGraph:
    graph: RoleGraph = request.app.state.graph
    return graph


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


GraphDep = Annotated[RoleGraph, Depends(get_graph)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
