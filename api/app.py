"""The app factory: ``create_app(settings)`` opens the store once and mounts every router.

>>> from graph.settings import Settings
>>> from graph.store import GraphStore
>>> app = create_app(Settings(), store=GraphStore.in_memory())
>>> app.title
'rolegraph'
"""

from __future__ import annotations

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.routes import rest
from graph.questions import RoleGraph
from graph.settings import Settings
from graph.store import GraphStore

DESCRIPTION = """A knowledge graph of job roles: their responsibilities, skills, tools, use cases and industries.

Ask through the JSON API below, the SPARQL 1.1 endpoint at `/sparql`, or explore the graph at `/viz`."""


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app; ``store`` defaults to the persistent store under ``settings.data_dir``."""
    settings = settings or Settings()
    store = store if store is not None else GraphStore.open(settings.store_path)
    app = FastAPI(title="rolegraph", version="0.1.0", description=DESCRIPTION)
    app.state.settings = settings
    app.state.graph = RoleGraph(store, settings.base_iri)
    install_error_handlers(app)
    app.include_router(rest.router)
    return app
