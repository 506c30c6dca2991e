"""Instance IRIs resolve: Turtle, JSON-LD or HTML by Accept."""

from __future__ import annotations

import json

import pytest
import rdflib
from fastapi.testclient import TestClient

pytestmark = pytest.mark.store

RDFS_LABEL = rdflib.RDFS.label
AI = rdflib.URIRef("https://rolegraph.example/role/ai-engineer")


def test_role_as_turtle(client: TestClient) -> None:
    response = client.get("/role/ai-engineer", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    assert str(graph.value(AI, RDFS_LABEL)) == "AI Engineer"
    assert (
        AI,
        rdflib.URIRef("https://rolegraph.example/ontology#usesTool"),
        rdflib.URIRef("https://rolegraph.example/tool/python"),
    ) in graph


def test_tool_as_jsonld(client: TestClient) -> None:
    response = client.get("/tool/python", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    graph = rdflib.Graph().parse(data=response.content, format="json-ld")
    python = rdflib.URIRef("https://rolegraph.example/tool/python")
    assert str(graph.value(python, rdflib.SKOS.prefLabel)) == "Python"
    assert json.loads(response.content)


def test_browser_gets_html_with_local_links(client: TestClient) -> None:
    page = client.get("/role/data-engineer", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Data Engineer" in page.text
    assert 'href="/tool/apache-spark"' in page.text


def test_nested_resources(client: TestClient) -> None:
    assert client.get("/responsibility/ai-engineer/1", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/mention/ai-engineer/1", headers={"Accept": "text/turtle"}).status_code == 200


@pytest.mark.parametrize("path", ["/role/nurse", "/tool/x%3E%20%7D", "/role/", "/tool/Python"])
def test_unknown_resources_are_404_or_422(client: TestClient, path: str) -> None:
    assert client.get(path, headers={"Accept": "text/turtle"}).status_code in (404, 422)
