"""Property-based tests of the HTTP surface: hostile ids, kinds, search text, depths, limits, formats and
SPARQL text. Never a 500; every 4xx says what is wrong in JSON; answers are never widened by bad input.

Hypothesis runs derandomized and without an example database (nothing is written into the repository).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from api.app import create_app
from graph.formats import RDF_FORMATS
from graph.namespaces import SLUG
from graph.questions import ITEM_KINDS
from graph.settings import Settings
from graph.store import GraphStore
from tests.conftest import TOKEN

# Hypothesis keeps caches next to the working directory; keep them out of the repository.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "rolegraph-hypothesis")

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ROLES = ("ai-engineer", "data-engineer", "deep-learning-engineer")
ITEMS = ("python", "apache-spark", "mathematics", "healthcare", "fraud-detection", "model-deployment")
KINDS = tuple(ITEM_KINDS)
EXPORTS = ("turtle", "nt", "xml", "jsonld", "trig", "nq")

#: Pieces that break out of quoting in SPARQL, JSON, HTML or URLs.
HOSTILE_PIECES = [
    ">",
    "<",
    '"',
    "'",
    "}",
    "{",
    "#",
    "?",
    "&",
    "=",
    "/",
    "\\",
    "%",
    "%00",
    "%2F",
    "..",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "\x1f",
    "\u202e",
    "é",
    "ß",
    "İ",
    "😀",
    "-",
    "--",
    "ai-engineer",
    "python",
    " UNION { ?s ?p ?o }",
    "SELECT * WHERE",
    "<script>",
]
hostile = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(HOSTILE_PIECES), min_size=1, max_size=8).map("".join),
    # Long strings, up to 10 kB once URL-encoded (several still fit in one URL a client will send).
    st.sampled_from(["x", "a-", "é", "\x00", ">", "%"]).flatmap(
        lambda unit: st.integers(1_000, 10_000 // len(quote(unit, safe=""))).map(lambda n: unit * n)
    ),
    st.from_regex(SLUG, fullmatch=True),  # well-formed ids that name nothing
)
role_ids = st.sampled_from(ROLES)
any_id = role_ids | st.sampled_from(ITEMS) | hostile
#: A path segment must stay one segment: "", "." and ".." would name another route (the URL is normalised).
path_id = any_id.filter(lambda value: value not in ("", ".", ".."))


def assert_sound(response: httpx.Response) -> None:
    """Never a server error; a client error always says what is wrong, as JSON with ``detail``."""
    assert response.status_code < 500, (response.request.url, response.status_code, response.text[:300])
    if 400 <= response.status_code < 500:
        assert response.headers["content-type"].startswith("application/json"), response.headers
        body = response.json()
        assert isinstance(body, dict) and body.get("detail"), body


def segment(value: str) -> str:
    """``value`` as one path segment, as the app behind a real server receives it.

    Starlette's TestClient decodes the path twice (httpx decodes it, then the client unquotes it again), where
    uvicorn decodes it once: quoting twice hands the app exactly ``value``, as ``quote(value)`` would over a
    socket.
    """
    return quote(quote(value, safe=""), safe="")


def assert_one_resource(response: httpx.Response, node_id: str, known: tuple[str, ...]) -> None:
    """200 only for a known id; a "/" in the id is a path separator once decoded (404, or the trailing-slash
    redirect to the id without it, never its answer); anything else is 404 or 422."""
    assert_sound(response)
    if node_id in known:
        assert response.status_code == 200
    elif "/" in node_id:
        assert response.status_code in (307, 404, 422)
    else:
        assert response.status_code in (404, 422)


# -- ids in paths ----------------------------------------------------------------------------------------


@FUZZ
@given(path_id, st.integers(-3, 6) | hostile)
@example("ai-engineer", 3)
@example("x" * 10_000, 1)
@example("ai-engineer> <x", "1")
@example("python\x00", "0")
@example("%61i-engineer", 1)  # decoded once by a server: not the id "ai-engineer"
@example("ai-engineer/", 1)
def test_role_and_node_ids(client: TestClient, node_id: str, depth: int | str) -> None:
    role = client.get(f"/api/roles/{segment(node_id)}", follow_redirects=False)
    assert_one_resource(role, node_id, ROLES)
    node = client.get(f"/api/nodes/{segment(node_id)}", params={"depth": depth}, follow_redirects=False)
    assert_sound(node)
    if node.status_code == 200:
        body = node.json()
        assert SLUG.fullmatch(node_id) and body["id"] == node_id
        assert 0 <= body["depth"] <= 3 and (isinstance(depth, str) or body["depth"] == depth)  # "00", "1.0" are read
        assert all(n["distance"] <= body["depth"] for n in body["neighbours"])
    else:
        assert node.status_code in ((307, 404, 422) if "/" in node_id else (404, 422))
    document = client.get(f"/api/documents/{segment(node_id)}", follow_redirects=False)
    assert_one_resource(document, node_id, ROLES)


# -- lists filtered by role and kind -----------------------------------------------------------------------


@FUZZ
@given(
    any_id,
    st.sampled_from(["programming-language", "cloud-platform"]) | hostile,
    st.sampled_from(["tools", "skills", "industries", "use-cases"]),
)
@example("ai-engineer", "programming-language", "tools")
@example("ai-engineer\n", "x", "skills")
def test_items_filtered_by_role_and_kind(client: TestClient, role: str, kind: str, path: str) -> None:
    params = {"role": role, "kind": kind} if path == "tools" else {"role": role}
    response = client.get(f"/api/{path}", params=params)
    assert_sound(response)
    if response.status_code != 200:
        assert response.status_code in (404, 422)
        return
    assert role in ROLES
    # A role's items are items of the graph, and of the tool kind asked for.
    everything = client.get(f"/api/{path}").json()
    assert {i["id"] for i in response.json()} <= {i["id"] for i in everything}
    if path == "tools":
        assert all(i["kind"] == kind for i in response.json())


@FUZZ
@given(st.lists(any_id, max_size=4), st.sampled_from(KINDS) | hostile)
@example([ROLES[0], 'x">'], "tool")
@example([ROLES[0], "} UNION { ?s ?p ?o }"], "tool")
@example([ROLES[0], ROLES[0]], "tool")
@example([ROLES[0], "AI Engineer"], "skill")
def test_shared_is_never_widened(client: TestClient, roles: list[str], kind: str) -> None:
    response = client.get("/api/shared", params={"kind": kind, "role": roles})
    assert_sound(response)
    if response.status_code != 200:
        assert response.status_code in (404, 422)
        return
    assert kind in KINDS and all(r in ROLES for r in roles)
    body = response.json()
    assert body["roles"] == (list(dict.fromkeys(roles)) or list(body["roles"]))
    # Adding a role can only take items away: shared([a, b]) ⊆ shared([a]).
    for role in dict.fromkeys(roles):
        alone = client.get("/api/shared", params={"kind": kind, "role": [role]}).json()
        assert {i["id"] for i in body["items"]} <= {i["id"] for i in alone["items"]}


@FUZZ
@given(st.lists(hostile, min_size=1, max_size=3), role_ids, st.sampled_from(KINDS))
def test_shared_with_a_hostile_role_is_refused(client: TestClient, bad: list[str], good: str, kind: str) -> None:
    roles = [good, *bad]
    response = client.get("/api/shared", params={"kind": kind, "role": roles})
    assert_sound(response)
    if any(b not in ROLES for b in bad):
        assert response.status_code in (404, 422)


@FUZZ
@given(any_id, any_id)
@example("data-engineer", "deep-learning-engineer")
@example("data-engineer", "data-engineer> <x")
def test_compare(client: TestClient, from_role: str, to_role: str) -> None:
    response = client.get("/api/compare", params={"from": from_role, "to": to_role})
    assert_sound(response)
    if from_role in ROLES and to_role in ROLES:
        assert response.status_code == 200
        body = response.json()
        for kind in KINDS:
            shared = {i["id"] for i in body["shared"][kind]}
            assert not shared & {i["id"] for i in body["to_learn"][kind]}
            assert not shared & {i["id"] for i in body["only_from"][kind]}
    else:
        assert response.status_code in (404, 422)


# -- search ------------------------------------------------------------------------------------------------


@FUZZ
@given(
    st.sampled_from(["spark", "Py", "engineer", "data", "ß", "İ", " spark  ", "a\nb"]) | hostile,
    st.integers(-2, 250) | st.sampled_from(["", "x", "1e3", "10.5", "\x00"]),
)
@example("spark", 1)
@example("x" * 201, 20)
@example("\x00", 20)
@example("} UNION { ?s ?p ?o }", 20)
@example("İ", 200)
def test_search_answers_only_what_contains_the_text(client: TestClient, q: str, limit: int | str) -> None:
    response = client.get("/api/search", params={"q": q, "limit": limit})
    assert_sound(response)
    if response.status_code != 200:
        assert response.status_code == 422
        return
    hits = response.json()
    assert len(hits) <= int(limit)
    needle = " ".join(q.split()).casefold()
    for hit in hits:
        assert needle and needle in hit["matched"].casefold(), (q, hit)


# -- export and linked data --------------------------------------------------------------------------------


@settings(FUZZ, max_examples=20)
@given(st.sampled_from(EXPORTS) | hostile)
@example("turtle")
@example("TURTLE")
@example("nq\x00")
def test_export_formats(client: TestClient, fmt: str) -> None:
    response = client.get("/api/export", params={"format": fmt})
    assert_sound(response)
    if fmt in EXPORTS:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(RDF_FORMATS[fmt].media_type)
    else:
        assert response.status_code == 422


accept_headers = st.sampled_from(
    ["", "*/*", "text/html", "text/turtle", "application/ld+json;q=0.9, text/html;q=0.1", "image/png"]
) | st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60)


@FUZZ
@given(
    st.sampled_from(["role", "tool", "skill", "use-case", "industry", "area", "document", "mention", "scheme"]),
    path_id,
    accept_headers,
)
@example("role", "ai-engineer", "text/turtle;q=nan")
@example("tool", "python", "*/*;q=1e999")
@example("role", "../tool/python", "")
def test_linked_data_resources(client: TestClient, node_type: str, rest: str, accept: str) -> None:
    response = client.get(f"/{node_type}/{segment(rest)}", headers={"accept": accept})
    assert response.status_code < 500, (rest, accept, response.status_code)
    if response.status_code >= 400 and not response.headers.get("content-type", "").startswith("text/html"):
        assert_sound(response)


# -- SPARQL ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sparql_client(seed_store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The seed graph behind one query slot with a short time limit: a runaway generated query costs little."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("fuzz-sparql"), sparql_workers=1, query_timeout=3)
    with TestClient(create_app(settings, store=seed_store)) as test_client:
        yield test_client


SPARQL_OK = (200, 400, 413, 422, 429)

VALID_QUERIES = [
    "ASK {}",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "SELECT ?label WHERE { ?t a rg:Tool ; skos:prefLabel ?label } ORDER BY ?label LIMIT 5",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a rg:Role }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s a rg:Role ; ?p ?o } LIMIT 10",
    "DESCRIBE <https://rolegraph.example/role/ai-engineer>",
    'SELECT ?s WHERE { ?s skos:prefLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), "py")) } LIMIT 5',
    "SELECT ?s ?o WHERE { ?s skos:broader* ?o } LIMIT 5",
    'SELECT * WHERE { VALUES ?x { 1 "a" <urn:x> } BIND(STR(?x) AS ?y) }',
    "PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s ex:p ?o } GROUP BY ?s HAVING(COUNT(?o) > 1)",
]
FRAGMENTS = [
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "*",
    "?s",
    "WHERE",
    "{",
    "}",
    "?s ?p ?o",
    "?s a rg:Tool",
    ".",
    ";",
    ",",
    "FILTER(",
    "(",
    ")",
    "LIMIT 3",
    "OFFSET 1",
    "OPTIONAL",
    "UNION",
    "MINUS",
    "GRAPH ?g",
    "a",
    '"x"',
    '"""',
    "'",
    "'''",
    '"x"@en',
    '"1"^^xsd:integer',
    "1e999999",
    "-0",
    "<http://x>",
    "<",
    ">",
    "<urn:\x00>",
    "#",
    "\n",
    "\x00",
    "\\u0000",
    "\\",
    "PREFIX ex: <http://example.org/>",
    "BASE <rel>",
    "ex:",
    ":",
    "_:b",
    "[]",
    "SERVICE <http://example.org/sparql>",
    "INSERT DATA",
    "DELETE WHERE",
    "LOAD <http://example.org/>",
    "DROP ALL",
    "VALUES ?s { 1 }",
    "BIND(1 AS ?x)",
    'REGEX(?o, "(a+)+$")',
    "ORDER BY ?s",
    "GROUP BY ?s",
    "COUNT(*)",
    "AS ?n",
    "rdf:type*",
    "^",
    "|",
    "/",
    "!",
    "😀",
]


