"""The JSON API over real HTTP: the seed's answers equal the domain's and the CLI's; bad input is 4xx."""

from __future__ import annotations

import json
from itertools import combinations
from urllib.parse import quote

import pytest
import rdflib
from fastapi.testclient import TestClient

from api.cli import main
from graph.questions import RoleGraph
from graph.settings import Settings

pytestmark = pytest.mark.store

AI, DL, DE = "ai-engineer", "deep-learning-engineer", "data-engineer"


def test_roles(client: TestClient) -> None:
    roles = client.get("/api/roles").json()
    assert [r["id"] for r in roles] == [AI, DE, DL]
    assert roles[0]["label"] == "AI Engineer" and roles[0]["tools"] == 21


def test_role_detail(client: TestClient) -> None:
    body = client.get(f"/api/roles/{DE}").json()
    assert body["label"] == "Data Engineer"
    assert len(body["responsibilities"]) == 9
    assert body["responsibilities"][0] == {
        "position": 1,
        "title": "Designing and Building Data Pipelines",
        "role": body["responsibilities"][0]["role"],
        "areas": ["pipeline-engineering"],
    }
    assert {"apache-spark", "apache-kafka"} <= {t["id"] for t in body["tools"]}
    assert {"data-migration"} <= {u["id"] for u in body["use_cases"]}
    for key in ("skills", "industries", "responsibility_areas"):
        assert key in body


@pytest.mark.parametrize("roles", [(AI, DL, DE), (AI, DL), (AI, DE), (DL, DE)])
def test_shared_equals_the_domain_answer(client: TestClient, seed_graph: RoleGraph, roles: tuple[str, ...]) -> None:
    body = client.get("/api/shared", params={"kind": "tool", "role": list(roles)}).json()
    assert body == seed_graph.shared("tool", list(roles)).as_json()
    assert body["roles"] == list(roles) and body["kind"] == "tool"
    assert all(set(item) >= {"id", "label", "kind"} for item in body["items"])


def test_shared_without_roles_is_all_roles(client: TestClient) -> None:
    body = client.get("/api/shared?kind=tool").json()
    assert {i["id"] for i in body["items"]} == {"aws", "azure", "google-cloud", "java", "python"}


@pytest.mark.parametrize("kind", ["tool", "skill", "use-case", "industry", "responsibility-area"])
def test_shared_every_kind(client: TestClient, kind: str) -> None:
    for pair in combinations((AI, DL, DE), 2):
        response = client.get("/api/shared", params={"kind": kind, "role": list(pair)})
        assert response.status_code == 200, response.text


