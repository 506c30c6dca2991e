"""The app factory: ``create_app(settings)`` opens the store once and mounts every router.

>>> from graph.settings import Settings
>>> from graph.store import GraphStore
>>> app = create_app(Settings(), store=GraphStore.in_memory())
>>> app.title
'rolegraph'
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from api.errors import install_error_handlers
from api.negotiate import prefers_html
from api.pages import STATIC_DIR, query_page
from api.routes import documents, insight, onet, resources, rest, sparql, viz, writes
from graph.backend import open_store
from graph.questions import RoleGraph
from graph.settings import Settings
from graph.sparql import SparqlService
from graph.store import GraphStore

DESCRIPTION = """A knowledge graph of job roles: their responsibilities, skills, tools, use cases and industries.

Ask through the JSON API below, the SPARQL 1.1 endpoint at `/sparql`, or explore the graph at `/viz`."""


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app; ``store`` defaults to the configured store (embedded under ``settings.data_dir``, or
    the remote endpoint at ``settings.store_url``)."""
    settings = settings or Settings()
    store = store if store is not None else open_store(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The SPARQL workers start (and load the graph) before the first request, and stop with the app.
        app.state.sparql = SparqlService(store, settings)
        try:
            yield
        finally:
            app.state.sparql.close()

    app = FastAPIOffline(title="rolegraph", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.graph = RoleGraph(store, settings.base_iri)
    install_error_handlers(app)
    app.include_router(rest.router)
    app.include_router(insight.router)
    app.include_router(documents.router)
    app.include_router(onet.router)
    app.include_router(sparql.router)
    app.include_router(writes.router)
    app.include_router(viz.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Last: the linked-data routes answer for the instance IRIs' paths.
    app.include_router(resources.router)

    @app.get("/", include_in_schema=False, response_model=None)
    def index(request: Request) -> HTMLResponse | JSONResponse:
        if prefers_html(request.headers.get("accept")):
            return HTMLResponse(query_page(settings.base_iri))
        return JSONResponse(
            {"name": "rolegraph", "sparql": "/sparql", "api": "/api/roles", "docs": "/docs", "viz": "/viz"}
        )

    return app