def truncations(query: str) -> st.SearchStrategy[str]:
    return st.integers(0, len(query)).map(lambda cut: query[:cut])


def sparql_literal(text: str, suffix: str) -> str:
    """``text`` as a SPARQL string literal (escaped), with a language tag or datatype suffix."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"{suffix}'


literals = st.builds(
    sparql_literal,
    st.text(max_size=30),
    st.sampled_from(["", "@en", "@en-GB", "^^xsd:string", "^^xsd:integer", "^^xsd:dateTime", "^^<urn:type>"]),
)
#: Well-formed queries whose answers carry arbitrary text (control characters, NULs as \u escapes, any
#: Unicode) into every results and graph serialisation.
generated_queries = st.one_of(
    st.builds(lambda v: f"SELECT ?v WHERE {{ VALUES ?v {{ {v} }} }}", literals),
    st.builds(lambda v: f"CONSTRUCT {{ <urn:s> <urn:p> {v} }} WHERE {{}}", literals),
    st.builds(lambda v, p: f"ASK {{ FILTER(REGEX({v}, {p})) }}", literals, literals),
    st.builds(
        lambda v, n: f"SELECT ?s ?l WHERE {{ ?s skos:prefLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), {v})) }} LIMIT {n}",
        literals,
        st.integers(0, 20),
    ),
    st.builds(
        lambda v: f"SELECT * WHERE {{ BIND({v} AS ?x) BIND(STRLEN(?x) AS ?n) BIND(ENCODE_FOR_URI(?x) AS ?u) }}",
        literals,
    ),
)
sparql_text = st.one_of(
    st.sampled_from(VALID_QUERIES),
    generated_queries,
    generated_queries,
    st.sampled_from(VALID_QUERIES).flatmap(truncations),
    st.lists(st.sampled_from(FRAGMENTS), max_size=14).map(" ".join),
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)
result_formats = st.none() | st.sampled_from(["json", "xml", "csv", "tsv", "turtle", "jsonld", "nt", "rdf"]) | hostile


@FUZZ
@given(sparql_text, result_formats, st.none() | st.lists(hostile | st.just("urn:g"), max_size=2))
@example("SELECT * WHERE { ?s ?p ?o } LIMIT 3", "csv", None)
@example("ASK {}", "\x00", None)
@example("ASK {}", None, ["not an iri>"])
@example("", None, None)
@example("DROP ALL", None, None)
@example("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", None, None)
def test_sparql_get(sparql_client: TestClient, query: str, fmt: str | None, graphs: list[str] | None) -> None:
    params: dict[str, Any] = {"query": query}
    if fmt is not None:
        params["format"] = fmt
    if graphs is not None:
        params["default-graph-uri"] = graphs
    response = sparql_client.get("/sparql", params=params)
    assert response.status_code in SPARQL_OK, (query, fmt, graphs, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert_sound(response)


#: Accept headers a client sends for each form of answer, and the media type the answer must then have.
RESULT_ACCEPTS = {
    "application/sparql-results+json": "application/sparql-results+json",
    "application/sparql-results+xml": "application/sparql-results+xml",
    "text/csv": "text/csv",
    "text/tab-separated-values": "text/tab-separated-values",
}
GRAPH_ACCEPTS = {s.media_type: s.media_type for s in RDF_FORMATS.values()}


@FUZZ
@given(generated_queries, st.sampled_from(sorted({**RESULT_ACCEPTS, **GRAPH_ACCEPTS})))
@example('SELECT ?v WHERE { VALUES ?v { "\x01\x0b\uffff" } }', "application/sparql-results+xml")
@example('CONSTRUCT { <urn:s> <urn:p> "\x01\x0b" } WHERE {}', "application/rdf+xml")
@example('SELECT ?v WHERE { VALUES ?v { "a\\u0000b" } }', "text/csv")
def test_sparql_answers_well_formed_queries_in_the_format_asked(
    sparql_client: TestClient, query: str, accept: str
) -> None:
    """A well-formed query is answered (200) in the asked format when it has that form, and the answer parses:
    an answer XML cannot carry (a control character in a literal) is refused, never sent malformed."""
    response = sparql_client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code in (200, 400, 422), (query, accept, response.status_code, response.text[:300])
    if response.status_code == 422:
        assert accept.endswith("xml") and "XML cannot carry" in response.json()["detail"], response.text
    if response.status_code != 200:  # 400: the engine refuses to evaluate it (e.g. an invalid regular expression)
        assert_sound(response)
        return
    media = response.headers["content-type"].split(";")[0]
    graph = query.startswith(("CONSTRUCT", "DESCRIBE"))
    if (accept in GRAPH_ACCEPTS) == graph:
        assert media == accept
    if media.endswith("json"):
        response.json()
    elif media.endswith("xml"):
        ElementTree.fromstring(response.content)
    else:
        response.content.decode("utf-8")


@FUZZ
@given(st.binary(max_size=300) | sparql_text.map(str.encode), st.sampled_from(["sparql-query", "form", "other"]))
@example(b"\xff\xfe\x00SELECT", "sparql-query")
@example(b"query=ASK%20%7B%7D&update=DROP%20ALL", "form")
@example(b"SELECT * WHERE { ?s ?p ?o } LIMIT 1", "other")
def test_sparql_post(sparql_client: TestClient, body: bytes, kind: str) -> None:
    if kind == "form":
        content_type = "application/x-www-form-urlencoded"
        if not body.startswith(b"query="):
            body = b"query=" + quote(body.decode("latin-1"), safe="").encode()
    else:
        content_type = "application/sparql-query" if kind == "sparql-query" else "text/plain"
    response = sparql_client.post("/sparql", content=body, headers={"content-type": content_type})
    assert response.status_code in SPARQL_OK, (body[:200], kind, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert_sound(response)


# -- characters XML cannot carry ---------------------------------------------------------------------------

BELL = (
    "Roles and Responsibilities of a Bell Engineer\nRings the \x07 bell with Python.\n"
    "Skills Required\nProgramming: Python.\n"
)


def test_a_document_with_a_control_character_is_refused(writable_client: TestClient) -> None:
    """One BEL in a document used to reach the graph and make every RDF/XML answer malformed."""
    auth = {"authorization": f"Bearer {TOKEN}", "content-type": "text/plain"}
    response = writable_client.post("/api/documents", content=BELL.encode(), headers=auth)
    assert response.status_code == 422 and "U+0007" in response.json()["detail"]


def test_rdf_xml_is_refused_when_a_literal_holds_a_character_xml_cannot_carry(writable_client: TestClient) -> None:
    auth = {"authorization": f"Bearer {TOKEN}"}
    update = 'INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "a\\u0007b" } }'
    assert writable_client.post("/sparql/update", data={"update": update}, headers=auth).status_code == 204
    refused = writable_client.get("/api/export", params={"format": "xml"})
    assert refused.status_code == 422 and refused.json()["field"] == "format"
    assert "U+0007" in refused.json()["detail"]
    assert writable_client.get("/api/export", params={"format": "nt"}).status_code == 200
    query = "SELECT ?o WHERE { <urn:s> <urn:p> ?o }"
    xml = writable_client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+xml"})
    assert xml.status_code == 422 and xml.json()["field"] == "accept"
    json_answer = writable_client.get("/sparql", params={"query": query})
    assert json_answer.status_code == 200 and json_answer.json()["results"]["bindings"][0]["o"]["value"] == "a\x07b"
