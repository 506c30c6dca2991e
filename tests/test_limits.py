"""Every limit is a setting with a safe default; hitting one is a clear 4xx, and others are still served."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from graph.settings import Settings
from tests.conftest import TOKEN as WRITE_TOKEN
from tests.server import LiveServer, build_store

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TOKEN = "limits-token"


def test_defaults_are_safe() -> None:
    settings = Settings()
    assert settings.query_timeout == 10
    assert settings.max_rows == 10_000
    assert settings.max_query_length == 100_000
    assert settings.max_document_bytes == 1_000_000
    assert settings.max_update_bytes == 10_000_000
    assert settings.sparql_workers == 2
    assert settings.api_token is None  # writes are off until a token is configured
    assert settings.allow_service is False


def test_query_length_limit(client: TestClient) -> None:
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_000
    response = client.post("/sparql", content=long_query, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_update_body_limit(writable_client: TestClient) -> None:
    body = b"INSERT DATA { <urn:a> <urn:b> " + b'"' + b"x" * 10_000_001 + b'" }'
    response = writable_client.post(
        "/sparql/update",
        content=body,
        headers={"Authorization": f"Bearer {WRITE_TOKEN}", "Content-Type": "application/sparql-update"},
    )
    assert response.status_code == 413


@pytest.fixture(scope="module")
def one_slot_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("limits")
    build_store(data_dir)
    env = {
        "ROLEGRAPH_SPARQL_WORKERS": "1",
        "ROLEGRAPH_QUERY_TIMEOUT": "3",
        "ROLEGRAPH_QUEUE_TIMEOUT": "0.3",
        "ROLEGRAPH_API_TOKEN": TOKEN,
    }
    server = LiveServer(data_dir, env=env).start()
    yield server
    server.stop()


@pytest.mark.server
def test_busy_slots_and_time_limit_while_others_are_served(one_slot_server: LiveServer) -> None:
    url = one_slot_server.url
    outcome: dict[str, httpx.Response] = {}
    runaway = threading.Thread(
        target=lambda: outcome.setdefault("runaway", httpx.get(url + "/sparql", params={"query": RUNAWAY}, timeout=30))
    )
    runaway.start()
    time.sleep(0.5)  # the only query slot is now taken
    busy = httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=10)
    assert busy.status_code == 429 and busy.headers["retry-after"] == "1"
    assert "busy" in busy.json()["detail"]
    started = time.perf_counter()
    shared = httpx.get(url + "/api/shared", params={"kind": "tool"}, timeout=10)
    assert shared.status_code == 200 and len(shared.json()["items"]) == 5
    assert time.perf_counter() - started < 1.0  # the REST API does not wait for the SPARQL slot
    runaway.join(timeout=30)
    assert outcome["runaway"].status_code == 422 and "limit of 3 s" in outcome["runaway"].json()["detail"]
    after = httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    assert after.status_code == 200 and after.json()["boolean"] is True
