"""Shared fixtures: settings on a temporary data folder and the seed graph built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.build import build
from graph.formats import RDF_FORMATS
from graph.questions import RoleGraph
from graph.settings import Settings
from graph.store import GraphStore

TESTS = Path(__file__).parent
SEED_ROLES = ("ai-engineer", "deep-learning-engineer", "data-engineer")


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("seed-data"))


@pytest.fixture(scope="session")
def seed_store(seed_settings: Settings) -> GraphStore:
    """The three seed roles, built into an in-memory store (read-only use in tests)."""
    store = GraphStore.in_memory()
    build(seed_settings, store)
    return store


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
def fresh_store(seed_nquads: bytes) -> GraphStore:
    """A writable in-memory copy of the seed graph, new for each test."""
    store = GraphStore.in_memory()
    store.load_nquads(seed_nquads)
    return store


TOKEN = "test-token-0123456789"


@pytest.fixture
def writable_client(fresh_store: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    """The app over a fresh copy of the seed graph, with writes enabled by a bearer token."""
    settings = Settings(data_dir=tmp_path, api_token=TOKEN, sparql_workers=1)
    with TestClient(create_app(settings, store=fresh_store)) as test_client:
        yield test_client
