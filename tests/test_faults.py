"""Faults: the remote store going away is a 503 with a reason and the service recovers; a full disk on write
is a clear error and the store is as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.build import build
from graph.formats import RDF_FORMATS
from graph.remote import RemoteStore
from graph.settings import Settings
from graph.store import GraphStore
from tests.server import OxigraphServer, build_store

pytestmark = pytest.mark.server


def test_remote_store_down_is_503_then_recovers(tmp_path: Path) -> None:
    location = tmp_path / "oxigraph"
    oxigraph = OxigraphServer(location).start()
    store = RemoteStore(oxigraph.query_url, timeout=5)
    build(Settings(), store)
    settings = Settings(data_dir=tmp_path, sparql_workers=1)
    try:
        with TestClient(create_app(settings, store=store)) as client:
            assert client.get("/api/roles/data-engineer").status_code == 200
            oxigraph.stop()
            down = client.get("/api/search", params={"q": "spark"})
            assert down.status_code == 503
            assert "unreachable" in down.json()["detail"]
            # The same store comes back on the same address with the same data.
            oxigraph = OxigraphServer(location, port=oxigraph.port).start()
            up = client.get("/api/search", params={"q": "spark"})
            assert up.status_code == 200 and up.json()[0]["id"] == "apache-spark"
            assert client.get("/api/roles/data-engineer").status_code == 200
    finally:
        store.close()
        oxigraph.stop()


FULL_DISK = r"""
import os, resource, signal, sys
from graph.errors import StoreError
from graph.ingest import ingest_document
from graph.settings import Settings
from graph.store import GraphStore

# A file-size limit just above the store's largest file: the next write fails as on a full disk.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
settings = Settings(data_dir=sys.argv[1])
store = GraphStore.open(settings.store_path)
largest = max(os.path.getsize(os.path.join(settings.store_path, f)) for f in os.listdir(settings.store_path))
resource.setrlimit(resource.RLIMIT_FSIZE, (largest + 1000, largest + 1000))
lines = ["Roles and Responsibilities of a Platform Engineer", "Builds platforms.", ""]
for i in range(1, 300):
    lines += [f"{i}. Area {i}", "Role: Build.", "Responsibilities:", f"Work {i}: Docker, Kubernetes, AWS and Python."]
lines += ["Skills Required", "Programming Languages: Python."]
try:
    ingest_document(store, settings, "\n".join(lines).encode(), "platform.txt")
except StoreError as exc:
    print("refused:", exc)
    sys.exit(3)
print("written")
"""


def test_full_disk_on_write_is_a_clear_error_and_no_corruption(tmp_path: Path) -> None:
    build_store(tmp_path)
    store = GraphStore.open(tmp_path / "store")
    before = sorted(store.export(RDF_FORMATS["nq"]).splitlines())
    del store
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(tmp_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "the write failed" in result.stdout and "File too large" in result.stdout
    store = GraphStore.open(tmp_path / "store")  # opens after the failed write
    assert sorted(store.export(RDF_FORMATS["nq"]).splitlines()) == before
