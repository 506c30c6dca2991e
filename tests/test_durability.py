"""Durability of the embedded store: a restart keeps everything; SIGKILL mid-ingest loses nothing else."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph.build import build
from graph.formats import RDF_FORMATS
from graph.ingest import ingest_document
from graph.settings import Settings
from graph.store import GraphStore
from tests.server import LiveServer, build_store

pytestmark = pytest.mark.server

TOKEN = "durability-token"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
DOCS = Path(__file__).parent / "documents"


def large_document(sections: int = 150) -> bytes:
    """A role document of a few hundred lines: its ingestion takes long enough to be interrupted."""
    lines = ["Roles and Responsibilities of a Platform Engineer", "A Platform Engineer builds internal platforms.", ""]
    for i in range(1, sections + 1):
        lines += [
            f"{i}. Building Platform Area {i}",
            "Role: Platform engineers build and run shared infrastructure.",
            "Responsibilities:",
            f"Deployment {i}: Deploying services with Docker and Kubernetes on AWS, with Terraform and GitHub Actions.",
            f"Monitoring {i}: Tracking latency with Prometheus and Grafana, and writing Python tooling.",
        ]
    lines += ["Skills Required for Platform Engineers", "Programming Languages: Python and Go.", "Cloud Services: AWS."]
    return "\n".join(lines).encode("utf-8")


def lines_of(store: GraphStore) -> list[bytes]:
    return sorted(line for line in store.export(RDF_FORMATS["nq"]).splitlines() if b"generatedAtTime" not in line)


def dataset(data_dir: Path) -> list[bytes]:
    store = GraphStore.open(data_dir / "store")
    try:
        return lines_of(store)
    finally:
        del store


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    build_store(tmp_path)
    yield tmp_path


def test_restart_keeps_everything(data_dir: Path) -> None:
    server = LiveServer(data_dir, env={"ROLEGRAPH_API_TOKEN": TOKEN}).start()
    try:
        response = httpx.post(
            server.url + "/api/documents", content=(DOCS / "ml-ops-engineer.txt").read_bytes(), headers=AUTH
        )
        assert response.status_code == 201
        before = httpx.get(server.url + "/api/export", params={"format": "nq"}).content
    finally:
        server.stop()
    server = LiveServer(data_dir, env={"ROLEGRAPH_API_TOKEN": TOKEN}).start()
    try:
        assert "mlops-engineer" in {r["id"] for r in httpx.get(server.url + "/api/roles").json()}
        after = httpx.get(server.url + "/api/export", params={"format": "nq"}).content
        assert sorted(after.splitlines()) == sorted(before.splitlines())
    finally:
        server.stop()


@pytest.mark.parametrize("delay", [0.3, 1.0, 2.0, 3.0])
def test_sigkill_during_a_large_ingest_keeps_old_or_whole_new(data_dir: Path, delay: float) -> None:
    document = large_document()
    old_state = dataset(data_dir)
    # The whole new state, computed in memory from the same (deterministic) build.
    reference = GraphStore.in_memory()
    build(Settings(), reference)
    ingest_document(reference, Settings(), document, "platform.txt")
    new_state = lines_of(reference)
    assert new_state != old_state

    server = LiveServer(data_dir, env={"ROLEGRAPH_API_TOKEN": TOKEN}).start()
    outcome: dict[str, object] = {}

    def post() -> None:
        try:
            outcome["status"] = httpx.post(
                server.url + "/api/documents",
                content=document,
                headers=AUTH,
                params={"name": "platform.txt"},
                timeout=120,
            ).status_code
        except httpx.HTTPError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=post)
    thread.start()
    time.sleep(delay)
    assert server.process is not None
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    thread.join(timeout=30)

    after = dataset(data_dir)  # the store opens after the crash
    assert after in (old_state, new_state), "the store holds part of the document"
    if outcome.get("status") == 201:
        assert after == new_state
