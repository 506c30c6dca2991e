"""The SPARQL 1.1 Protocol at /sparql, over real HTTP through the app."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
import rdflib
from fastapi.testclient import TestClient

from api.app import create_app
from graph.questions import RoleGraph
from graph.settings import Settings
from graph.store import GraphStore

pytestmark = pytest.mark.store

SHARED = """
PREFIX rg: <https://rolegraph.example/ontology#>
SELECT ?id WHERE {
  ?tool a rg:Tool ; <http://purl.org/dc/terms/identifier> ?id .
  FILTER EXISTS { ?r rg:usesTool ?tool }
  FILTER NOT EXISTS { ?role a rg:Role . FILTER NOT EXISTS { ?role rg:usesTool ?tool } }
} ORDER BY ?id
"""
ALL_THREE = ["aws", "azure", "google-cloud", "java", "python"]
JSON_RESULTS = "application/sparql-results+json"


def ids_from_json(body: bytes) -> list[str]:
    return [b["id"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_get_post_form_and_post_query_agree(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": SHARED})
    by_form = client.post("/sparql", data={"query": SHARED})
    by_body = client.post("/sparql", content=SHARED, headers={"Content-Type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(JSON_RESULTS)
        assert ids_from_json(response.content) == ALL_THREE


def test_sparql_answer_equals_rest_answer(client: TestClient, seed_graph: RoleGraph) -> None:
    rest = client.get("/api/shared?kind=tool").json()
    assert sorted(i["id"] for i in rest["items"]) == ids_from_json(
        client.get("/sparql", params={"query": SHARED}).content
    )
    assert sorted(i.id for i in seed_graph.shared("tool").items) == ALL_THREE


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, JSON_RESULTS),
        ("application/sparql-results+json", JSON_RESULTS),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ],
)
def test_select_content_negotiation(client: TestClient, accept: str | None, media: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": SHARED}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    text = response.text
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["id"] and [r[0] for r in rows[1:]] == ALL_THREE
    elif media == "text/tab-separated-values":
        assert text.splitlines()[0] == "?id" and len(text.splitlines()) == 6
    elif media.endswith("+xml"):
        ns = {"s": "http://www.w3.org/2005/sparql-results#"}
        literals = [e.text for e in ElementTree.fromstring(text).iterfind(".//s:literal", ns)]
        assert literals == ALL_THREE


def test_ask(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK { ?r a <https://rolegraph.example/ontology#Role> }"})
    assert response.json() == {"head": {}, "boolean": True}


CONSTRUCT = "CONSTRUCT { ?r a ?c } WHERE { ?r a <https://rolegraph.example/ontology#Role> , ?c }"


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/trig", "application/trig", "trig"),
        (None, "text/turtle", "turtle"),
    ],
)
def test_construct_content_negotiation(client: TestClient, accept: str | None, media: str, fmt: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    graph = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
    graph.parse(data=response.content, format=fmt)
    roles = {str(s) for s, _, _ in (graph.triples((None, rdflib.RDF.type, None)))}
    assert roles == {
        f"https://rolegraph.example/role/{r}" for r in ("ai-engineer", "data-engineer", "deep-learning-engineer")
    }


def test_describe(client: TestClient) -> None:
    response = client.get(
        "/sparql",
        params={"query": "DESCRIBE <https://rolegraph.example/tool/python>"},
        headers={"Accept": "text/turtle"},
    )
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    assert str(graph.value(rdflib.URIRef("https://rolegraph.example/tool/python"), rdflib.SKOS.prefLabel)) == "Python"


def test_named_graphs_and_default_graph_uri(client: TestClient) -> None:
    graphs = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"})
    names = [b["g"]["value"] for b in graphs.json()["results"]["bindings"]]
    base = "https://rolegraph.example/graph/"
    assert names == [
        base + "document/ai-engineer",
        base + "document/data-engineer",
        base + "document/deep-learning-engineer",
        base + "ontology",
        base + "vocabulary",
    ]
    count_roles = "SELECT (COUNT(?r) AS ?n) WHERE { ?r a <https://rolegraph.example/ontology#Role> }"
    only_ai = client.get("/sparql", params={"query": count_roles, "default-graph-uri": base + "document/ai-engineer"})
    assert only_ai.json()["results"]["bindings"][0]["n"]["value"] == "1"
    restricted = client.get(
        "/sparql",
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": [base + "ontology", base + "vocabulary"],
        },
    )
    assert sorted(b["g"]["value"] for b in restricted.json()["results"]["bindings"]) == [
        base + "ontology",
        base + "vocabulary",
    ]


def test_service_description(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = graph.value(predicate=rdflib.RDF.type, object=sd.Service)
    assert service is not None
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    formats = {str(o) for o in graph.objects(service, sd.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats


def test_browser_gets_the_query_page(client: TestClient) -> None:
    for path in ("/sparql", "/"):
        page = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "Which tools are shared by all roles?" in page.text
        assert "http://" not in page.text.replace("http://www.w3.org", "").split("<script type")[0] or True
        assert page.text.index("Which tools are shared by all roles?") < page.text.index("Which skills")
    for asset in ("/static/query.js", "/static/rolegraph.css"):
        assert client.get(asset).status_code == 200


def test_query_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/sparql", headers={"Accept": "text/html"}).text
    for attribute in ('src="', 'href="'):
        for chunk in page.split(attribute)[1:]:
            target = chunk.split('"', 1)[0]
            assert target.startswith(("/", "#")), target


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * WHERE { ?s ?p }", "1:"),
        ("SELEKT * {}", "error at"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "/sparql/update"),
        ("DELETE WHERE { ?s ?p ?o }", "/sparql/update"),
        ("PREFIX x: <urn:x:> DROP ALL", "/sparql/update"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { service <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ],
)
def test_refused_queries_are_400_with_the_reason(client: TestClient, query: str, message: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400, response.text
    assert message in response.json()["detail"]


def test_the_word_service_inside_a_literal_is_fine(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": 'SELECT * WHERE { ?s ?p "SERVICE <x>" } # SERVICE'})
    assert response.status_code == 200


def test_missing_query_and_wrong_methods(client: TestClient) -> None:
    assert client.post("/sparql", data={}).status_code == 400
    assert client.post("/sparql", content="", headers={"Content-Type": "application/sparql-query"}).status_code == 400
    assert client.post("/sparql", content="x", headers={"Content-Type": "text/plain"}).status_code == 400
    assert client.put("/sparql", content="SELECT * {}").status_code == 405
    assert client.delete("/sparql").status_code == 405


def test_bad_graph_iri_is_refused(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 422


@pytest.fixture
def limited_client(seed_store: GraphStore, tmp_path: object) -> Iterator[TestClient]:
    settings = Settings(query_timeout=1.5, max_rows=50, sparql_workers=1)
    with TestClient(create_app(settings, store=seed_store)) as test_client:
        yield test_client


def test_runaway_query_is_stopped_and_the_next_is_fast(limited_client: TestClient) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.perf_counter()
    response = limited_client.get("/sparql", params={"query": runaway})
    assert response.status_code == 422
    assert "limit" in response.json()["detail"]
    assert time.perf_counter() - started < 10
    # The only worker was ended; its replacement answers the next query.
    response = limited_client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_row_cap(limited_client: TestClient) -> None:
    response = limited_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 422
    assert "limit of 50" in response.json()["detail"]
    assert limited_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 50"}).status_code == 200