def test_shared_equals_the_cli(client: TestClient, seed_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    # The CLI reads the persistent store: build it first into the session's data folder.
    assert main(["--data-dir", str(seed_settings.data_dir), "build", "--no-validate"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(seed_settings.data_dir), "shared", "--kind", "tool", "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert cli == client.get("/api/shared?kind=tool").json()


def test_compare_data_engineer_to_deep_learning_engineer(client: TestClient) -> None:
    body = client.get("/api/compare", params={"from": DE, "to": DL}).json()
    assert body["from"] == DE and body["to"] == DL
    to_learn = {i["id"] for i in body["to_learn"]["tool"]}
    assert {"tensorflow", "pytorch", "keras", "mxnet"} <= to_learn
    assert {i["id"] for i in body["shared"]["tool"]} == {"aws", "azure", "google-cloud", "java", "python"}
    assert "deep-learning" in {i["id"] for i in body["to_learn"]["skill"]}


def test_items_filters(client: TestClient) -> None:
    languages = client.get("/api/tools", params={"kind": "programming-language", "used": True}).json()
    assert {t["id"] for t in languages} == {"python", "java", "r", "scala", "sql", "cpp"}
    assert {t["id"] for t in client.get("/api/tools", params={"role": DL, "kind": "hardware"}).json()} == {"gpu", "tpu"}
    assert len(client.get("/api/skills").json()) > 50
    assert {i["id"] for i in client.get("/api/industries", params={"role": DL}).json()} == {"healthcare"}
    assert "fraud-detection" in {u["id"] for u in client.get("/api/use-cases", params={"role": DE}).json()}


def test_search_by_label_and_alias(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "spark"}).json()[0]["id"] == "apache-spark"
    assert client.get("/api/search", params={"q": "GCP"}).json()[0]["id"] == "google-cloud"
    assert client.get("/api/search", params={"q": "data engineer"}).json()[0]["id"] == DE


def test_node_and_neighbours(client: TestClient) -> None:
    body = client.get("/api/nodes/python").json()
    assert body["label"] == "Python" and body["type"] == "tool"
    assert {n["id"] for n in body["neighbours"]} == {AI, DL, DE}
    deeper = client.get("/api/nodes/python", params={"depth": 2}).json()
    assert {"tensorflow", "apache-spark"} <= {n["id"] for n in deeper["neighbours"]}


@pytest.mark.parametrize(
    ("fmt", "media_type", "rdflib_format"),
    [
        ("turtle", "text/turtle", "turtle"),
        ("nt", "application/n-triples", "nt"),
        ("xml", "application/rdf+xml", "xml"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("trig", "application/trig", "trig"),
    ],
)
def test_export_formats(client: TestClient, fmt: str, media_type: str, rdflib_format: str) -> None:
    response = client.get("/api/export", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "attachment" in response.headers["content-disposition"]
    parsed = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
    parsed.parse(data=response.content, format=rdflib_format)
    assert len(parsed) > 10_000 or sum(1 for _ in parsed.quads()) > 10_000


HOSTILE = ['x">', '"}', "} UNION { ?s ?p ?o }", "#", "a\nb", "\x00", "x" * 10_000, "ai-engineer> <x", "AI Engineer"]


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_ids_never_500_and_never_widen(client: TestClient, bad: str) -> None:
    for url, params in (
        ("/api/shared", {"kind": "tool", "role": [AI, bad]}),
        ("/api/compare", {"from": bad, "to": AI}),
        ("/api/tools", {"role": bad}),
    ):
        response = client.get(url, params=params)
        assert response.status_code in (404, 422), (url, response.status_code)
    for url in (f"/api/roles/{quote(bad, safe='')}", f"/api/nodes/{quote(bad, safe='')}"):
        assert client.get(url).status_code in (404, 422), url


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_search_text_is_an_honest_answer(client: TestClient, bad: str) -> None:
    response = client.get("/api/search", params={"q": bad})
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        for hit in response.json():
            assert " ".join(bad.split()).casefold() in hit["matched"].casefold()


def test_errors_say_what(client: TestClient) -> None:
    missing = client.get("/api/roles/nurse")
    assert missing.status_code == 404 and "nurse" in missing.json()["detail"]
    bad_kind = client.get("/api/shared", params={"kind": "gadget"})
    assert bad_kind.status_code == 422 and "kind" in json.dumps(bad_kind.json())
    unknown = client.get("/api/shared", params={"role": [AI, "astronaut"]})
    assert unknown.status_code == 404 and "astronaut" in unknown.json()["detail"]


@pytest.mark.parametrize(
    ("path", "klass", "relation"), [("/api/tools", "Tool", "usesTool"), ("/api/skills", "Skill", "requiresSkill")]
)
def test_vocabulary_lists_count_roles_as_the_rdf_does(client: TestClient, path: str, klass: str, relation: str) -> None:
    """Every item of the class, with how many roles link it: the API (answered from the index) and SPARQL
    over the store agree item by item, unlinked items included."""
    sparql = f"""SELECT ?id (COUNT(DISTINCT ?role) AS ?n) WHERE {{
      ?item a rg:{klass} ; dcterms:identifier ?id .
      OPTIONAL {{ ?role rg:{relation} ?item . ?role a rg:Role }}
    }} GROUP BY ?id"""
    rows = client.get("/sparql", params={"query": sparql}, headers={"Accept": "application/sparql-results+json"})
    expected = {b["id"]["value"]: int(b["n"]["value"]) for b in rows.json()["results"]["bindings"]}
    listed = client.get(path).json()
    assert {item["id"]: item["roles"] for item in listed} == expected
    assert 0 in expected.values() and 3 in expected.values()  # unlinked items are listed, shared ones counted
    assert [i["label"].lower() for i in listed] == sorted(i["label"].lower() for i in listed)
