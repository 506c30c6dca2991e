"""A real ``rolegraph serve`` process, asked by real SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, SPARQLWrapper

from tests.server import LiveServer, build_store

pytestmark = pytest.mark.server

SHARED = """
PREFIX rg: <https://rolegraph.example/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?id WHERE {
  ?tool a rg:Tool ; dcterms:identifier ?id .
  FILTER EXISTS { ?r rg:usesTool ?tool }
  FILTER NOT EXISTS { ?role a rg:Role . FILTER NOT EXISTS { ?role rg:usesTool ?tool } }
} ORDER BY ?id
"""
ALL_THREE = ["aws", "azure", "google-cloud", "java", "python"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("live")
    build_store(data_dir)
    live = LiveServer(data_dir).start()
    yield live
    live.stop()


def test_sparqlwrapper_select_get_and_post(server: LiveServer) -> None:
    for method in ("GET", "POST"):
        client = SPARQLWrapper(server.url + "/sparql")
        client.setMethod(method)
        client.setQuery(SHARED)
        client.setReturnFormat(JSON)
        result = client.queryAndConvert()
        assert [b["id"]["value"] for b in result["results"]["bindings"]] == ALL_THREE  # type: ignore[index]


def test_sparqlwrapper_csv_and_construct(server: LiveServer) -> None:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(SHARED)
    client.setReturnFormat(CSV)
    assert client.queryAndConvert().decode().split() == ["id", *ALL_THREE]  # type: ignore[union-attr]
    client.setQuery("CONSTRUCT WHERE { ?r a <https://rolegraph.example/ontology#Role> }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert len(graph) == 3


def test_rdflib_sparqlstore(server: LiveServer) -> None:
    graph = rdflib.Graph(store=SPARQLStore(server.url + "/sparql", returnFormat="json"))
    rows = list(graph.query(SHARED))
    assert [str(r[0]) for r in rows] == ALL_THREE  # type: ignore[index]
    label = graph.value(rdflib.URIRef("https://rolegraph.example/role/data-engineer"), rdflib.RDFS.label)
    assert str(label) == "Data Engineer"


def test_rest_and_sparql_agree_over_the_wire(server: LiveServer) -> None:
    rest = httpx.get(server.url + "/api/shared", params={"kind": "tool"}).json()
    sparql = httpx.get(server.url + "/sparql", params={"query": SHARED}).json()
    assert sorted(i["id"] for i in rest["items"]) == [b["id"]["value"] for b in sparql["results"]["bindings"]]


def test_bad_query_over_the_wire_is_400(server: LiveServer) -> None:
    response = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE {"})
    assert response.status_code == 400 and "error at" in response.json()["detail"]
