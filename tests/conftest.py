"""Shared fixtures: settings on a temporary data folder and the seed graph built once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.build import build
from graph.formats import RDF_FORMATS
from graph.questions import RoleGraph
from graph.remote import RemoteStore
from graph.settings import Settings
from graph.store import GraphStore
from tests.server import OxigraphServer

TESTS = Path(__file__).parent
SEED_ROLES = ("ai-engineer", "deep-learning-engineer", "data-engineer")


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("seed-data"))


#: ROLEGRAPH_TEST_STORE=remote runs the store-facing tests (marker ``store``) against real ``oxigraph serve``
#: processes instead of the embedded store.
REMOTE = os.environ.get("ROLEGRAPH_TEST_STORE", "embedded") == "remote"


@pytest.fixture(scope="session")
def oxigraph_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, OxigraphServer]]:
    """Two remote stores: one for the shared seed graph, one that tests may write to."""
    if not REMOTE:
        yield {}
        return
    servers = {name: OxigraphServer(tmp_path_factory.mktemp(f"oxigraph-{name}")).start() for name in ("seed", "fresh")}
    yield servers
    for server in servers.values():
        server.stop()


def make_store(servers: dict[str, OxigraphServer], name: str) -> GraphStore:
    return RemoteStore(servers[name].query_url) if REMOTE else GraphStore.in_memory()


@pytest.fixture(scope="session")
def seed_store(seed_settings: Settings, oxigraph_servers: dict[str, OxigraphServer]) -> Iterator[GraphStore]:
    """The three seed roles, built into a store (read-only use in tests)."""
    store = make_store(oxigraph_servers, "seed")
    build(seed_settings, store)
    yield store
    if isinstance(store, RemoteStore):
        store.close()


@pytest.fixture(scope="session")
def seed_graph(seed_store: GraphStore, seed_settings: Settings) -> RoleGraph:
    return RoleGraph(seed_store, seed_settings.base_iri)


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    yield Settings(data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def client(seed_store: GraphStore, seed_settings: Settings) -> Iterator[TestClient]:
    """Real HTTP through the FastAPI app, over the seed graph."""
    with TestClient(create_app(seed_settings, store=seed_store)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def seed_nquads(seed_store: GraphStore) -> bytes:
    return seed_store.export(RDF_FORMATS["nq"])


@pytest.fixture
def fresh_store(seed_nquads: bytes, oxigraph_servers: dict[str, OxigraphServer]) -> Iterator[GraphStore]:
    """A writable copy of the seed graph, new for each test."""
    store = make_store(oxigraph_servers, "fresh")
    store.clear()
    store.load_nquads(seed_nquads)
    yield store
    if isinstance(store, RemoteStore):
        store.close()


TOKEN = "test-token-0123456789"


@pytest.fixture
def writable_client(fresh_store: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    """The app over a fresh copy of the seed graph, with writes enabled by a bearer token."""
    settings = Settings(data_dir=tmp_path, api_token=TOKEN, sparql_workers=1)
    with TestClient(create_app(settings, store=fresh_store)) as test_client:
        yield test_client
