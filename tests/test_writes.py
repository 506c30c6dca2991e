"""SPARQL 1.1 Update at /sparql/update and the Graph Store Protocol at /store, behind the bearer token."""

from __future__ import annotations

import pytest
import rdflib
from fastapi.testclient import TestClient

from tests.conftest import TOKEN

pytestmark = pytest.mark.store

AUTH = {"Authorization": f"Bearer {TOKEN}"}
G = "https://rolegraph.example/graph/notes"
COUNT_IN_G = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"


def count(client: TestClient, query: str = COUNT_IN_G) -> int:
    return int(client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]["n"]["value"])


def update(client: TestClient, text: str, **params: object) -> int:
    headers = {**AUTH, "Content-Type": "application/sparql-update"}
    return client.post("/sparql/update", content=text, headers=headers, params=params).status_code  # type: ignore[arg-type]


def test_update_body_and_form(writable_client: TestClient) -> None:
    assert update(writable_client, f'INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> "one" }} }}') == 204
    form = writable_client.post(
        "/sparql/update", data={"update": f'INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> "two" }} }}'}, headers=AUTH
    )
    assert form.status_code == 204
    assert count(writable_client) == 2


def test_update_is_one_transaction(writable_client: TestClient) -> None:
    # The second operation fails at run time (the graph exists): the first must not land either.
    status = update(writable_client, f'INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> "x" }} }} ; CREATE GRAPH <{G}>')
    assert status in (400, 503)
    assert count(writable_client) == 0


def test_using_graph_uri(writable_client: TestClient) -> None:
    source = "https://rolegraph.example/graph/document/ai-engineer"
    text = f"INSERT {{ GRAPH <{G}> {{ ?r <urn:copied> true }} }} WHERE {{ ?r a rg:Role }}"
    assert update(writable_client, text, **{"using-graph-uri": source}) == 204
    assert count(writable_client) == 1  # only the AI Engineer: the WHERE saw just that graph
    refused = update(writable_client, "DELETE WHERE { ?s ?p ?o }", **{"using-graph-uri": source})
    assert refused == 400


def test_update_needs_the_token_and_refuses_load(writable_client: TestClient) -> None:
    text = f'INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> "x" }} }}'
    no_token = writable_client.post(
        "/sparql/update", content=text, headers={"Content-Type": "application/sparql-update"}
    )
    assert no_token.status_code == 401
    assert update(writable_client, "LOAD <http://127.0.0.1:1/data.ttl>") == 400
    assert update(writable_client, "INSERT DATA { <urn:a> <urn:b> }") == 400
    assert count(writable_client) == 0


TURTLE = b'@prefix ex: <http://example.org/> .\nex:a ex:b "c" , "d" .\n'


def test_graph_store_protocol(writable_client: TestClient) -> None:
    put = writable_client.put(
        "/store", params={"graph": G}, content=TURTLE, headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert put.status_code == 201
    got = writable_client.get("/store", params={"graph": G}, headers={"Accept": "text/turtle"})
    assert got.status_code == 200 and len(rdflib.Graph().parse(data=got.content, format="turtle")) == 2
    head = writable_client.head("/store", params={"graph": G}, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    again = writable_client.put(
        "/store",
        params={"graph": G},
        content=b'<http://example.org/a> <http://example.org/b> "e" .\n',
        headers={**AUTH, "Content-Type": "text/turtle"},
    )
    assert again.status_code == 204 and count(writable_client) == 1
    post = writable_client.post(
        "/store",
        params={"graph": G},
        content=b'<urn:x> <urn:y> "z" .\n',
        headers={**AUTH, "Content-Type": "application/n-triples"},
    )
    assert post.status_code == 204 and count(writable_client) == 2
    assert writable_client.delete("/store", params={"graph": G}, headers=AUTH).status_code == 204
    assert writable_client.get("/store", params={"graph": G}).status_code == 404
    assert writable_client.delete("/store", params={"graph": G}, headers=AUTH).status_code == 404


def test_graph_store_errors_change_nothing(writable_client: TestClient) -> None:
    before = writable_client.get("/api/export", params={"format": "nq"}).content
    bad = writable_client.put(
        "/store", params={"graph": G}, content=b"not turtle {", headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert bad.status_code == 422 and "does not parse" in bad.json()["detail"]
    assert (
        writable_client.put(
            "/store", params={"graph": G}, content=TURTLE, headers={"Content-Type": "text/turtle"}
        ).status_code
        == 401
    )
    assert (
        writable_client.put(
            "/store", params={"graph": "not an iri"}, content=TURTLE, headers={**AUTH, "Content-Type": "text/turtle"}
        ).status_code
        == 422
    )
    assert writable_client.get("/store", params={"graph": G, "default": ""}).status_code == 422
    after = writable_client.get("/api/export", params={"format": "nq"}).content
    assert sorted(before.splitlines()) == sorted(after.splitlines())


def test_whole_dataset_and_document_graph(writable_client: TestClient) -> None:
    dataset = writable_client.get("/store", headers={"Accept": "application/n-quads"})
    assert dataset.status_code == 200 and dataset.headers["content-type"].startswith("application/n-quads")
    ds = rdflib.Dataset().parse(data=dataset.content, format="nquads")
    assert sum(1 for _ in ds.quads()) > 10_000
    doc = writable_client.get("/store", params={"graph": "https://rolegraph.example/graph/document/data-engineer"})
    assert doc.status_code == 200 and b"data-engineer" in doc.content
