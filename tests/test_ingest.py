"""Ingesting role documents over HTTP: whole or not at all, idempotent, token-protected."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import StoreError
from graph.formats import RDF_FORMATS
from graph.ingest import ingest_document
from graph.settings import Settings
from graph.store import GraphStore
from tests.conftest import TOKEN

pytestmark = pytest.mark.store

DOCS = Path(__file__).parent / "documents"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MLOPS = (DOCS / "ml-ops-engineer.txt").read_bytes()


def export(client: TestClient) -> bytes:
    return sorted_lines(client.get("/api/export", params={"format": "nq"}).content)


def sorted_lines(data: bytes) -> bytes:
    return b"\n".join(sorted(data.splitlines()))


def post(client: TestClient, body: bytes, content_type: str = "text/plain", **kwargs: object) -> object:
    return client.post("/api/documents", content=body, headers={**AUTH, "Content-Type": content_type}, **kwargs)  # type: ignore[arg-type]


def test_ingest_appears_in_roles_shared_and_documents(writable_client: TestClient) -> None:
    assert writable_client.get("/api/search", params={"q": "MLOps Engineer"}).json() == []  # (searched before)
    response = writable_client.post(
        "/api/documents", content=MLOPS, headers={**AUTH, "Content-Type": "text/plain"}, params={"name": "mlops.txt"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"] == "mlops-engineer"
    assert body["role"] == {"id": "mlops-engineer", "label": "MLOps Engineer"}
    assert body["added"]["tool"] >= 10 and body["added"]["responsibility"] == 2
    assert any("Career Path" in s for s in body["skipped"])
    assert "mlops-engineer" in {r["id"] for r in writable_client.get("/api/roles").json()}
    assert writable_client.get("/api/search", params={"q": "MLOps Engineer"}).json()[0]["id"] == "mlops-engineer"
    shared = writable_client.get("/api/shared", params={"kind": "tool", "role": ["mlops-engineer", "ai-engineer"]})
    assert {"docker", "kubernetes", "python"} <= {i["id"] for i in shared.json()["items"]}
    documents = {d["id"]: d for d in writable_client.get("/api/documents").json()}
    assert documents["mlops-engineer"]["file_name"] == "mlops.txt"
    assert len(documents["mlops-engineer"]["content_hash"]) == 64
    assert documents["mlops-engineer"]["ingested_at"]
    # SPARQL sees it too (the workers refresh their copy when the store changes).
    ask = writable_client.get(
        "/sparql", params={"query": "ASK { <https://rolegraph.example/role/mlops-engineer> a rg:Role }"}
    )
    assert ask.json()["boolean"] is True


def test_markdown_and_multipart(writable_client: TestClient) -> None:
    markdown = (DOCS / "analytics-engineer.md").read_bytes()
    response = writable_client.post(
        "/api/documents", content=markdown, headers={**AUTH, "Content-Type": "text/markdown"}
    )
    assert response.status_code == 201 and response.json()["id"] == "analytics-engineer"
    multipart = writable_client.post("/api/documents", files={"file": ("mlops.txt", MLOPS, "text/plain")}, headers=AUTH)
    assert multipart.status_code == 201 and multipart.json()["role"]["id"] == "mlops-engineer"


def test_reingest_is_idempotent(writable_client: TestClient) -> None:
    first = writable_client.post("/api/documents", content=MLOPS, headers={**AUTH, "Content-Type": "text/plain"})
    after_first = export(writable_client)
    second = writable_client.post("/api/documents", content=MLOPS, headers={**AUTH, "Content-Type": "text/plain"})
    assert first.json()["replaced"] is False and second.json()["replaced"] is True
    # The same graph, but for the ingestion time.
    strip = lambda data: b"\n".join(x for x in data.splitlines() if b"generatedAtTime" not in x)  # noqa: E731
    assert strip(export(writable_client)) == strip(after_first)


def test_delete(writable_client: TestClient) -> None:
    before = export(writable_client)
    writable_client.post("/api/documents", content=MLOPS, headers={**AUTH, "Content-Type": "text/plain"})
    response = writable_client.delete("/api/documents/mlops-engineer", headers=AUTH)
    assert response.status_code == 200
    assert export(writable_client) == before
    assert writable_client.delete("/api/documents/mlops-engineer", headers=AUTH).status_code == 404


@pytest.mark.parametrize(
    ("body", "content_type", "status", "reason"),
    [
        (b"", "text/plain", 400, "empty"),
        (b"   \n  ", "text/plain", 400, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/plain", 400, "binary"),
        ("Rôles et responsabilités".encode("latin-1"), "text/plain", 400, "UTF-8"),
        (b"x" * 1_000_001, "text/plain", 413, "limit"),
        (
            b"This sentence rambles on for quite a while and certainly does not name any job role at all.",
            "text/plain",
            422,
            "role",
        ),
        (
            b"Roles and Responsibilities of a Gardener\nWatering plants and mowing the lawns.\n",
            "text/plain",
            422,
            "skill",
        ),
        (MLOPS, "application/pdf", 400, "multipart"),
    ],
)
def test_bad_documents_change_nothing(
    writable_client: TestClient, body: bytes, content_type: str, status: int, reason: str
) -> None:
    before = export(writable_client)
    response = writable_client.post("/api/documents", content=body, headers={**AUTH, "Content-Type": content_type})
    assert response.status_code == status, response.text
    assert reason in response.json()["detail"]
    assert export(writable_client) == before


def test_writes_need_the_token(writable_client: TestClient) -> None:
    before = export(writable_client)
    no_token = writable_client.post("/api/documents", content=MLOPS, headers={"Content-Type": "text/plain"})
    assert no_token.status_code == 401 and no_token.headers["www-authenticate"].startswith("Bearer")
    wrong = writable_client.post(
        "/api/documents", content=MLOPS, headers={"Content-Type": "text/plain", "Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401
    assert writable_client.delete("/api/documents/ai-engineer").status_code == 401
    assert export(writable_client) == before


def test_without_a_configured_token_writes_are_off(fresh_store: GraphStore, tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path, sparql_workers=1), store=fresh_store)) as client:
        response = client.post("/api/documents", content=MLOPS, headers={**AUTH, "Content-Type": "text/plain"})
        assert response.status_code == 403 and "ROLEGRAPH_API_TOKEN" in response.json()["detail"]
        assert client.get("/api/documents").status_code == 200  # reads stay open


def test_fault_in_the_middle_of_a_write_leaves_the_store_as_before(
    fresh_store: GraphStore, monkeypatch: pytest.MonkeyPatch, seed_settings: Settings
) -> None:
    before = sorted_lines(fresh_store.export(RDF_FORMATS["nq"]))

    class Boom(Exception):
        pass

    # The quads are consumed inside the store's transaction; fail half-way through them.
    real = GraphStore.replace_graph

    def failing(self: GraphStore, graph: object, quads: list) -> None:  # type: ignore[type-arg]
        def explode() -> object:
            yield from quads[: len(quads) // 2]
            raise Boom("injected fault")

        real(self, graph, explode())  # type: ignore[arg-type]

    monkeypatch.setattr(GraphStore, "replace_graph", failing)
    with pytest.raises((Boom, StoreError)):
        ingest_document(fresh_store, seed_settings, MLOPS, "mlops.txt")
    assert sorted_lines(fresh_store.export(RDF_FORMATS["nq"])) == before
